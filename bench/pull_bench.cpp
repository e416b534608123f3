// bench_pull: how fast `pull-metrics` fetches the counters of many tracked posts (bench/README.md).
//   1. fake_mastodon holds N statuses; the store tracks all N; every request takes L ms.
//   2. metrics::pull_metrics runs, through a transport that records every request it makes.
//   3. The floor: a plain libcurl multi loop over the same requests at the same concurrency.
//   4. One request at a time, the naive way (GET /api/v1/statuses/:id per post), measured on a
//      sample and scaled to N; and the puller itself with concurrency 1.
// Prints a table and writes BUILD/bench-results/pull-YYYYmmdd-HHMMSS.json.
//   bench_pull [--posts N] [--latency-ms L] [--concurrency C] [--sample K] [--out DIR]
#include <curl/curl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmtool/metrics/pull.hpp"
#include "cmtool/net/curl_transport.hpp"
#include "fake_server.hpp"
#include "memory_credentials.hpp"

namespace fs = std::filesystem;
using namespace cmtool;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* k_token = "bench-sandbox-token";

struct Options {
    std::size_t posts = 10000;
    int latency_ms = 20;
    std::size_t concurrency = 8;
    std::size_t sample = 250;
    fs::path out = fs::path(CMTOOL_BUILD_DIR) / "bench-results";
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) {
            throw std::invalid_argument(a + " needs a value");
        }
        const std::string v = argv[++i];
        if (a == "--posts") {
            o.posts = std::stoul(v);
        } else if (a == "--latency-ms") {
            o.latency_ms = std::stoi(v);
        } else if (a == "--concurrency") {
            o.concurrency = std::stoul(v);
        } else if (a == "--sample") {
            o.sample = std::stoul(v);
        } else if (a == "--out") {
            o.out = v;
        } else {
            throw std::invalid_argument("unknown flag " + a);
        }
    }
    return o;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Forwards to a CurlTransport and keeps a copy of every request, in the order they start.
class RecordingTransport final : public net::HttpTransport {
  public:
    std::vector<net::HttpRequest> requests;

    Result<net::HttpResponse> send(const net::HttpRequest& r) override {
        requests.push_back(r);
        return m_curl.send(r);
    }
    void stream(net::RequestStream& inner, std::size_t concurrency) override {
        Recorder rec(inner, requests);
        m_curl.stream(rec, concurrency);
    }

  private:
    class Recorder final : public net::RequestStream {
      public:
        Recorder(net::RequestStream& inner, std::vector<net::HttpRequest>& log)
            : m_inner(inner), m_log(log) {}
        std::optional<net::TaggedRequest> next() override {
            auto r = m_inner.next();
            if (r) {
                m_log.push_back(r->request);
            }
            return r;
        }
        void done(std::size_t tag, Result<net::HttpResponse> response) override {
            m_inner.done(tag, std::move(response));
        }

      private:
        net::RequestStream& m_inner;
        std::vector<net::HttpRequest>& m_log;
    };
    net::CurlTransport m_curl;
};

// The floor: every request through one curl multi handle, `concurrency` in flight, connections
// reused, nothing else (no parsing, no store). Returns the wall time and the 200 count.
std::pair<double, std::size_t> curl_multi_floor(const std::vector<net::HttpRequest>& requests,
                                                std::size_t concurrency) {
    struct Slot {
        CURL* easy = nullptr;
        curl_slist* headers = nullptr;
        std::string body;
    };
    CURLM* multi = curl_multi_init();
    std::vector<Slot> slots(concurrency);
    std::vector<Slot*> idle;
    for (auto& s : slots) {
        s.easy = curl_easy_init();
        idle.push_back(&s);
    }
    const auto on_body = +[](char* data, std::size_t size, std::size_t n, void* user) {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
    };
    std::size_t next = 0, active = 0, ok = 0;
    const auto start_one = [&](Slot& s) {
        const auto& r = requests[next++];
        curl_easy_reset(s.easy);
        curl_slist_free_all(s.headers);
        s.headers = nullptr;
        for (const auto& [k, v] : r.headers) {
            s.headers = curl_slist_append(s.headers, (k + ": " + v).c_str());
        }
        s.body.clear();
        curl_easy_setopt(s.easy, CURLOPT_URL, r.url.c_str());
        curl_easy_setopt(s.easy, CURLOPT_HTTPHEADER, s.headers);
        curl_easy_setopt(s.easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(s.easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(s.easy, CURLOPT_WRITEDATA, &s.body);
        curl_easy_setopt(s.easy, CURLOPT_PRIVATE, &s);
        curl_multi_add_handle(multi, s.easy);
        ++active;
    };
    const auto t0 = Clock::now();
    while (!idle.empty() && next < requests.size()) {
        start_one(*idle.back());
        idle.pop_back();
    }
    while (active > 0) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* m = curl_multi_info_read(multi, &queued)) {
            if (m->msg != CURLMSG_DONE) {
                continue;
            }
            Slot* s = nullptr;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &s);
            long status = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            ok += status == 200 ? 1 : 0;
            curl_multi_remove_handle(multi, m->easy_handle);
            --active;
            if (next < requests.size()) {
                start_one(*s);
            }
        }
        if (active > 0) {
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
        }
    }
    const double wall = seconds_since(t0);
    for (auto& s : slots) {
        curl_slist_free_all(s.headers);
        curl_easy_cleanup(s.easy);
    }
    curl_multi_cleanup(multi);
    return {wall, ok};
}

json admin(net::CurlTransport& http, const std::string& base, const std::string& path,
           const json& body) {
    net::HttpRequest r;
    r.method = "POST";
    r.url = base + path;
    net::set_json_body(r, body.dump());
    auto res = http.send(r);
    if (!res || res->status != 200) {
        throw std::runtime_error("admin call " + path + " failed");
    }
    return json::parse(res->body);
}

// N statuses on the fake, created fast (no latency yet); their ids.
std::vector<std::string> create_statuses(net::CurlTransport& http, const std::string& base,
                                         std::size_t n) {
    std::vector<net::HttpRequest> requests;
    for (std::size_t i = 0; i < n; ++i) {
        net::HttpRequest r;
        r.method = "POST";
        r.url = base + "/api/v1/statuses";
        r.headers = {{"Authorization", std::string("Bearer ") + k_token}};
        net::set_json_body(r, json{{"status", fmt::format("Bench post {}", i)}}.dump());
        requests.push_back(std::move(r));
    }
    std::vector<std::string> ids;
    for (auto& res : http.send_all(requests, 16)) {
        if (!res || res->status != 200) {
            throw std::runtime_error("cannot create a status on the fake");
        }
        ids.push_back(json::parse(res->body)["id"].get<std::string>());
    }
    return ids;
}

struct PullRun {
    double wall_s = 0;
    std::size_t requests = 0;
    std::size_t posts = 0;
    double store_s = 0;
    std::vector<net::HttpRequest> log;
};

PullRun run_pull(const std::string& base, const fs::path& dir, const std::vector<std::string>& ids,
                 std::size_t concurrency) {
    fs::remove_all(dir);
    calendar::WorkspaceConfig ws;
    ws.root = dir;
    calendar::Account account;
    account.name = "masto";
    account.platform = Platform::mastodon;
    account.settings = {{"api", base}};
    ws.accounts.push_back(account);
    test::MemoryCredentials credentials;
    credentials.set("masto", "token", k_token);
    auto store = store::Store::open(dir / ".cmtool");
    if (!store) {
        throw std::runtime_error(store.error().message);
    }
    net::SystemClock clock;
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
    std::vector<store::TrackedPost> tracked;
    for (const auto& id : ids) {
        store::TrackedPost t;
        t.account = "masto";
        t.platform = "mastodon";
        t.remote_id = id;
        t.published_at = now - std::chrono::hours(24);
        tracked.push_back(std::move(t));
    }
    if (!store::MetricsStore(*store).track_all(tracked, now)) {
        throw std::runtime_error("cannot track the posts");
    }
    RecordingTransport http;
    test::RecordingSleeper sleeper;
    metrics::PullContext ctx{ws, *store, http, credentials, clock, sleeper};
    metrics::PullOptions options;
    options.concurrency = concurrency;
    const auto t0 = Clock::now();
    auto report = metrics::pull_metrics(options, ctx);
    PullRun run;
    run.wall_s = seconds_since(t0);
    if (!report || report->accounts.size() != 1) {
        throw std::runtime_error(report ? "no account pulled" : report.error().message);
    }
    run.requests = http.requests.size();
    run.posts = report->accounts.front().posts;
    run.store_s = std::chrono::duration<double>(report->store_time).count();
    run.log = std::move(http.requests);
    return run;
}

// One GET /api/v1/statuses/:id after another for the first `k` posts.
double naive_serial(const std::string& base, const std::vector<std::string>& ids, std::size_t k) {
    net::CurlTransport http;
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < k && i < ids.size(); ++i) {
        net::HttpRequest r;
        r.url = base + "/api/v1/statuses/" + ids[i];
        r.headers = {{"Authorization", std::string("Bearer ") + k_token}};
        if (auto res = http.send(r); !res || res->status != 200) {
            throw std::runtime_error("naive GET failed");
        }
    }
    return seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto fake = test::FakeServerProcess::start(
        CMTOOL_FAKE_MASTODON, {"--token", std::string("bench=") + k_token, "--rate-limit",
                               "1000000000", "--max-lifetime", "900"});
    if (!fake) {
        throw std::runtime_error(fake.error().message);
    }
    const std::string base = fake->base_url();
    net::CurlTransport admin_http;
    fmt::print("creating {} statuses on fake_mastodon...\n", o.posts);
    const auto ids = create_statuses(admin_http, base, o.posts);
    admin(admin_http, base, "/__admin/latency", {{"ms", o.latency_ms}});
    const fs::path data = fs::path(CMTOOL_BUILD_DIR) / "bench-data" / "pull";

    const PullRun pull = run_pull(base, data, ids, o.concurrency);
    const auto [floor_s, floor_ok] = curl_multi_floor(pull.log, o.concurrency);
    const PullRun serial_pull = run_pull(base, data, ids, 1);
    const std::size_t k = std::min(o.sample, ids.size());
    const double naive_s =
        naive_serial(base, ids, k) * static_cast<double>(ids.size()) / static_cast<double>(k);

    const double ratio = pull.wall_s / floor_s;
    const double vs_naive = naive_s / pull.wall_s;
    const double store_share = pull.store_s / pull.wall_s;
    fmt::print("\nbench_pull: {} tracked posts, {} ms per request, concurrency {}\n", o.posts,
               o.latency_ms, o.concurrency);
    fmt::print("{:<44} {:>9} {:>9} {:>11}\n", "", "wall s", "requests", "requests/s");
    const auto row = [](const std::string& name, double s, std::size_t n) {
        fmt::print("{:<44} {:>9.3f} {:>9} {:>11.0f}\n", name, s, n, static_cast<double>(n) / s);
    };
    row("pull-metrics", pull.wall_s, pull.requests);
    row("floor: plain curl multi, same requests", floor_s, pull.log.size());
    row("pull-metrics --concurrency 1", serial_pull.wall_s, serial_pull.requests);
    row(fmt::format("one GET per post, one at a time (x{:.0f})",
                    static_cast<double>(ids.size()) / static_cast<double>(k)),
        naive_s, ids.size());
    fmt::print("\nposts pulled: {} of {}; floor answers 200: {} of {}\n", pull.posts, o.posts,
               floor_ok, pull.log.size());
    fmt::print("ratio to the floor: {:.2f}x (target <= 1.5)\n", ratio);
    fmt::print("faster than one request at a time: {:.0f}x (target >= 20)\n", vs_naive);
    fmt::print("writing snapshots: {:.3f} s = {:.1f}% of the run (target < 5%)\n", pull.store_s,
               store_share * 100);
    fs::create_directories(o.out);
    const auto stamp = fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(std::time(nullptr)));
    const json result = {{"posts", o.posts},
                         {"latency_ms", o.latency_ms},
                         {"concurrency", o.concurrency},
                         {"pull_wall_s", pull.wall_s},
                         {"pull_requests", pull.requests},
                         {"pull_requests_per_s", static_cast<double>(pull.requests) / pull.wall_s},
                         {"floor_wall_s", floor_s},
                         {"ratio_to_floor", ratio},
                         {"serial_pull_wall_s", serial_pull.wall_s},
                         {"naive_serial_s_scaled", naive_s},
                         {"naive_sample", k},
                         {"speedup_vs_naive", vs_naive},
                         {"store_s", pull.store_s},
                         {"store_share", store_share}};
    std::ofstream(o.out / ("pull-" + stamp + ".json")) << result.dump(2) << "\n";
    const bool pass = pull.posts == o.posts && ratio <= 1.5 && vs_naive >= 20 && store_share < 0.05;
    fmt::print("{}\n", pass ? "all targets met" : "a target was missed");
    return pass ? 0 : 1;
} catch (const std::exception& e) {
    fmt::print(stderr, "bench_pull: {}\n", e.what());
    return 2;
}
