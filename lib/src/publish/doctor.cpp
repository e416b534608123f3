// `cmtool doctor`: the checks on the workspace, the calendar and the credentials, in the order a
// user fixes them; the clock and local-state checks are in doctor_checks.cpp.
#include "cmtool/publish/doctor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/validate.hpp"
#include "cmtool/net/retry.hpp"
#include "cmtool/platforms/credentials.hpp"
#include "cmtool/util/strings.hpp"
#include "publish/doctor_checks.hpp"

namespace cmtool::publish {

namespace {

using platforms::AccountAuth;
using platforms::AuthState;

// How many findings or parts a check lists before "and N more".
constexpr std::size_t k_max_items = 10;

std::string plural(std::size_t n, std::string_view one) {
    return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s");
}

std::string finding_line(const calendar::Finding& f) {
    return fmt::format("{}:{}:{}: {}[{}]: {}", f.file, f.pos.line, f.pos.column,
                       f.severity == calendar::Severity::error ? "error" : "warning", f.rule,
                       f.message);
}

// The findings of `level` as check items, capped.
std::vector<std::string> items_of(const std::vector<calendar::Finding>& findings,
                                  calendar::Severity severity) {
    std::vector<std::string> out;
    std::size_t total = 0;
    for (const auto& f : findings) {
        if (f.severity != severity) {
            continue;
        }
        if (++total <= k_max_items) {
            out.push_back(finding_line(f));
        }
    }
    if (total > k_max_items) {
        out.push_back(fmt::format("… and {} more", total - k_max_items));
    }
    return out;
}

Check workspace_check(const calendar::WorkspaceConfig& ws,
                      const std::vector<calendar::Finding>& findings) {
    Check c{"workspace", "workspace", CheckLevel::ok, {}, {}, {}};
    const auto errors = static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(),
        [](const calendar::Finding& f) { return f.severity == calendar::Severity::error; }));
    const std::size_t warnings = findings.size() - errors;
    c.detail = fmt::format("{}: {}, time zone {}", calendar::k_workspace_file,
                           plural(ws.accounts.size(), "account"), ws.timezone);
    if (errors > 0) {
        c.level = CheckLevel::error;
        c.detail = fmt::format("{} has {}", calendar::k_workspace_file, plural(errors, "error"));
        c.items = items_of(findings, calendar::Severity::error);
        c.hint = "fix cmtool.yaml (docs/calendar.md lists every key)";
    } else if (warnings > 0) {
        c.level = CheckLevel::warning;
        c.detail += fmt::format(" ({})", plural(warnings, "warning"));
        c.items = items_of(findings, calendar::Severity::warning);
        c.hint = "`cmtool plan validate` shows them with their place";
    }
    return c;
}

Check calendar_check(const calendar::WorkspaceConfig& ws) {
    Check c{"calendar", "calendar", CheckLevel::ok, {}, {}, {}};
    // The workspace findings are the workspace check's: validate the calendar alone here.
    auto report = calendar::validate(ws, calendar::Diagnostics{}, calendar::ValidateOptions{});
    if (!report) {
        c.level = CheckLevel::error;
        c.detail = report.error().message;
        c.hint = report.error().hint;
        return c;
    }
    const std::string counts =
        fmt::format("{} in {}", plural(report->posts, "post"), plural(report->files, "file"));
    if (report->errors > 0) {
        c.level = CheckLevel::error;
        c.detail = fmt::format("{}, {} ({})", plural(report->errors, "error"),
                               plural(report->warnings, "warning"), counts);
        c.items = items_of(report->findings, calendar::Severity::error);
        c.hint = "`cmtool plan validate` lists them; posts with errors are not published";
    } else if (report->warnings > 0) {
        c.level = CheckLevel::warning;
        c.detail = fmt::format("{} ({})", plural(report->warnings, "warning"), counts);
        c.items = items_of(report->findings, calendar::Severity::warning);
        c.hint = "`cmtool plan validate` shows them";
    } else {
        c.detail = counts + ", no problems";
    }
    return c;
}

std::string source_text(const AccountAuth& a) {
    switch (a.source) {
        case platforms::CredentialSource::environment:
            return "from " + a.env_var;
        case platforms::CredentialSource::file:
            return a.session_only ? "cached session in the credentials file"
                                  : "from the credentials file";
        case platforms::CredentialSource::missing:
            break;
    }
    return "no credentials";
}

// The credentials file's mode and, when that is safe, its content (a corrupt file stops every
// account that has no environment variable).
Check credentials_file_check(platforms::AuthContext& ctx) {
    Check c = check_credentials_file(ctx.credentials_file);
    if (c.level == CheckLevel::ok) {
        calendar::Account any;
        any.name = ctx.ws.accounts.empty() ? "-" : ctx.ws.accounts.front().name;
        if (auto r = ctx.file_credentials.get(any, "token"); !r) {
            c.level = CheckLevel::error;
            c.detail = r.error().message;
            c.hint = r.error().hint;
        }
    }
    return c;
}

Check account_check(const AccountAuth& a, const Check& file_check) {
    Check c{"account:" + a.account,
            fmt::format("{} ({})", a.account, platform_name(a.platform)),
            CheckLevel::ok,
            {},
            a.hint,
            {}};
    switch (a.state) {
        case AuthState::ok:
            c.detail = fmt::format("{}, {}", a.who ? platforms::display_handle(*a.who) : "verified",
                                   source_text(a));
            c.hint.clear();
            break;
        case AuthState::unverified:
            c.detail = source_text(a) + " (not verified: --offline)";
            c.hint.clear();
            break;
        case AuthState::unreachable:
            c.level = CheckLevel::warning;
            c.detail = source_text(a) + "; could not verify: " + a.message;
            if (c.hint.empty()) {
                c.hint = "check the network and the account's `instance`/`service`/`api` setting";
            }
            break;
        default:
            c.level = CheckLevel::error;
            c.detail = a.message;
            // The file's own line says what is wrong with it and how to fix it: once is enough.
            if (file_check.level == CheckLevel::error &&
                a.message.rfind("credentials file ", 0) == 0) {
                c.detail = "its credentials cannot be read (see the credentials file)";
                c.hint.clear();
            }
            break;
    }
    return c;
}

// One line for the accounts cmtool cannot publish to (yet), or nullopt when there are none.
std::optional<Check> unsupported_check(const std::vector<AccountAuth>& accounts) {
    std::vector<std::string> later;
    std::vector<std::string> by_hand;
    for (const auto& a : accounts) {
        if (a.state != AuthState::unsupported) {
            continue;
        }
        if (a.platform == Platform::manual) {
            by_hand.push_back(a.account);
        } else {
            later.push_back(fmt::format("{} ({})", a.account, platform_name(a.platform)));
        }
    }
    std::vector<std::string> parts;
    if (!later.empty()) {
        parts.push_back("no publishing by cmtool yet: " + util::join(later, ", "));
    }
    if (!by_hand.empty()) {
        parts.push_back("published by hand: " + util::join(by_hand, ", "));
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    return Check{
        "accounts-unsupported", "other accounts", CheckLevel::ok, util::join(parts, "; "), {}, {}};
}

}  // namespace

std::string_view check_level_name(CheckLevel level) {
    switch (level) {
        case CheckLevel::ok:
            return "ok";
        case CheckLevel::warning:
            return "warning";
        case CheckLevel::error:
            return "error";
    }
    return "error";
}

std::size_t DoctorReport::count(CheckLevel level) const {
    return static_cast<std::size_t>(std::count_if(
        checks.begin(), checks.end(), [level](const Check& c) { return c.level == level; }));
}

CheckLevel DoctorReport::worst() const {
    CheckLevel w = CheckLevel::ok;
    for (const auto& c : checks) {
        w = std::max(w, c.level);
    }
    return w;
}

DoctorReport run_doctor(platforms::AuthContext& ctx,
                        const std::vector<calendar::Finding>& config_findings,
                        const DoctorOptions& options) {
    DoctorReport r;
    r.checks.push_back(workspace_check(ctx.ws, config_findings));
    r.checks.push_back(calendar_check(ctx.ws));
    const Check file_check = credentials_file_check(ctx);
    r.checks.push_back(file_check);
    const auto accounts = platforms::auth_status(ctx, options.network);
    for (const auto& a : accounts) {
        if (a.state != AuthState::unsupported) {
            r.checks.push_back(account_check(a, file_check));
            const auto note = platforms::expiry_note(
                a, std::chrono::floor<std::chrono::seconds>(ctx.clock.now()), options.warn_days);
            if (note.level == platforms::ExpiryLevel::warning &&
                r.checks.back().level == CheckLevel::ok) {
                r.checks.back().level = CheckLevel::warning;
                r.checks.back().detail += "; " + note.message;
                r.checks.back().hint = note.hint;
            }
        }
    }
    if (auto c = unsupported_check(accounts)) {
        r.checks.push_back(std::move(*c));
    }
    r.checks.push_back(detail::clock_check(ctx, options));
    r.checks.push_back(detail::state_folder_check(ctx.ws));
    r.checks.push_back(detail::ledger_check(ctx.ws));
    r.checks.push_back(detail::lock_check(ctx.ws));
    r.checks.push_back(detail::media_url_check(ctx.ws));
    return r;
}

}  // namespace cmtool::publish
