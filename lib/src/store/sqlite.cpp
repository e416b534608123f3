#include "store/sqlite.hpp"

#include <utility>

#include <fmt/format.h>

namespace cmtool::store::sqlite {

namespace {

ErrorCode code_for(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CONSTRAINT:
            return ErrorCode::conflict;
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_PERM:
            return ErrorCode::io;
        default:
            return ErrorCode::internal;
    }
}

std::string hint_for(int rc, const std::filesystem::path& file) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "another cmtool process is writing the state; retry in a moment";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return fmt::format("{} is damaged: move it aside and restore a backup", file.string());
        case SQLITE_FULL:
            return "the disk is full";
        default:
            return {};
    }
}

// The first line of a statement, shortened, to say which one failed.
std::string sql_head(std::string_view sql) {
    while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n')) {
        sql.remove_prefix(1);
    }
    sql = sql.substr(0, sql.find('\n'));
    return std::string(sql.substr(0, 60));
}

}  // namespace

// ---- Statement -------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Result<void> Statement::bind(int index, const Value& value, Texts texts) {
    int rc = SQLITE_OK;
    switch (value.m_kind) {
        case Value::Kind::null:
            rc = sqlite3_bind_null(m_stmt, index);
            break;
        case Value::Kind::integer:
            rc = sqlite3_bind_int64(m_stmt, index, value.m_int);
            break;
        case Value::Kind::real:
            rc = sqlite3_bind_double(m_stmt, index, value.m_real);
            break;
        case Value::Kind::text:
            // An empty string_view may have a null data(), which SQLite would store as NULL.
            rc = sqlite3_bind_text64(
                m_stmt, index, value.m_text.data() != nullptr ? value.m_text.data() : "",
                value.m_text.size(), texts == Texts::borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT,
                SQLITE_UTF8);
            break;
    }
    if (rc != SQLITE_OK) {
        return fail(code_for(rc),
                    fmt::format("cannot bind parameter {}: {}", index, sqlite3_errmsg(m_db)));
    }
    return {};
}

Result<void> Statement::bind_all(Params params, Texts texts) {
    sqlite3_reset(m_stmt);  // a statement stepped before is bound again (insert loops)
    int index = 1;
    for (const Value& v : params) {
        if (auto r = bind(index++, v, texts); !r) {
            return r;
        }
    }
    return {};
}

Result<Step> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return Step::row;
    }
    if (rc == SQLITE_DONE) {
        return Step::done;
    }
    const char* sql = sqlite3_sql(m_stmt);
    return fail(code_for(rc),
                fmt::format("{} ({})", sqlite3_errmsg(m_db), sql_head(sql != nullptr ? sql : "")));
}

Result<void> Statement::run() {
    while (true) {
        auto s = step();
        if (!s) {
            return fail(std::move(s).error());
        }
        if (*s == Step::done) {
            return {};
        }
    }
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::column_double(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::optional<std::int64_t> Statement::column_opt_int(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return column_int(column);
}

std::string Statement::column_text(int column) const {
    const unsigned char* text = sqlite3_column_text(m_stmt, column);
    if (text == nullptr) {
        return {};
    }
    const int size = sqlite3_column_bytes(m_stmt, column);
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

// ---- Connection ------------------------------------------------------------------------------

Result<Connection> Connection::open(const std::filesystem::path& file) {
    // SQLite counts every allocation under a global mutex unless told not to; cmtool never
    // reads those statistics. Must run before SQLite initialises: the first open does it.
    static const bool k_configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)k_configured;
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(code_for(rc), fmt::format("cannot open {}: {}", file.string(), why),
                    hint_for(rc, file));
    }
    sqlite3_extended_result_codes(db, 1);
    return Connection(db, file);
}

namespace {

void call_text_to_int(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto* text = sqlite3_value_text(argv[0]);
    const int size = sqlite3_value_bytes(argv[0]);
    const auto fn = reinterpret_cast<Connection::TextToInt>(sqlite3_user_data(ctx));
    sqlite3_result_int64(ctx, fn(std::string_view(reinterpret_cast<const char*>(text),
                                                  static_cast<std::size_t>(size))));
}

}  // namespace

Result<void> Connection::define_function(const char* name, TextToInt fn) {
    const int rc = sqlite3_create_function_v2(m_db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                              reinterpret_cast<void*>(fn), call_text_to_int,
                                              nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return fail(error(rc, fmt::format("cannot define {}()", name)));
    }
    return {};
}

Connection::Connection(Connection&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_file(std::move(other.m_file)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        sqlite3_close(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_file = std::move(other.m_file);
    }
    return *this;
}

Connection::~Connection() {
    // Statements are finalized by their owners first; close_v2 defers if one is left.
    sqlite3_close_v2(m_db);
}

Error Connection::error(int rc, std::string_view what) const {
    return Error{code_for(rc),
                 fmt::format("{}: {}: {}", m_file.string(), what, sqlite3_errmsg(m_db)),
                 hint_for(rc, m_file)};
}

Result<Statement> Connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return fail(error(rc, fmt::format("cannot prepare ({})", sql_head(sql))));
    }
    return Statement(m_db, stmt);
}

Result<void> Connection::exec(std::string_view sql, Params params) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return fail(std::move(stmt).error());
    }
    if (auto b = stmt->bind_all(params); !b) {
        return b;
    }
    auto r = stmt->run();
    if (!r) {
        Error e = std::move(r).error();
        e.message = fmt::format("{}: {}", m_file.string(), e.message);
        e.hint = hint_for(sqlite3_extended_errcode(m_db), m_file);
        return fail(std::move(e));
    }
    return {};
}

Result<void> Connection::exec_script(std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string why = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return fail(code_for(rc), fmt::format("{}: {}", m_file.string(), why),
                    hint_for(rc, m_file));
    }
    return {};
}

Result<std::optional<std::int64_t>> Connection::query_int(std::string_view sql, Params params) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return fail(std::move(stmt).error());
    }
    if (auto b = stmt->bind_all(params); !b) {
        return fail(std::move(b).error());
    }
    auto s = stmt->step();
    if (!s) {
        return fail(error(sqlite3_extended_errcode(m_db), "cannot query"));
    }
    if (*s == Step::done) {
        return std::optional<std::int64_t>{};
    }
    return stmt->column_opt_int(0);
}

Result<std::optional<std::string>> Connection::query_text(std::string_view sql, Params params) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return fail(std::move(stmt).error());
    }
    if (auto b = stmt->bind_all(params); !b) {
        return fail(std::move(b).error());
    }
    auto s = stmt->step();
    if (!s) {
        return fail(error(sqlite3_extended_errcode(m_db), "cannot query"));
    }
    if (*s == Step::done) {
        return std::optional<std::string>{};
    }
    return std::optional<std::string>(stmt->column_text(0));
}

std::int64_t Connection::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_db);
}

std::int64_t Connection::changes() const {
    return sqlite3_changes64(m_db);
}

void Connection::set_busy_timeout(int milliseconds) {
    sqlite3_busy_timeout(m_db, milliseconds);
}

// ---- Transaction -----------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Connection& conn) {
    if (auto r = conn.exec("BEGIN IMMEDIATE"); !r) {
        return fail(std::move(r).error());
    }
    return Transaction(conn);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr)) {}

Transaction::~Transaction() {
    if (m_conn != nullptr) {
        (void)m_conn->exec("ROLLBACK");
    }
}

Result<void> Transaction::commit() {
    Connection* conn = std::exchange(m_conn, nullptr);
    if (auto r = conn->exec("COMMIT"); !r) {
        // A failed COMMIT may leave the transaction open (SQLITE_BUSY): end it here.
        (void)conn->exec("ROLLBACK");
        return r;
    }
    return {};
}

}  // namespace cmtool::store::sqlite
