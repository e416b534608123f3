// The report as tidy CSV for spreadsheets and scripts: one figure a row, plain numbers (dot
// decimal, rates as fractions), empty cells where a figure is unavailable.
#include <date/tz.h>
#include <fmt/format.h>

#include "cmtool/calendar/post_io.hpp"
#include "cmtool/report/render.hpp"
#include "cmtool/util/csv.hpp"

namespace cmtool::report {

namespace {

std::string num(const Count& c) {
    return c ? std::to_string(*c) : std::string();
}
std::string num(const Rate& r) {
    return r ? fmt::format("{:.6f}", *r) : std::string();
}

class Sheet {
  public:
    explicit Sheet(bool compared) : m_compared(compared) {
        m_out = util::csv_row({"section", "subject", "metric", "value", "previous", "change"});
    }
    void add(std::string_view section, std::string_view subject, std::string_view metric,
             const std::string& value, const std::string& previous = {}, const Rate& change = {}) {
        m_out += util::csv_row({std::string(section), std::string(subject), std::string(metric),
                                value, m_compared ? previous : std::string(),
                                m_compared ? num(change) : std::string()});
    }
    void totals(std::string_view section, std::string_view subject, const Totals& t,
                const std::optional<Totals>& p) {
        auto c = [&](std::string_view metric, Count now, Count before) {
            add(section, subject, metric, num(now), p ? num(before) : std::string(),
                p ? relative_change(as_rate(now), as_rate(before)) : std::nullopt);
        };
        const Totals none;
        const Totals& b = p ? *p : none;
        c("posts", t.posts, b.posts);
        c("planned", t.planned, b.planned);
        c("unplanned", t.unplanned, b.unplanned);
        c("engagements", t.engagements, b.engagements);
        c("views", t.views, b.views);
        add(section, subject, "engagement_rate", num(t.rate), p ? num(b.rate) : std::string(),
            p ? relative_change(t.rate, b.rate) : std::nullopt);
        c("followers_start", t.followers_start, b.followers_start);
        c("followers_end", t.followers_end, b.followers_end);
    }
    std::string take() { return std::move(m_out); }

  private:
    bool m_compared;
    std::string m_out;
};

}  // namespace

std::string report_csv(const Report& r, const calendar::WorkspaceConfig& ws) {
    Sheet s(r.previous.has_value());
    const std::optional<Totals> prev =
        r.previous ? std::optional<Totals>(r.previous_totals) : std::nullopt;
    s.add("period", r.period.label, "from", calendar::iso_local(r.period.from, ws));
    s.add("period", r.period.label, "to", calendar::iso_local(r.period.to, ws));
    s.add("period", r.period.label, "counters_as_of", calendar::iso_local(r.cut, ws));
    s.totals("totals", "all", r.totals, prev);
    const auto& a = r.adherence;
    const auto& b = r.previous_adherence;
    for (const auto& [metric, now, before] : {std::tuple{"planned", a.planned, b.planned},
                                              {"on_time", a.on_time, b.on_time},
                                              {"late", a.late, b.late},
                                              {"missed", a.missed, b.missed},
                                              {"failed", a.failed, b.failed},
                                              {"pending", a.pending, b.pending}}) {
        s.add("adherence", "all", metric, num(Count(now)), num(Count(before)),
              relative_change(as_rate(now), as_rate(before)));
    }
    s.add("adherence", "all", "on_time_share", num(a.on_time_share), num(b.on_time_share),
          relative_change(a.on_time_share, b.on_time_share));
    for (const auto& g : r.growth) {
        s.add("audience", g.account, "followers_start", num(g.start));
        s.add("audience", g.account, "followers_end", num(g.end));
        s.add("audience", g.account, "followers_change", num(g.change));
        s.add("audience", g.account, "followers_growth", num(g.change_share));
    }
    for (const auto& row : r.channels) {
        s.totals("channel", row.name, row.current, row.previous);
    }
    for (const auto& row : r.categories) {
        s.totals("category", row.name, row.current, row.previous);
        s.add("category", row.name, "share", num(row.share));
        s.add("category", row.name, "target", num(row.target));
    }
    for (const auto& row : r.campaigns) {
        s.totals("campaign", row.name, row.current, std::nullopt);
    }
    for (const auto& p : r.posts) {
        const auto id = p.url.empty() ? fmt::format("{}#{}", p.account, p.id) : p.url;
        s.add("post", id, "published_at", calendar::iso_local(p.published_at, ws));
        s.add("post", id, "engagements", num(p.engagements));
        s.add("post", id, "views", num(p.counters.views));
        s.add("post", id, "followers_at_publish", num(p.followers));
        s.add("post", id, "engagement_rate", num(p.rate));
    }
    for (const auto& bt : r.best_times) {
        for (unsigned d = 0; d < 7; ++d) {
            for (unsigned h = 0; h < 24; ++h) {
                const auto& c = bt.cells[d][h];
                if (c.posts > 0) {
                    const auto slot = fmt::format("{}:{}:{:02}", bt.account, d, h);
                    s.add("best_times", slot, "posts", num(Count(c.posts)));
                    s.add("best_times", slot, "engagement_rate", num(c.rate));
                }
            }
        }
    }
    return s.take();
}

}  // namespace cmtool::report
