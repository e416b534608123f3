#pragma once
// Errors as values: Result<T> follows std::expected's names (has_value, value, error,
// value_or, operator*, operator->) so that C++23 can swap it in.
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace cmtool {

// What kind of failure; main maps these to exit codes in one place.
enum class ErrorCode {
    usage,         // bad flags or arguments (exit 2)
    config,        // workspace or credential configuration (exit 2)
    io,            // file system
    parse,         // input that cannot be read (YAML, CSV, JSON)
    invalid,       // input that was read but breaks a rule
    network,       // transport failure
    auth,          // credentials refused
    rate_limited,  // platform asked us to slow down
    not_found,
    conflict,     // already exists, locked
    unavailable,  // the platform or feature cannot do this
    interrupted,  // SIGINT/SIGTERM (exit 130)
    internal,
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;  // what failed and why, one line, no trailing period
    std::string hint;     // what to do next; may be empty
};

template <class E>
class Unexpected {
  public:
    explicit Unexpected(E e) : m_error(std::move(e)) {}
    E& error() & { return m_error; }
    E&& error() && { return std::move(m_error); }

  private:
    E m_error;
};

// Builds the error side of a Result: `return fail(ErrorCode::io, "cannot read x");`
inline Unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
    return Unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}
inline Unexpected<Error> fail(Error e) {
    return Unexpected<Error>(std::move(e));
}

template <class T>
class [[nodiscard]] Result {
  public:
    using value_type = T;
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    Result(Unexpected<Error> e)  // NOLINT: implicit, like std::expected
        : m_v(std::in_place_index<1>, std::move(e).error()) {}
    template <class U>
    requires(std::is_constructible_v<T, U> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Result> &&
             !std::is_same_v<std::decay_t<U>, Unexpected<Error>>) Result(U&& u)
        : m_v(std::in_place_index<0>, T(std::forward<U>(u))) {}  // NOLINT

    bool has_value() const noexcept { return m_v.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const& { return std::get<1>(m_v); }
    Error&& error() && { return std::get<1>(std::move(m_v)); }
    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

  private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Unexpected<Error> e) : m_error(std::move(e).error()), m_ok(false) {}  // NOLINT
    bool has_value() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    void value() const {}
    const Error& error() const& { return m_error; }
    Error&& error() && { return std::move(m_error); }

  private:
    Error m_error;
    bool m_ok = true;
};

}  // namespace cmtool
