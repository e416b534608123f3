// bench_publish: generated workspaces, the no-op adapter and the timed engine run.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

#include "cmtool/store/ledger.hpp"
#include "cmtool/store/store.hpp"
#include "publish_bench.hpp"

namespace cmtool::bench {

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

}  // namespace

BenchWorkspace make_workspace(const fs::path& dir, const std::string& api, std::size_t count,
                              PostKind kind, std::chrono::sys_seconds now, const fs::path& image) {
    write_text(dir / "cmtool.yaml", fmt::format(R"(version: 1
brand: Banc d'essai
timezone: Europe/Paris
accounts:
  masto: {{platform: mastodon, instance: https://mastodon.example, api: "{}"}}
min_spacing: 0m
)",
                                                api));
    if (kind == PostKind::image) {
        fs::create_directories(dir / "media");
        fs::copy_file(image, dir / "media" / "slow-lampe.jpg",
                      fs::copy_options::overwrite_existing);
    }
    std::string yaml = "posts:\n";
    for (std::size_t i = 0; i < count; ++i) {
        const auto at = now - std::chrono::seconds(count - i);
        yaml += fmt::format(
            "  - id: bench-{}\n    at: {:%FT%T}+00:00\n    channels: [masto]\n"
            "    text: \"Publication n°{} du banc d'essai, faite à Lyon #atelier\"\n",
            i, at, i);
        if (kind == PostKind::image) {
            yaml += "    media:\n      - {file: media/slow-lampe.jpg, alt: \"Lampe en laiton\"}\n";
        }
    }
    write_text(dir / "calendar" / "posts.yaml", yaml);

    calendar::Diagnostics diags;
    auto ws = calendar::load_workspace(dir, diags);
    if (!ws) {
        throw std::runtime_error(ws.error().message);
    }
    auto posts = calendar::load_posts(*ws, diags);
    if (!posts || diags.error_count() > 0) {
        throw std::runtime_error(posts ? diags.findings().front().message : posts.error().message);
    }
    return BenchWorkspace{std::move(*ws), std::move(*posts)};
}

platforms::Capabilities NoopAdapter::capabilities() const {
    return {.threads = true, .alt_text = true, .idempotent_publish = true, .lookup = true};
}

nlohmann::json NoopAdapter::preview(const platforms::PublishRequest& request) const {
    return {{"text", request.part.text}};
}

Result<platforms::AccountInfo> NoopAdapter::verify() {
    return platforms::AccountInfo{};
}

platforms::PublishResult NoopAdapter::publish(const platforms::PublishRequest&) {
    platforms::PublishResult r;
    r.outcome = platforms::Outcome::sent;
    r.ref.id = std::to_string(m_next++);
    r.ref.url = "https://mastodon.example/@bench/" + r.ref.id;
    return r;
}

Result<platforms::LookupResult> NoopAdapter::lookup(const platforms::PublishRequest&,
                                                    std::chrono::sys_seconds) {
    return platforms::LookupResult{};
}

RunFigures timed_publish(const BenchWorkspace& bw, const fs::path& state_dir,
                         std::chrono::sys_seconds now, const publish::AdapterFactory& adapters) {
    const auto start = std::chrono::steady_clock::now();
    auto db = store::Store::open(state_dir);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    store::Ledger ledger(*db);
    NoSleep sleeper;
    publish::PublishContext ctx{bw.ws, &ledger, adapters, sleeper, {}};
    publish::PublishOptions options;
    options.now = now;
    auto report = publish::run_publish(bw.posts, options, ctx);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (!report) {
        throw std::runtime_error(report.error().message);
    }
    RunFigures f;
    f.deliveries = report->deliveries.size();
    for (const auto& d : report->deliveries) {
        f.sent += d.outcome == publish::DeliveryOutcome::sent ? 1U : 0U;
        if (publish::is_failure(d.outcome)) {
            throw std::runtime_error(fmt::format("{}: {} ({})", d.occurrence_id,
                                                 publish::outcome_name(d.outcome), d.message));
        }
    }
    f.wall_s = took.count();
    return f;
}

}  // namespace cmtool::bench
