#pragma once
// Private RAII wrappers over the SQLite C API for the store's modules (ledger, later metrics and
// mentions). The only header that includes <sqlite3.h>; never include it from a public header.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmtool/util/result.hpp"

namespace cmtool::store::sqlite {

// A value to bind: NULL, an integer or text. Built implicitly so that calls read
// `conn.exec(sql, {id, name, std::nullopt})`; text is viewed, not copied.
class Value {
  public:
    Value(std::nullopt_t) {}                                        // NOLINT: implicit
    Value(std::int64_t v) : m_kind(Kind::integer), m_int(v) {}      // NOLINT
    Value(int v) : m_kind(Kind::integer), m_int(v) {}               // NOLINT
    Value(double v) : m_kind(Kind::real), m_real(v) {}              // NOLINT
    Value(std::string_view v) : m_kind(Kind::text), m_text(v) {}    // NOLINT
    Value(const std::string& v) : m_kind(Kind::text), m_text(v) {}  // NOLINT
    Value(const char* v) : m_kind(Kind::text), m_text(v) {}         // NOLINT
    Value(const std::optional<std::string>& v) : Value(v ? Value(*v) : Value(std::nullopt)) {}
    Value(const std::optional<std::int64_t>& v) : Value(v ? Value(*v) : Value(std::nullopt)) {}

  private:
    friend class Statement;
    enum class Kind { null, integer, real, text };
    Kind m_kind = Kind::null;
    std::int64_t m_int = 0;
    double m_real = 0;
    std::string_view m_text;
};

using Params = std::initializer_list<Value>;

enum class Step { row, done };

// Whether SQLite copies bound text (the default) or reads it in place until the statement is
// reset or bound again: borrowed text must outlive the step (insert loops over rows that stay
// in memory use it to save a copy per column).
enum class Texts { copied, borrowed };

// A prepared statement; finalized on destruction. Columns are read after step() returned row.
class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds `value` to the 1-based parameter `index`.
    Result<void> bind(int index, const Value& value, Texts texts = Texts::copied);
    // Resets the statement and binds `params` to parameters 1..n in order.
    Result<void> bind_all(Params params, Texts texts = Texts::copied);
    // Advances: row when a row is available, done at the end; fails with SQLite's message.
    Result<Step> step();
    // Steps until done (for statements that return no rows).
    Result<void> run();

    bool is_null(int column) const;
    std::int64_t column_int(int column) const;
    double column_double(int column) const;
    std::optional<std::int64_t> column_opt_int(int column) const;
    std::string column_text(int column) const;

  private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// One database connection; closed on destruction.
class Connection {
  public:
    // Opens (creating when missing) the database file, read-write, with extended result codes.
    static Result<Connection> open(const std::filesystem::path& file);
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // A prepared statement for one SQL statement; fails with SQLite's message and the SQL's start.
    Result<Statement> prepare(std::string_view sql);
    // Runs one statement with `params`, ignoring any rows.
    Result<void> exec(std::string_view sql, Params params = {});
    // Runs a script of several statements without parameters (migrations, pragmas).
    Result<void> exec_script(std::string_view sql);
    // The first column of the first row, or nullopt when there is no row or it is NULL.
    Result<std::optional<std::int64_t>> query_int(std::string_view sql, Params params = {});
    // The first column of the first row as text, or nullopt when there is no row.
    Result<std::optional<std::string>> query_text(std::string_view sql, Params params = {});

    std::int64_t last_insert_rowid() const;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const;
    void set_busy_timeout(int milliseconds);
    // Defines the deterministic SQL function `name(text) -> integer` (NULL stays NULL) for
    // this connection: migrations compute the keys the code computes.
    using TextToInt = std::int64_t (*)(std::string_view);
    Result<void> define_function(const char* name, TextToInt fn);
    const std::filesystem::path& file() const { return m_file; }

    // An Error for SQLite result code `rc`: busy/locked are conflict, disk problems io, the rest
    // internal; the message is "<file>: <what>: <sqlite message>".
    Error error(int rc, std::string_view what) const;

  private:
    Connection(sqlite3* db, std::filesystem::path file) : m_db(db), m_file(std::move(file)) {}
    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
};

// BEGIN IMMEDIATE ... COMMIT: takes the write lock up front (waiting up to the busy timeout), so
// a read-then-write inside never fails half-way with SQLITE_BUSY. Rolls back unless committed.
class Transaction {
  public:
    static Result<Transaction> begin(Connection& conn);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // COMMIT; with synchronous=FULL the change is on disk when this returns.
    Result<void> commit();

  private:
    explicit Transaction(Connection& conn) : m_conn(&conn) {}
    Connection* m_conn = nullptr;  // null once committed or rolled back
};

// Runs `fn(conn)` in a Transaction and commits when it succeeds; rolls back otherwise.
template <class T, class F>
Result<T> in_transaction(Connection& conn, F&& fn) {
    auto tx = Transaction::begin(conn);
    if (!tx) {
        return fail(std::move(tx).error());
    }
    Result<T> r = fn(conn);
    if (!r) {
        return r;
    }
    if (auto c = tx->commit(); !c) {
        return fail(std::move(c).error());
    }
    return r;
}

// Runs a prepared query and maps every row with `read`.
template <class T, class Read>
Result<std::vector<T>> collect(Connection& conn, std::string_view sql, Params params, Read read) {
    auto stmt = conn.prepare(sql);
    if (!stmt) {
        return fail(std::move(stmt).error());
    }
    if (auto b = stmt->bind_all(params); !b) {
        return fail(std::move(b).error());
    }
    std::vector<T> out;
    while (true) {
        auto s = stmt->step();
        if (!s) {
            Error e = std::move(s).error();
            e.message = conn.file().string() + ": " + e.message;
            return fail(std::move(e));
        }
        if (*s == Step::done) {
            return out;
        }
        out.push_back(read(*stmt));
    }
}

}  // namespace cmtool::store::sqlite
