// bench_publish: how fast `cmtool publish` goes, and what connection reuse changes for it.
//   1. The engine's own cost per delivery: publish::run_publish against a no-op adapter with a
//      real ledger (every commit fsync'ed), then the same run again with everything sent.
//   2. N text deliveries to fake_mastodon with injected latency, with and without reuse.
//   3. M image deliveries the instance processes asynchronously (202, then polls): the GETs.
// Prints a table and writes BUILD/bench-results/publish-YYYYmmdd-HHMMSS.json (bench/README.md).
//   bench_publish [--deliveries N] [--image-deliveries M] [--latency-ms L] [--out DIR] [--quick]
#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "fake_server.hpp"
#include "publish_bench.hpp"

namespace fs = std::filesystem;
using namespace cmtool;
using namespace cmtool::bench;
using nlohmann::json;

namespace {

constexpr const char* k_token = "bench-sandbox-token";

struct Options {
    std::size_t deliveries = 1000;
    std::size_t image_deliveries = 200;
    int latency_ms = 20;
    fs::path out = fs::path(CMTOOL_BUILD_DIR) / "bench-results";
};

struct Row {
    std::string name;
    std::size_t deliveries = 0;
    long requests = -1;  // -1: no server involved
    long connections = -1;
    double wall_s = 0;
    double per_s() const { return wall_s > 0 ? static_cast<double>(deliveries) / wall_s : 0; }
    double ms_each() const {
        return deliveries > 0 ? wall_s * 1000 / static_cast<double>(deliveries) : 0;
    }
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(a + " needs a value");
            }
            return argv[++i];
        };
        if (a == "--deliveries") {
            o.deliveries = std::stoul(value());
        } else if (a == "--image-deliveries") {
            o.image_deliveries = std::stoul(value());
        } else if (a == "--latency-ms") {
            o.latency_ms = std::stoi(value());
        } else if (a == "--out") {
            o.out = value();
        } else if (a == "--quick") {
            o.deliveries = 100;
            o.image_deliveries = 20;
        } else {
            throw std::invalid_argument("unknown argument " + a);
        }
    }
    return o;
}

json admin(net::HttpTransport& http, const std::string& base, const std::string& method,
           const std::string& path) {
    net::HttpRequest r;
    r.method = method;
    r.url = base + path;
    auto res = http.send(r);
    if (!res || res->status != 200) {
        throw std::runtime_error("fake_mastodon admin " + path + " failed");
    }
    return json::parse(res->body);
}

// The engine alone: a no-op adapter, a real ledger; then the same calendar with nothing left.
// `shm` is a folder on tmpfs, or empty when there is none.
std::vector<Row> engine_rows(const fs::path& tmp, const fs::path& shm, std::size_t n,
                             std::chrono::sys_seconds now) {
    const auto bw = make_workspace(tmp / "engine", "https://mastodon.example", n, PostKind::text,
                                   now, fs::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg");
    const publish::AdapterFactory noop = [](const calendar::Account&) {
        return Result<std::unique_ptr<platforms::Adapter>>(std::make_unique<NoopAdapter>());
    };
    const auto first = timed_publish(bw, tmp / "engine-state", now, noop);
    const auto again = timed_publish(bw, tmp / "engine-state", now, noop);
    // The same on tmpfs, where fsync costs nothing: the engine's CPU without the disk's latency.
    const bool have_shm = !shm.empty();
    const auto cpu = have_shm ? timed_publish(bw, shm / "engine-state", now, noop) : RunFigures{};
    if (first.sent != n || again.sent != 0 || (have_shm && cpu.sent != n)) {
        throw std::runtime_error("the engine runs did not send each delivery exactly once");
    }
    const auto start = std::chrono::steady_clock::now();
    const auto due = publish::due_deliveries(bw.posts, bw.ws, now, {});
    const std::chrono::duration<double> due_s = std::chrono::steady_clock::now() - start;
    std::vector<Row> rows = {
        Row{"engine + ledger on disk", first.deliveries, -1, -1, first.wall_s},
        Row{"engine, all already sent", again.deliveries, -1, -1, again.wall_s},
        Row{"due_deliveries alone", due.size(), -1, -1, due_s.count()}};
    if (have_shm) {
        rows.insert(rows.begin() + 1,
                    Row{"engine + ledger on tmpfs", cpu.deliveries, -1, -1, cpu.wall_s});
    }
    return rows;
}

// One publish run against the fake, with or without connection reuse, its ledger in `state_root`.
Row fake_row(const fs::path& tmp, const fs::path& state_root, const test::FakeServerProcess& fake,
             net::CurlTransport& admin_http, const BenchWorkspace& bw, const std::string& name,
             bool reuse, std::chrono::sys_seconds now) {
    admin(admin_http, fake.base_url(), "POST", "/__admin/reset");
    net::CurlOptions options;
    options.reuse_connections = reuse;
    net::CurlTransport http(options);
    platforms::DefaultCredentialStore creds(bw.ws.root, {{"CMTOOL_MASTO_TOKEN", k_token}},
                                            tmp / "credentials.json");
    net::SystemClock clock;
    NoSleep sleeper;
    const publish::AdapterFactory factory = [&](const calendar::Account& a) {
        return platforms::make_adapter(
            platforms::AdapterContext{bw.ws, a, http, creds, clock, sleeper});
    };
    const auto state = state_root / fmt::format("state-{}-{}", name, reuse ? "reuse" : "fresh");
    const auto f = timed_publish(bw, state, now, factory);
    const json stats = admin(admin_http, fake.base_url(), "GET", "/__admin/stats");
    const std::size_t statuses =
        admin(admin_http, fake.base_url(), "GET", "/__admin/statuses").size();
    if (f.sent != bw.posts.size() || statuses != bw.posts.size()) {
        throw std::runtime_error(fmt::format("{}: {} sent, {} statuses for {} posts", name, f.sent,
                                             statuses, bw.posts.size()));
    }
    return Row{fmt::format("mastodon {}, {}", name, reuse ? "reuse" : "no reuse"), f.deliveries,
               stats["requests"].get<long>(), stats["connections"].get<long>(), f.wall_s};
}

json row_json(const Row& r) {
    json j = {{"name", r.name},
              {"deliveries", r.deliveries},
              {"wall_s", r.wall_s},
              {"deliveries_per_s", r.per_s()},
              {"ms_per_delivery", r.ms_each()}};
    if (r.requests >= 0) {
        j["requests"] = r.requests;
        j["connections"] = r.connections;
    }
    return j;
}

}  // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    const fs::path tmp =
        fs::temp_directory_path() / fmt::format("cmtool-bench-publish-{}", ::getpid());
    fs::remove_all(tmp);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    // Ledgers on tmpfs where there is one: the disk's fsync latency varies with the machine's
    // load and would drown what connection reuse changes; the first engine row measures it.
    const fs::path shm =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") / tmp.filename() : fs::path();
    std::vector<Row> rows = engine_rows(tmp, shm, o.deliveries, now);

    auto fake = test::FakeServerProcess::start(
        CMTOOL_FAKE_MASTODON,
        {"--token", std::string("bench=") + k_token, "--latency-ms", std::to_string(o.latency_ms),
         "--rate-limit", "1000000000", "--media-polls", "2", "--max-lifetime", "3600"});
    if (!fake) {
        throw std::runtime_error(fake.error().message);
    }
    net::CurlTransport admin_http;
    const fs::path image = fs::path(CMTOOL_EXAMPLES) / "media" / "lampe-laiton.jpg";
    json ratios = json::object();
    for (const auto& [name, kind, n] : {std::tuple{"text", PostKind::text, o.deliveries},
                                        std::tuple{"image", PostKind::image, o.image_deliveries}}) {
        const auto bw = make_workspace(tmp / name, fake->base_url(), n, kind, now, image);
        const fs::path& state_root = shm.empty() ? tmp : shm;
        const Row with = fake_row(tmp, state_root, *fake, admin_http, bw, name, true, now);
        const Row without = fake_row(tmp, state_root, *fake, admin_http, bw, name, false, now);
        rows.push_back(with);
        rows.push_back(without);
        ratios[name] = with.per_s() / without.per_s();
    }
    fake->stop();
    fs::remove_all(tmp);
    if (!shm.empty()) {
        fs::remove_all(shm);
    }

    fmt::print(
        "bench_publish: fake_mastodon with {} ms per request; ledger fsync'ed per commit{}\n\n",
        o.latency_ms, shm.empty() ? "" : " (on tmpfs for the mastodon runs)");
    fmt::print("{:<32} {:>10} {:>9} {:>11} {:>8} {:>12} {:>11}\n", "run", "deliveries", "requests",
               "connections", "wall_s", "deliveries/s", "ms/delivery");
    for (const auto& r : rows) {
        fmt::print("{:<32} {:>10} {:>9} {:>11} {:>8.3f} {:>12.1f} {:>11.3f}\n", r.name,
                   r.deliveries, r.requests >= 0 ? std::to_string(r.requests) : "-",
                   r.connections >= 0 ? std::to_string(r.connections) : "-", r.wall_s, r.per_s(),
                   r.ms_each());
    }
    fmt::print("\nreuse / no reuse (deliveries/s): text {:.3f}x, image {:.3f}x\n",
               ratios["text"].get<double>(), ratios["image"].get<double>());
    // The target is on the engine's own work; the disk's fsync latency is reported beside it.
    const bool shm_row = rows.at(1).name == "engine + ledger on tmpfs";
    const double engine_ms = rows.at(shm_row ? 1 : 0).ms_each();
    const double fsync_ms = shm_row ? (rows.at(0).ms_each() - engine_ms) / 4 : 0;
    fmt::print("engine overhead: {:.3f} ms per delivery{} (target < 1 ms): {}\n", engine_ms,
               shm_row ? " with the ledger on tmpfs" : "", engine_ms < 1.0 ? "met" : "NOT MET");
    if (shm_row) {
        fmt::print(
            "on this disk: {:.3f} ms per delivery, i.e. about {:.2f} ms for each of the 4 "
            "fsync'ed commits of a one-part delivery\n",
            rows.at(0).ms_each(), fsync_ms);
    }

    json runs = json::array();
    for (const auto& r : rows) {
        runs.push_back(row_json(r));
    }
    fs::create_directories(o.out);
    const auto file = o.out / fmt::format("publish-{:%Y%m%d-%H%M%S}.json", now);
    std::ofstream(file) << json{{"latency_ms", o.latency_ms},
                                {"runs", runs},
                                {"reuse_ratio", ratios},
                                {"engine_ms_per_delivery", engine_ms},
                                {"engine_ms_per_delivery_on_disk", rows.at(0).ms_each()},
                                {"fsync_ms_per_commit", fsync_ms},
                                {"engine_target_met", engine_ms < 1.0}}
                               .dump(2)
                        << '\n';
    fmt::print("results: {}\n", file.string());
    return engine_ms < 1.0 ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_publish: %s\n", e.what());
    return 2;
}
