// bench_watch: mentions/s that `cmtool watch` matches, scores and stores from a `file` source,
// against a floor measured in the same run on the same lines: reading and JSON-parsing them
// (read_file_source) without matching, scoring or storing.
//   bench_watch [N] [DIR] [--store-only]   (default 1000000 mentions, DIR a fresh folder under
//   /tmp; --store-only skips the floor and score passes, for profiling the watch pass alone)
// Mentions are built from the labelled texts of tests/data/sentiment with the brand name in
// front, a unique URI each, spread over the last 30 days; every one matches the query.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmtool/net/curl_transport.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/store/mentions.hpp"
#include "cmtool/util/files.hpp"
#include "cmtool/watch/run.hpp"
#include "cmtool/watch/sentiment_eval.hpp"
#include "cmtool/watch/source.hpp"
#include "watch/ingest.hpp"

using namespace cmtool;

namespace {

using Clock = std::chrono::steady_clock;

class NoCredentials final : public platforms::CredentialStore {
  public:
    Result<std::optional<std::string>> get(const calendar::Account&, std::string_view) override {
        return std::optional<std::string>();
    }
    Result<void> put(const calendar::Account&, std::string_view,
                     std::optional<std::string>) override {
        return {};
    }
    std::vector<std::string> known_secrets() const override { return {}; }
};

class NoSleep final : public net::Sleeper {
  public:
    Result<void> sleep_for(std::chrono::milliseconds) override { return {}; }
};

std::vector<std::string> texts() {
    std::vector<std::string> out;
    for (const char* file : {"dev.tsv", "heldout.tsv"}) {
        auto tsv = util::read_file(std::filesystem::path(CMTOOL_TEST_DATA) / "sentiment" / file);
        if (!tsv) {
            continue;
        }
        auto posts = watch::parse_labelled(*tsv);
        if (posts) {
            for (auto& p : *posts) {
                out.push_back(std::move(p.text));
            }
        }
    }
    if (out.empty()) {
        out.emplace_back("Livraison rapide, merci !");
    }
    return out;
}

// Writes n JSON lines; returns the bytes written.
std::size_t generate(const std::filesystem::path& file, std::size_t n) {
    const auto base = texts();
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (f == nullptr) {
        return 0;
    }
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t at = now - static_cast<std::int64_t>((i * 2593U) % 2592000U);
        const auto t = std::chrono::sys_seconds(std::chrono::seconds(at));
        nlohmann::json j = {{"uri", fmt::format("https://social.example/@u{}/{}", i % 5000, i)},
                            {"url", fmt::format("https://social.example/@u{}/{}", i % 5000, i)},
                            {"author", fmt::format("u{}@social.example", i % 5000)},
                            {"published_at", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t)},
                            {"text", "GreenCart " + base[i % base.size()] + fmt::format(" #{}", i)},
                            {"platform", "file"}};
        const std::string line = j.dump() + "\n";
        bytes += std::fwrite(line.data(), 1, line.size(), f);
    }
    std::fclose(f);
    return bytes;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1000000;
    const std::filesystem::path dir =
        argc > 2 ? std::filesystem::path(argv[2])
                 : std::filesystem::temp_directory_path() / fmt::format("cmtool-bench-watch-{}", n);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto file = dir / "mentions.jsonl";
    const std::size_t bytes = generate(file, n);
    fmt::print("generated {} mentions, {:.1f} MB, in {}\n", n, static_cast<double>(bytes) / 1e6,
               file.string());

    const bool store_only = argc > 3 && std::string_view(argv[3]) == "--store-only";
    // Floor: read and JSON-parse every line, in the same chunks as the watch step.
    auto t0 = Clock::now();
    store::WatchCursor cursor;
    std::size_t read = 0;
    while (!store_only) {
        auto items = watch::read_file_source(file, cursor, watch::k_file_chunk);
        if (!items || items->empty()) {
            break;
        }
        read += items->size();
    }
    const double floor_s = seconds_since(t0);

    calendar::WorkspaceConfig ws;
    ws.root = dir;
    calendar::WatchSourceConfig src;
    src.name = "dump";
    src.type = calendar::WatchSourceType::file;
    src.path = "mentions.jsonl";
    ws.watch.sources.push_back(src);
    calendar::WatchQueryConfig q;
    q.name = "greencart";
    q.terms = "greencart \"green cart\"";
    q.sources = {"dump"};
    ws.watch.queries.push_back(q);
    // Reading, matching and scoring without storing: what the store adds is the difference.
    auto ingest = watch::detail::Ingest::make(ws.watch, watch::Explain::no);
    t0 = Clock::now();
    cursor = {};
    std::size_t scored = 0;
    while (ingest && !store_only) {
        auto items = watch::read_file_source(file, cursor, watch::k_file_chunk);
        if (!items || items->empty()) {
            break;
        }
        scored += ingest->mentions(*items, "dump", "", std::chrono::sys_seconds{}).size();
    }
    const double score_s = seconds_since(t0);

    auto db = store::Store::open(dir / "state");
    if (!db) {
        fmt::print(stderr, "bench_watch: {}\n", db.error().message);
        return 1;
    }
    net::CurlTransport http;
    NoCredentials creds;
    net::SystemClock clock;
    NoSleep sleeper;
    net::CurlMailer mailer;
    watch::WatchContext ctx{ws, *db, http, creds, clock, sleeper, mailer};
    watch::WatchOptions o;
    o.keep_mentions = false;
    t0 = Clock::now();
    auto report = watch::watch_step(o, ctx);
    const double full_s = seconds_since(t0);
    if (!report) {
        fmt::print(stderr, "bench_watch: {}\n", report.error().message);
        return 1;
    }
    const double floor_rate = static_cast<double>(read) / floor_s;
    const double rate = static_cast<double>(report->stored) / full_s;
    fmt::print("floor  read + parse      {:>9} mentions in {:6.2f} s  {:>10.0f} mentions/s\n", read,
               floor_s, floor_rate);
    fmt::print("score  read+match+score  {:>9} mentions in {:6.2f} s  {:>10.0f} mentions/s\n",
               scored, score_s, static_cast<double>(scored) / score_s);
    fmt::print("watch  match+score+store {:>9} mentions in {:6.2f} s  {:>10.0f} mentions/s\n",
               report->stored, full_s, rate);
    fmt::print("ratio  {:.2f}x the floor's time; target 200000 mentions/s: {}\n", full_s / floor_s,
               rate >= 200000 ? "met" : "NOT met");
    std::filesystem::remove_all(dir);
    return report->stored == n ? 0 : 1;
}
