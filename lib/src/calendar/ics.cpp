// iCalendar (RFC 5545) export: one VEVENT per occurrence, for the team's calendar app. Notes
// are included on purpose: the calendar is shared with the team, not with the audience.
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>

#include "cmtool/calendar/export.hpp"
#include "cmtool/util/slug.hpp"
#include "cmtool/util/strings.hpp"
#include "ics_timezone.hpp"

namespace cmtool::calendar {

namespace {

constexpr std::size_t k_fold_octets = 75;  // RFC 5545 §3.1, CRLF not counted
constexpr auto k_event_duration = "PT15M";

struct Labels {
    const char* thread;
    const char* media;
    const char* channels;
    const char* variants;
    const char* status;
    const char* category;
    const char* campaign;
    const char* notes;
    const char* post;
};

const Labels& labels(const WorkspaceConfig& ws) {
    static const Labels k_en{"Thread",   "Media",    "Channels", "Variants", "Status",
                             "Category", "Campaign", "Notes",    "Post"};
    static const Labels k_fr{"Fil",       "Médias",   "Canaux", "Variantes",  "Statut",
                             "Catégorie", "Campagne", "Notes",  "Publication"};
    return ws.lang == "fr" ? k_fr : k_en;
}

std::string_view ics_status(PostStatus s) {
    switch (s) {
        case PostStatus::ready:
            return "CONFIRMED";
        case PostStatus::draft:
            return "TENTATIVE";
        case PostStatus::cancelled:
            return "CANCELLED";
    }
    return "TENTATIVE";
}

std::string summary(const Post& p) {
    std::string what = util::first_line(p.text, 80);
    if (what.empty()) {
        what = !p.link.empty() ? p.link : !p.media.empty() ? p.media.front().alt : p.id;
    }
    return fmt::format("[{}] {}", util::join(p.channels, ", "), what.empty() ? p.id : what);
}

std::string description(const Post& p, std::string_view occurrence_id, const Labels& l) {
    std::vector<std::string> blocks;
    if (const auto text = util::trim(p.text); !text.empty()) {
        blocks.emplace_back(text);
    }
    if (!p.link.empty()) {
        blocks.push_back(p.link);
    }
    if (!p.thread.empty()) {
        std::string t = fmt::format("{}:", l.thread);
        for (std::size_t i = 0; i < p.thread.size(); ++i) {
            t += fmt::format("\n{}. {}", i + 1, util::trim(p.thread[i]));
        }
        blocks.push_back(std::move(t));
    }
    std::string facts;
    const auto fact = [&facts](const char* label, std::string_view value) {
        if (!value.empty()) {
            facts += fmt::format("{}{}: {}", facts.empty() ? "" : "\n", label, value);
        }
    };
    std::vector<std::string> media;
    for (const auto& m : p.media) {
        media.push_back(m.alt.empty() ? m.file : fmt::format("{} ({})", m.file, m.alt));
    }
    std::vector<std::string> variants;
    for (const auto& [channel, v] : p.variants) {
        variants.push_back(channel);
    }
    fact(l.media, util::join(media, "; "));
    fact(l.channels, util::join(p.channels, ", "));
    fact(l.variants, util::join(variants, ", "));
    fact(l.status, status_name(p.status));
    fact(l.category, p.category);
    fact(l.campaign, p.campaign);
    fact(l.notes, util::trim(p.notes));
    fact(l.post, p.file.empty() ? std::string(occurrence_id)
                                : fmt::format("{} ({})", occurrence_id, p.file));
    blocks.push_back(std::move(facts));
    return util::join(blocks, "\n\n");
}

// DTSTART in the workspace zone; in UTC when the zone is UTC or when the wall-clock time is
// ambiguous and names the second instant (a TZID time means the first one).
std::string dtstart(std::chrono::sys_seconds t, const WorkspaceConfig& ws, bool utc_zone) {
    const auto local = ws.zone->to_local(t);
    if (utc_zone || ws.zone->to_sys(local, date::choose::earliest) != t) {
        return "DTSTART:" + date::format("%Y%m%dT%H%M%SZ", t);
    }
    return fmt::format("DTSTART;TZID={}:{}", ws.timezone, date::format("%Y%m%dT%H%M%S", local));
}

std::string vevent(const AgendaEntry& e, const WorkspaceConfig& ws, std::string_view stamp,
                   bool utc_zone) {
    const Post& p = *e.post;
    std::string out = "BEGIN:VEVENT\r\n";
    out += ics_fold("UID:" + ics_uid(e.occurrence.id, ws));
    out += ics_fold(fmt::format("DTSTAMP:{}", stamp));
    out += ics_fold(dtstart(e.occurrence.at.utc, ws, utc_zone));
    out += ics_fold(fmt::format("DURATION:{}", k_event_duration));
    out += ics_fold("SUMMARY:" + ics_escape(summary(p)));
    out += ics_fold("DESCRIPTION:" + ics_escape(description(p, e.occurrence.id, labels(ws))));
    std::vector<std::string> categories;
    for (const auto* c : {&p.category, &p.campaign}) {
        if (!c->empty()) {
            categories.push_back(ics_escape(*c));
        }
    }
    if (!categories.empty()) {
        out += ics_fold("CATEGORIES:" + util::join(categories, ","));
    }
    out += ics_fold(fmt::format("STATUS:{}", ics_status(p.status)));
    if (!p.link.empty()) {
        out += ics_fold("URL:" + p.link);
    }
    // A post is a reminder, not a meeting: it must not mark the team as busy.
    out += "TRANSP:TRANSPARENT\r\n";
    return out + "END:VEVENT\r\n";
}

}  // namespace

std::string ics_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' || c == ';' || c == ',') {
            out += '\\';
            out += c;
        } else if (c == '\r' || c == '\n') {
            out += "\\n";
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else if ((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) || c == '\t') {
            out += c;
        }
    }
    return out;
}

std::string ics_fold(std::string_view line) {
    std::string out;
    std::size_t limit = k_fold_octets;
    while (line.size() > limit) {
        std::size_t cut = limit;
        // Never inside a UTF-8 sequence: back up to the start of the code point.
        while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0U) == 0x80U) {
            --cut;
        }
        // Nor between a backslash and the character it escapes: allowed, but some readers
        // unescape before unfolding.
        std::size_t backslashes = 0;
        while (backslashes < cut && line[cut - 1 - backslashes] == '\\') {
            ++backslashes;
        }
        if (backslashes % 2 == 1 && cut > 1) {
            --cut;
        }
        out.append(line.substr(0, cut));
        out += "\r\n ";
        line.remove_prefix(cut);
        limit = k_fold_octets - 1;  // the leading space counts
    }
    out.append(line);
    return out + "\r\n";
}

std::string ics_uid(std::string_view occurrence_id, const WorkspaceConfig& ws) {
    std::string brand = util::slugify(ws.brand);
    return fmt::format("{}@{}.cmtool", occurrence_id, brand.empty() ? "workspace" : brand);
}

std::string export_ics(const std::vector<AgendaEntry>& entries, const WorkspaceConfig& ws,
                       std::chrono::sys_seconds now) {
    const bool utc_zone = is_utc_zone(ws.timezone);
    std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    out += ics_fold(fmt::format("PRODID:-//cmtool//cmtool {}//EN", CMTOOL_VERSION));
    out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
    out += ics_fold("X-WR-CALNAME:" + ics_escape(ws.brand.empty() ? "cmtool" : ws.brand));
    out += ics_fold("X-WR-TIMEZONE:" + ics_escape(ws.timezone));
    const auto year_of = [&ws](std::chrono::sys_seconds t) {
        return static_cast<int>(date::year_month_day{local_day(t, *ws.zone)}.year());
    };
    int first = year_of(now);
    int last = first;
    if (!entries.empty()) {
        first = year_of(entries.front().occurrence.at.utc);
        last = year_of(entries.back().occurrence.at.utc);
    }
    // An empty calendar still needs one component (RFC 5545 §3.4): the zone.
    if (!utc_zone || entries.empty()) {
        out += ics_vtimezone(*ws.zone, ws.timezone, first, last);
    }
    const std::string stamp = date::format("%Y%m%dT%H%M%SZ", now);
    for (const auto& e : entries) {
        out += vevent(e, ws, stamp, utc_zone);
    }
    return out + "END:VCALENDAR\r\n";
}

}  // namespace cmtool::calendar
