// The doctor's checks on what lies outside the calendar: the clock, the credentials file's mode,
// the state folder, the ledger and the publish lock. None of them leaves anything behind.
#include "publish/doctor_checks.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cmtool/net/http.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/store/lock.hpp"
#include "cmtool/store/store.hpp"

namespace cmtool::publish {

namespace fs = std::filesystem;

namespace {

// Scheduled posts are in the future; a clock before this year is certainly wrong.
constexpr int k_min_year = 2024;

std::string duration_text(std::chrono::seconds s) {
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(s);
    if (m.count() == 0) {
        return fmt::format("{} s", s.count());
    }
    return fmt::format("{} min {} s", m.count(), (s - m).count());
}

std::string host_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    return url.substr(start, url.find('/', start) - start);
}

// Creates and removes a file in `dir`: "" when that works, else the reason.
std::string try_write(const fs::path& dir) {
    std::string pattern = (dir / ".cmtool-doctor-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        return std::strerror(errno);
    }
    ::close(fd);
    ::unlink(pattern.c_str());
    return {};
}

}  // namespace

Check check_clock(net::SysTime now, std::optional<std::chrono::sys_seconds> server_date,
                  const std::string& server, const std::string& why,
                  std::chrono::seconds tolerance) {
    using namespace std::chrono;
    Check c{"clock", "clock", CheckLevel::ok, {}, {}, {}};
    const auto ours = floor<seconds>(now);
    if (server_date) {
        const seconds gap = ours - *server_date;
        const seconds abs_gap = gap < seconds{0} ? -gap : gap;
        if (abs_gap <= tolerance) {
            c.detail = fmt::format("in step with {} ({} apart)", server, duration_text(abs_gap));
            return c;
        }
        c.level = CheckLevel::warning;
        c.detail =
            fmt::format("the system clock is {} {} {} ({:%F %T} UTC here, {:%F %T} UTC there)",
                        duration_text(abs_gap), gap > seconds{0} ? "ahead of" : "behind", server,
                        ours, *server_date);
        c.hint =
            "synchronise it (e.g. `timedatectl set-ntp true`): posts would go out early or "
            "late, and platforms refuse requests signed at the wrong time";
        return c;
    }
    const year_month_day ymd{floor<days>(ours)};
    if (static_cast<int>(ymd.year()) < k_min_year) {
        c.level = CheckLevel::error;
        c.detail = fmt::format("the system clock says {:%F %T} UTC", ours);
        c.hint = "set the date and time (e.g. `timedatectl set-ntp true`)";
        return c;
    }
    c.detail = fmt::format("{:%F %T} UTC (not compared with a server: {})", ours, why);
    return c;
}

Check check_credentials_file(const fs::path& file) {
    Check c{"credentials-file", "credentials file", CheckLevel::ok, {}, {}, {}};
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            c.detail = "none yet (" + file.string() + "); secrets come from the environment";
            return c;
        }
        c.level = CheckLevel::error;
        c.detail = fmt::format("cannot read {}: {}", file.string(), std::strerror(errno));
        c.hint = "check the permissions of its folder";
        return c;
    }
    const auto mode = st.st_mode & 07777;
    if ((mode & 077) != 0) {
        c.level = CheckLevel::error;
        c.detail = fmt::format("{} has mode {:04o}: other users may read the secrets",
                               file.string(), mode);
        c.hint = "chmod 600 " + file.string();
        return c;
    }
    c.detail = fmt::format("{} (mode {:04o})", file.string(), mode);
    return c;
}

namespace detail {

Check clock_check(platforms::AuthContext& ctx, const DoctorOptions& options) {
    if (options.network == platforms::Network::offline) {
        return check_clock(ctx.clock.now(), std::nullopt, {}, "--offline", options.clock_tolerance);
    }
    const calendar::Account* target = nullptr;
    for (const auto& a : ctx.ws.accounts) {
        if (!platforms::login_secret_kind(a.platform).empty() && !platforms::api_base(a).empty()) {
            target = &a;
            break;
        }
    }
    if (target == nullptr) {
        return check_clock(ctx.clock.now(), std::nullopt, {}, "no Mastodon or Bluesky account",
                           options.clock_tolerance);
    }
    // Any answer carries a Date header (RFC 9110 §6.6.1); these two need no token.
    const std::string base = platforms::api_base(*target);
    net::HttpRequest req;
    req.url =
        base + (target->platform == Platform::mastodon ? "/api/v2/instance" : "/xrpc/_health");
    req.timeout = std::chrono::seconds(10);
    const auto r = ctx.http.send(req);
    const auto now = ctx.clock.now();
    const std::string server = host_of(base);
    if (!r) {
        return check_clock(now, std::nullopt, server, server + " did not answer",
                           options.clock_tolerance);
    }
    const auto header = r->header("Date");
    const auto date = header ? net::parse_http_date(*header) : std::nullopt;
    return check_clock(now, date, server, server + " sent no Date header", options.clock_tolerance);
}

Check state_folder_check(const calendar::WorkspaceConfig& ws) {
    Check c{"state-folder", "state folder", CheckLevel::ok, {}, {}, {}};
    const fs::path dir = ws.state_path();
    std::error_code ec;
    const bool exists = fs::exists(dir, ec);
    if (exists && !fs::is_directory(dir, ec)) {
        c.level = CheckLevel::error;
        c.detail = dir.string() + " is not a folder";
        c.hint = "move it away: cmtool keeps its ledger there";
        return c;
    }
    const fs::path probe = exists ? dir : ws.root;
    if (const std::string why = try_write(probe); !why.empty()) {
        c.level = CheckLevel::error;
        c.detail = fmt::format("cannot create a file in {}: {}", probe.string(), why);
        c.hint = "check its owner and permissions (ls -ld " + probe.string() + ")";
        return c;
    }
    c.detail = exists ? ws.state_dir + "/ is writable"
                      : ws.state_dir + "/ does not exist yet; the first publish creates it";
    return c;
}

Check ledger_check(const calendar::WorkspaceConfig& ws) {
    Check c{"ledger", "ledger", CheckLevel::ok, {}, {}, {}};
    if (!fs::exists(ws.state_path() / store::k_state_db_file)) {
        c.detail = "none yet; the first publish creates it";
        return c;
    }
    auto db = store::Store::open(ws.state_path(), store::StoreOptions{std::chrono::seconds(2)});
    if (!db) {
        c.level = CheckLevel::error;
        c.detail = db.error().message;
        c.hint = db.error().hint;
        return c;
    }
    store::Ledger ledger(*db);
    auto unresolved = ledger.unresolved();
    auto all = ledger.list(store::DeliveryFilter{});
    if (!unresolved || !all) {
        const Error& e = !unresolved ? unresolved.error() : all.error();
        c.level = CheckLevel::error;
        c.detail = e.message;
        c.hint = e.hint;
        return c;
    }
    std::map<store::DeliveryState, std::size_t> states;
    for (const auto& d : *all) {
        ++states[d.state];
    }
    std::vector<std::string> counts;
    for (const auto& [state, n] : states) {
        counts.push_back(fmt::format("{} {}", n, store::delivery_state_name(state)));
    }
    c.detail = fmt::format("{} deliveries{}{}", all->size(), counts.empty() ? "" : ": ",
                           fmt::join(counts, ", "));
    if (!unresolved->empty()) {
        c.level = CheckLevel::warning;
        c.detail = fmt::format("outcome unknown for {} part{}: the next publish will check them",
                               unresolved->size(), unresolved->size() == 1 ? "" : "s");
        for (const auto& u : *unresolved) {
            c.items.push_back(fmt::format("{} → {}, part {}", u.delivery.occurrence_id,
                                          u.delivery.channel, u.part.index));
        }
        c.hint = "run `cmtool publish`: it looks them up on the platform before sending anything";
    }
    return c;
}

Check lock_check(const calendar::WorkspaceConfig& ws) {
    Check c{"lock", "publish lock", CheckLevel::ok, "free", {}, {}};
    const fs::path path = ws.state_path() / "publish.lock";
    if (!fs::exists(path)) {
        return c;  // acquiring would create it (and the state folder)
    }
    auto lock = store::FileLock::acquire(path, std::chrono::milliseconds{0}, "cmtool publish");
    if (lock) {
        lock->release();
        return c;
    }
    c.level = lock.error().code == ErrorCode::conflict ? CheckLevel::warning : CheckLevel::error;
    c.detail = lock.error().message;
    c.hint = lock.error().code == ErrorCode::conflict
                 ? "a `cmtool publish` is running now; if it never ends, look at that process"
                 : lock.error().hint;
    return c;
}

Check media_url_check(const calendar::WorkspaceConfig& ws) {
    Check c{"media-base-url", "media_base_url", CheckLevel::ok, {}, {}, {}};
    for (const auto& a : ws.accounts) {
        if ((a.platform == Platform::instagram || a.platform == Platform::threads) &&
            a.get("media_base_url", ws.media_base_url).empty()) {
            c.items.push_back(a.name);
        }
    }
    if (c.items.empty()) {
        c.detail = ws.media_base_url.empty() ? "not needed (no Instagram or Threads account)"
                                             : ws.media_base_url;
        return c;
    }
    c.level = CheckLevel::warning;
    c.detail = fmt::format("{} fetch media from a public URL, and no `media_base_url` is set",
                           fmt::join(c.items, ", "));
    c.hint =
        "serve the workspace's media/ folder over https and set `media_base_url` in "
        "cmtool.yaml; until then posts with media cannot go to these accounts";
    return c;
}

}  // namespace detail

}  // namespace cmtool::publish
