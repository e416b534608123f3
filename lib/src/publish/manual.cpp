// Manual channels: render a due delivery into a ready-to-post folder, and the engine's step that
// does it once and then holds the delivery as awaiting_confirmation (docs/networks/manual.md).
#include "cmtool/publish/manual.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/store/ledger.hpp"
#include "cmtool/util/files.hpp"
#include "run.hpp"

namespace cmtool::publish {

namespace fs = std::filesystem;

namespace {

// A file-name-safe copy of an id or account name.
std::string safe_name(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@';
        out += ok ? c : '_';
    }
    return out.empty() || out == "." || out == ".." ? "_" + out : out;
}

std::string network_of(const calendar::Account& a) {
    const std::string n = a.get("network");
    return n.empty() ? "the network" : n;
}

std::string readme(const Delivery& d, const calendar::WorkspaceConfig& ws,
                   const std::vector<std::pair<std::string, std::string>>& media) {
    std::string out = fmt::format("# To post by hand on {}\n\n", network_of(*d.account));
    out += fmt::format("- Post: `{}` (channel `{}`)\n", d.occurrence.id, d.channel());
    out += fmt::format("- Scheduled for: {}\n", calendar::iso_local(d.occurrence.at.utc, ws));
    if (d.parts.size() > 1) {
        out += fmt::format(
            "- A thread of {} parts: post `part-1.txt` first, then each next part "
            "as a reply or follow-up, in order (all of them are in `post.txt`).\n",
            d.parts.size());
    } else {
        out += "- Text: `post.txt`, exactly as it should appear.\n";
    }
    if (!media.empty()) {
        out += "- Media, in this order (alt text in `alt.txt`, add it where the network allows):\n";
        for (const auto& [file, alt] : media) {
            out += fmt::format("  - `{}`{}\n", file, alt.empty() ? "" : ": " + alt);
        }
    }
    out += fmt::format(
        "\nOnce it is online, record it (until then `cmtool publish` lists it as "
        "waiting and never renders it again):\n\n    {}\n",
        confirm_command(d, ws));
    return out;
}

Result<void> write_into(const fs::path& dir, const Delivery& d,
                        const calendar::WorkspaceConfig& ws) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(ErrorCode::io, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    }
    std::string all;
    for (std::size_t i = 0; i < d.parts.size(); ++i) {
        const auto& p = d.parts[i];
        if (d.parts.size() > 1) {
            all +=
                fmt::format("{}=== part {} of {} ===\n", i == 0 ? "" : "\n", i + 1, d.parts.size());
            if (auto w =
                    util::write_file_atomic(dir / fmt::format("part-{}.txt", i + 1), p.text + "\n");
                !w) {
                return w;
            }
        }
        all += p.text + "\n";
    }
    if (auto w = util::write_file_atomic(dir / "post.txt", all); !w) {
        return w;
    }
    std::vector<std::pair<std::string, std::string>> media;
    std::string alt;
    for (const auto& p : d.parts) {
        for (const auto& m : p.media) {
            // Numbered, so two files with the same name in different folders cannot collide.
            const std::string name =
                fmt::format("{}-{}", media.size() + 1, m.path.filename().string());
            fs::copy_file(m.path, dir / name, fs::copy_options::overwrite_existing, ec);
            if (ec) {
                return fail(ErrorCode::io, fmt::format("cannot copy {} into {}: {}", m.file,
                                                       dir.string(), ec.message()));
            }
            media.emplace_back(name, m.alt);
            alt += fmt::format("{}: {}\n", name, m.alt.empty() ? "(no alt text)" : m.alt);
        }
    }
    if (!media.empty()) {
        if (auto w = util::write_file_atomic(dir / "alt.txt", alt); !w) {
            return w;
        }
    }
    return util::write_file_atomic(dir / "README.md", readme(d, ws, media));
}

}  // namespace

fs::path manual_folder(const Delivery& d, const calendar::WorkspaceConfig& ws) {
    const std::string setting = d.account->get("folder");
    const fs::path base =
        setting.empty() ? ws.state_path() / "manual" / safe_name(d.channel()) : ws.root / setting;
    const std::string day = calendar::iso_local(d.occurrence.at.utc, ws).substr(0, 10);
    return (base / (day + "-" + safe_name(d.post->id))).lexically_normal();
}

std::string confirm_command(const Delivery& d, const calendar::WorkspaceConfig& ws) {
    int manual_channels = 0;
    for (const auto& ch : d.post->channels) {
        const calendar::Account* a = ws.find_account(ch);
        manual_channels += a != nullptr && a->platform == Platform::manual ? 1 : 0;
    }
    return fmt::format("cmtool publish confirm {}{} --url <URL>", d.occurrence.id,
                       manual_channels > 1 ? " --channel " + d.channel() : "");
}

Result<fs::path> render_manual(const Delivery& d, const calendar::WorkspaceConfig& ws) {
    const fs::path dir = manual_folder(d, ws);
    // Written aside and renamed into place, so a crash never leaves half a folder to post from.
    const fs::path tmp = dir.parent_path() / fmt::format(".{}.tmp-{}", dir.filename().string(),
                                                         static_cast<long>(::getpid()));
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (auto w = write_into(tmp, d, ws); !w) {
        fs::remove_all(tmp, ec);
        return fail(std::move(w).error());
    }
    fs::remove_all(dir, ec);  // an earlier rendering whose ledger write did not happen
    fs::rename(tmp, dir, ec);
    if (ec) {
        fs::remove_all(tmp, ec);
        return fail(ErrorCode::io, fmt::format("cannot move the rendered post to {}: {}",
                                               dir.string(), ec.message()));
    }
    return dir;
}

namespace detail {

Result<DeliveryReport> Run::hand_over(const Delivery& d, const store::DeliveryRecord& rec,
                                      DeliveryReport r) {
    // Rendered first, recorded second: a crash in between renders the same folder again at
    // the next run (harmless: nothing left this machine), never loses it.
    auto dir = render_manual(d, m_ctx.ws);
    if (!dir) {
        r.outcome = DeliveryOutcome::failed;
        r.message = dir.error().message;
        r.hint =
            "fix the folder's permissions or the account's `folder` setting; the next run "
            "tries again";
        return r;
    }
    if (auto s = m_ctx.ledger->set_delivery_state(rec.id, DeliveryState::awaiting_confirmation, {},
                                                  dir->string(), {}, m_opt.now);
        !s) {
        return fail(std::move(s).error());
    }
    (void)m_ctx.ledger->add_event(rec.id, std::nullopt, "rendered", dir->string(), m_opt.now);
    r.outcome = DeliveryOutcome::to_post_by_hand;
    r.manual_folder = dir->string();
    r.hint = confirm_command(d, m_ctx.ws);
    return r;
}

}  // namespace detail

}  // namespace cmtool::publish
