#include "cmtool/calendar/recurrence.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace cmtool::calendar {

namespace {

std::chrono::sys_seconds to_utc(date::local_seconds local, const date::time_zone& zone) {
    const auto info = zone.get_info(local);
    const auto as_sys = std::chrono::sys_seconds{local.time_since_epoch()};
    switch (info.result) {
        case date::local_info::nonexistent:
            // The wall clock skips this time: take the same distance past the jump.
            return as_sys - info.first.offset;
        case date::local_info::ambiguous:
        case date::local_info::unique:
            break;
    }
    return as_sys - info.first.offset;
}

date::local_days add_months(date::local_days day, int months) {
    const date::year_month_day ymd{day};
    auto target = ymd + date::months{months};
    if (!target.ok()) {
        target = target.year() / target.month() / date::last;
    }
    return date::local_days{target};
}

}  // namespace

std::string occurrence_id(const std::string& post_id, date::local_days day) {
    const date::year_month_day ymd{day};
    return fmt::format("{}@{:04}-{:02}-{:02}", post_id, static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string base_post_id(const std::string& occurrence_id) {
    return occurrence_id.substr(0, occurrence_id.find('@'));
}

std::vector<Occurrence> occurrences(const Post& post, const WorkspaceConfig& ws) {
    if (!post.repeat) {
        return {Occurrence{post.id, post.at, 0}};
    }
    const Repeat& rep = *post.repeat;
    const auto& zone = *ws.zone;
    // Step in the workspace's wall-clock time, whatever offset the first time was written with.
    const auto first_local = zone.to_local(post.at.utc);
    const auto first_day = date::floor<date::days>(first_local);
    const auto time_of_day = first_local - first_day;
    std::vector<Occurrence> out;
    const std::size_t cap = std::min<std::size_t>(
        k_max_occurrences, rep.count ? static_cast<std::size_t>(*rep.count) : k_max_occurrences);
    for (std::size_t i = 0; i < cap; ++i) {
        const int step = static_cast<int>(i) * rep.every;
        date::local_days day = first_day;
        switch (rep.unit) {
            case RepeatUnit::day:
                day += date::days{step};
                break;
            case RepeatUnit::week:
                day += date::days{7 * step};
                break;
            case RepeatUnit::month:
                day = add_months(first_day, step);
                break;
        }
        if (rep.until && day > *rep.until) {
            break;
        }
        Occurrence occ;
        occ.index = i;
        occ.id = occurrence_id(post.id, day);
        occ.at.local = day + time_of_day;
        occ.at.utc = i == 0 ? post.at.utc : to_utc(occ.at.local, zone);
        occ.at.local = zone.to_local(occ.at.utc);
        occ.at.has_offset = false;
        occ.at.text = post.at.text;
        out.push_back(std::move(occ));
    }
    return out;
}

}  // namespace cmtool::calendar
