// The ledger's queries, row mapping, state names and the content hash.
#include <array>
#include <utility>

#include <fmt/format.h>

#include "cmtool/store/ledger.hpp"
#include "store/ledger_rows.hpp"

namespace cmtool::store {

namespace {

constexpr std::array<std::pair<DeliveryState, std::string_view>, 7> k_delivery_states{{
    {DeliveryState::pending, "pending"},
    {DeliveryState::partial, "partial"},
    {DeliveryState::sent, "sent"},
    {DeliveryState::failed, "failed"},
    {DeliveryState::missed, "missed"},
    {DeliveryState::deferred, "deferred"},
    {DeliveryState::awaiting_confirmation, "awaiting_confirmation"},
}};

PartState parse_part_state(std::string_view name) {
    if (name == "sent") {
        return PartState::sent;
    }
    return name == "failed" ? PartState::failed : PartState::intent;
}

std::optional<platforms::RemoteRef> parse_ref(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return std::nullopt;
    }
    try {
        return platforms::RemoteRef::from_json(j);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // written by us, so only a damaged file gets here
    }
}

}  // namespace

std::string_view delivery_state_name(DeliveryState s) {
    for (const auto& [state, name] : k_delivery_states) {
        if (state == s) {
            return name;
        }
    }
    return "pending";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view name) {
    for (const auto& [state, n] : k_delivery_states) {
        if (n == name) {
            return state;
        }
    }
    return std::nullopt;
}

std::string_view part_state_name(PartState s) {
    switch (s) {
        case PartState::intent:
            return "intent";
        case PartState::sent:
            return "sent";
        case PartState::failed:
            return "failed";
    }
    return "intent";
}

std::string content_hash(std::string_view text) {
    // FNV-1a 64 (http://www.isthe.com/chongo/tech/comp/fnv/): offset basis and prime.
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return fmt::format("{:016x}", h);
}

namespace detail {

DeliveryRecord read_delivery(const sqlite::Statement& s, int first) {
    DeliveryRecord d;
    int c = first;
    d.id = s.column_int(c++);
    d.occurrence_id = s.column_text(c++);
    d.post_id = s.column_text(c++);
    d.channel = s.column_text(c++);
    d.platform = s.column_text(c++);
    d.scheduled_at = from_db(s.column_int(c++));
    d.content_hash = s.column_text(c++);
    d.state = parse_delivery_state(s.column_text(c++)).value_or(DeliveryState::pending);
    d.parts_total = static_cast<int>(s.column_int(c++));
    d.error = s.column_text(c++);
    d.hint = s.column_text(c++);
    if (auto v = s.column_opt_int(c++)) {
        d.retry_at = from_db(*v);
    }
    d.url = s.column_text(c++);
    d.remote_id = s.column_text(c++);
    d.created_at = from_db(s.column_int(c++));
    d.updated_at = from_db(s.column_int(c++));
    if (auto v = s.column_opt_int(c++)) {
        d.sent_at = from_db(*v);
    }
    return d;
}

PartRecord read_part(const sqlite::Statement& s, int first) {
    PartRecord p;
    int c = first;
    p.delivery_id = s.column_int(c++);
    p.index = static_cast<int>(s.column_int(c++));
    p.key = s.column_text(c++);
    p.state = parse_part_state(s.column_text(c++));
    if (!s.is_null(c)) {
        p.ref = parse_ref(s.column_text(c));
    }
    ++c;
    p.attempts = static_cast<int>(s.column_int(c++));
    if (auto v = s.column_opt_int(c++)) {
        p.intent_at = from_db(*v);
    }
    if (auto v = s.column_opt_int(c++)) {
        p.done_at = from_db(*v);
    }
    p.error = s.column_text(c++);
    return p;
}

Result<DeliveryRecord> get_delivery(sqlite::Connection& conn, std::int64_t delivery_id) {
    auto rows = sqlite::collect<DeliveryRecord>(
        conn, fmt::format("SELECT {} FROM deliveries d WHERE d.id = ?", k_delivery_columns),
        {delivery_id}, [](const sqlite::Statement& s) { return read_delivery(s); });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    if (rows->empty()) {
        return fail(ErrorCode::not_found, fmt::format("no delivery {} in the ledger", delivery_id));
    }
    return std::move(rows->front());
}

Result<std::optional<PartRecord>> find_part(sqlite::Connection& conn, std::int64_t delivery_id,
                                            int part_index) {
    auto rows = sqlite::collect<PartRecord>(
        conn,
        fmt::format("SELECT {} FROM parts p WHERE p.delivery_id = ? AND p.part_index = ?",
                    k_part_columns),
        {delivery_id, part_index}, [](const sqlite::Statement& s) { return read_part(s); });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    if (rows->empty()) {
        return std::optional<PartRecord>{};
    }
    return std::optional<PartRecord>(std::move(rows->front()));
}

Result<void> append_event(sqlite::Connection& conn, std::int64_t delivery_id,
                          std::optional<int> part_index, Seconds at, std::string_view kind,
                          std::string_view detail) {
    const std::optional<std::int64_t> index =
        part_index ? std::optional<std::int64_t>(*part_index) : std::nullopt;
    return conn.exec(
        "INSERT INTO events (delivery_id, part_index, at, kind, detail) VALUES (?, ?, ?, ?, ?)",
        {delivery_id, index, to_db(at), kind, detail});
}

std::string describe(const DeliveryRecord& d) {
    return fmt::format("delivery {} ({} on {})", d.id, d.occurrence_id, d.channel);
}

}  // namespace detail

Result<std::optional<DeliveryRecord>> Ledger::find_delivery(const DeliveryKey& key) {
    auto rows = sqlite::collect<DeliveryRecord>(
        m_store->connection(),
        fmt::format("SELECT {} FROM deliveries d WHERE d.occurrence_id = ? AND d.channel = ?",
                    detail::k_delivery_columns),
        {key.occurrence_id, key.channel},
        [](const sqlite::Statement& s) { return detail::read_delivery(s); });
    if (!rows) {
        return fail(std::move(rows).error());
    }
    if (rows->empty()) {
        return std::optional<DeliveryRecord>{};
    }
    return std::optional<DeliveryRecord>(std::move(rows->front()));
}

Result<DeliveryRecord> Ledger::get_delivery(std::int64_t delivery_id) {
    return detail::get_delivery(m_store->connection(), delivery_id);
}

Result<std::vector<PartRecord>> Ledger::parts(std::int64_t delivery_id) {
    return sqlite::collect<PartRecord>(
        m_store->connection(),
        fmt::format("SELECT {} FROM parts p WHERE p.delivery_id = ? ORDER BY p.part_index",
                    detail::k_part_columns),
        {delivery_id}, [](const sqlite::Statement& s) { return detail::read_part(s); });
}

Result<std::vector<UnresolvedPart>> Ledger::unresolved() {
    return sqlite::collect<UnresolvedPart>(
        m_store->connection(),
        fmt::format("SELECT {}, {} FROM parts p JOIN deliveries d ON d.id = p.delivery_id "
                    "WHERE p.state = 'intent' ORDER BY p.intent_at, d.id, p.part_index",
                    detail::k_delivery_columns, detail::k_part_columns),
        {}, [](const sqlite::Statement& s) {
            return UnresolvedPart{detail::read_delivery(s),
                                  detail::read_part(s, detail::k_delivery_column_count)};
        });
}

Result<std::vector<DeliveryRecord>> Ledger::list(const DeliveryFilter& f) {
    const std::optional<std::string> state =
        f.state ? std::optional<std::string>(delivery_state_name(*f.state)) : std::nullopt;
    return sqlite::collect<DeliveryRecord>(
        m_store->connection(),
        fmt::format("SELECT {} FROM deliveries d WHERE (?1 IS NULL OR d.post_id = ?1) "
                    "AND (?2 IS NULL OR d.channel = ?2) AND (?3 IS NULL OR d.state = ?3) "
                    "AND (?4 IS NULL OR d.scheduled_at >= ?4) "
                    "AND (?5 IS NULL OR d.scheduled_at < ?5) "
                    "ORDER BY d.scheduled_at, d.channel, d.id",
                    detail::k_delivery_columns),
        {f.post_id, f.channel, state, detail::to_db(f.from), detail::to_db(f.to)},
        [](const sqlite::Statement& s) { return detail::read_delivery(s); });
}

Result<std::vector<EventRecord>> Ledger::events(std::int64_t delivery_id) {
    return sqlite::collect<EventRecord>(
        m_store->connection(),
        "SELECT id, delivery_id, part_index, at, kind, detail FROM events "
        "WHERE delivery_id = ? ORDER BY id",
        {delivery_id}, [](const sqlite::Statement& s) {
            EventRecord e;
            e.id = s.column_int(0);
            e.delivery_id = s.column_int(1);
            if (auto v = s.column_opt_int(2)) {
                e.part_index = static_cast<int>(*v);
            }
            e.at = detail::from_db(s.column_int(3));
            e.kind = s.column_text(4);
            e.detail = s.column_text(5);
            return e;
        });
}

}  // namespace cmtool::store
