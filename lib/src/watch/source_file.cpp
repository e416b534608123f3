// `file` watch sources (source.hpp): JSON lines read from a byte offset. Each line is parsed
// with nlohmann's SAX interface straight into an Item (no JSON tree per line: a million-line
// import spends most of its reading time there otherwise).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/watch/source.hpp"
#include "platforms/metrics_sources.hpp"

namespace cmtool::watch {

namespace {

// Fills an Item from one line's top-level string members; nested values are skipped.
class ItemReader final : public nlohmann::json_sax<nlohmann::json> {
  public:
    explicit ItemReader(Item& item) : m_item(item) {}

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }

    bool string(string_t& s) override {
        if (m_depth == 1 && m_field != nullptr) {
            *m_field = std::move(s);
        }
        return value();
    }

    bool start_object(std::size_t) override {
        if (m_depth == 0) {
            m_object = true;
        }
        ++m_depth;
        return true;
    }
    bool end_object() override {
        --m_depth;
        return true;
    }
    bool start_array(std::size_t) override {
        ++m_depth;
        return true;
    }
    bool end_array() override {
        --m_depth;
        return true;
    }

    bool key(string_t& k) override {
        m_field = nullptr;
        if (m_depth != 1) {
            return true;
        }
        if (k == "text") {
            m_has_text = true;
            m_field = &m_item.text;
        } else if (k == "uri") {
            m_field = &m_item.remote_uri;
        } else if (k == "url") {
            m_field = &m_item.url;
        } else if (k == "author") {
            m_field = &m_item.author;
        } else if (k == "author_url") {
            m_field = &m_item.author_url;
        } else if (k == "published_at") {
            m_field = &m_published_at;
        } else if (k == "lang") {
            m_field = &m_item.lang;
        } else if (k == "platform") {
            m_field = &m_item.platform;
        }
        return true;
    }

    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        m_error_at = position;
        m_error = e.what();
        return false;
    }

    bool is_object() const { return m_object; }
    bool has_text() const { return m_has_text; }
    const std::string& published_at() const { return m_published_at; }
    std::size_t error_at() const { return m_error_at; }
    const std::string& error() const { return m_error; }

  private:
    bool value() {
        m_field = nullptr;
        return true;
    }

    Item& m_item;
    int m_depth = 0;
    bool m_object = false;
    bool m_has_text = false;
    std::string* m_field = nullptr;  // the member the next value goes to
    std::string m_published_at;
    std::size_t m_error_at = 0;
    std::string m_error;
};

// Why a line is not a mention: `column` is where the JSON went wrong (1 for a line that is JSON
// but not a mention).
struct LineError {
    std::size_t column = 1;
    std::string what;
};

// Fills `item` from one line; nullopt when the line is a mention, its error otherwise.
std::optional<LineError> read_line(std::string_view line, Item& item) {
    ItemReader reader(item);
    const bool ok = nlohmann::json::sax_parse(line, &reader);
    if (!ok) {
        // nlohmann counts the characters read, the offending one included.
        std::string what = reader.error();
        if (const auto at = what.find(": syntax error"); at != std::string::npos) {
            what = what.substr(at + 2);  // "[json.exception.parse_error.101] parse error at ..."
        }
        return LineError{std::max<std::size_t>(reader.error_at(), 1), "invalid JSON: " + what};
    }
    if (!reader.is_object() || item.remote_uri.empty() || !reader.has_text()) {
        return LineError{1, "not a mention object with \"uri\" and \"text\""};
    }
    if (item.platform.empty()) {
        item.platform = "file";
    }
    item.published_at =
        platforms::parse_created_at(reader.published_at()).value_or(std::chrono::sys_seconds{});
    return std::nullopt;
}

// The 1-based line number of the line starting at byte `offset` (counted only for errors).
std::size_t line_at(std::FILE* f, long offset) {
    std::fseek(f, 0, SEEK_SET);
    std::size_t line = 1;
    long at = 0;
    std::vector<char> buf(1 << 16);
    while (at < offset) {
        const auto want =
            static_cast<std::size_t>(std::min<long>(offset - at, static_cast<long>(buf.size())));
        const std::size_t got = std::fread(buf.data(), 1, want, f);
        if (got == 0) {
            break;
        }
        line += static_cast<std::size_t>(std::count(buf.data(), buf.data() + got, '\n'));
        at += static_cast<long>(got);
    }
    return line;
}

}  // namespace

Result<std::vector<Item>> read_file_source(const std::filesystem::path& file,
                                           store::WatchCursor& cursor, std::size_t max_items) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (f == nullptr) {
        return fail(ErrorCode::io, "cannot read " + file.string());
    }
    // The byte offset reached; a cursor that is not one (edited state) reads the file again
    // from the start, which stores nothing twice (mentions are unique by URI).
    long offset = 0;
    const std::string& c = cursor.cursor;
    if (const auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), offset);
        ec != std::errc() || end != c.data() + c.size() || offset < 0) {
        offset = 0;
    }
    // A file shorter than the offset was replaced (rotated, rewritten): read the new one from
    // its start rather than wait for it to grow past a position that means nothing in it.
    std::fseek(f, 0, SEEK_END);
    if (std::ftell(f) < offset) {
        offset = 0;
    }
    std::fseek(f, offset, SEEK_SET);
    std::vector<Item> items;
    std::vector<char> buf(1 << 16);
    std::string pending;
    std::size_t got = 0;
    long consumed = offset;
    bool at_end = false;
    while (items.size() < max_items && !at_end) {
        got = std::fread(buf.data(), 1, buf.size(), f);
        at_end = got == 0;
        pending.append(buf.data(), got);
        std::size_t start = 0;
        while (items.size() < max_items && start < pending.size()) {
            auto nl = pending.find('\n', start);
            if (nl == std::string::npos) {
                if (!at_end) {
                    break;  // the rest of the line is in the next read
                }
                nl = pending.size();  // a last line without its newline
            }
            const std::string_view l(pending.data() + start, nl - start);
            const std::size_t next = std::min(nl + 1, pending.size());
            if (l.find_first_not_of(" \t\r") == std::string_view::npos) {
                start = next;
                continue;
            }
            Item it;
            if (auto bad = read_line(l, it)) {
                if (nl == pending.size()) {
                    // A last line without a newline that does not parse may still be being
                    // written: it is read on a later run, once complete.
                    break;
                }
                const std::size_t line = line_at(f, consumed + static_cast<long>(start));
                std::fclose(f);
                return fail(
                    ErrorCode::parse,
                    fmt::format("{}:{}:{}: {}", file.string(), line, bad->column, bad->what),
                    "each line of a file source is one JSON object with at least "
                    "\"uri\" and \"text\" (docs/watch.md)");
            }
            items.push_back(std::move(it));
            start = next;
        }
        consumed += static_cast<long>(start);
        pending.erase(0, start);
        if (at_end && !pending.empty()) {
            break;  // an incomplete last line stays for the next run
        }
    }
    std::fclose(f);
    cursor.cursor = std::to_string(consumed);
    return items;
}

}  // namespace cmtool::watch
