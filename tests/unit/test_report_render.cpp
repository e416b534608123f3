// The report's renderers on the seeded fixture: French and English text, Markdown and CSV;
// HTML well-formed, self-contained, escaped, with each chart; "no metrics" when empty; and the
// command end to end.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cmtool/report/render.hpp"
#include "html_check.hpp"
#include "report_fixture.hpp"

using namespace cmtool;

namespace {

report::Report seeded_week(test::ReportFixture& f) {
    auto r = f.build(report::default_report_period(test::k_report_now, *f.ws.zone));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
}

bool has(const std::string& s, std::string_view part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("report text: French and English labels, dates and numbers") {
    test::ReportFixture f("report-text");
    const auto r = seeded_week(f);
    const auto fr = report::report_text(r, f.ws, util::Lang::fr);
    CHECK(has(fr, "Rapport réseaux sociaux · Atelier Test"));
    CHECK(has(fr, "du lundi 16 novembre 2026 au dimanche 22 novembre 2026"));
    CHECK(has(fr, "2,34\u00A0%"));    // engagement rate 0.0234375
    CHECK(has(fr, "+600,0\u00A0%"));  // engagements 15 → 105
    CHECK(has(fr, "1\u202F490"));     // followers at end, narrow no-break space
    CHECK(has(fr, "n.d."));           // views
    CHECK(has(fr, "historique insuffisant pour conclure : 5 publications, 20 nécessaires"));
    CHECK(has(fr, "▁"));  // sparklines
    CHECK(has(fr, "█"));
    CHECK_FALSE(has(fr, "\x1b["));  // no colour without a terminal

    const auto en = report::report_text(r, f.ws, util::Lang::en);
    CHECK(has(en, "Social media report · Atelier Test"));
    CHECK(has(en, "Monday 16 November 2026 to Sunday 22 November 2026"));
    CHECK(has(en, "2.34%"));
    CHECK(has(en, "+600.0%"));
    CHECK(has(en, "1,490"));
    CHECK(has(en, "n/a"));
    CHECK(has(en, "not enough history to conclude: 5 posts, 20 needed"));
    CHECK(has(en, "1 post(s) have counters taken more than 24 h before"));
    // Views are unavailable: never written as 0 in the overview's views row.
    const std::regex views_row("Views +n/a +n/a +n/a");
    CHECK(std::regex_search(en, views_row));
}

TEST_CASE("report markdown: tables, links and escaped cells") {
    test::ReportFixture f("report-md");
    const auto r = seeded_week(f);
    const auto md = report::report_markdown(r, f.ws, util::Lang::en);
    CHECK(has(md, "# Social media report · Atelier Test"));
    CHECK(has(md, "| Figure | This period | Previous | Change |"));
    CHECK(has(md, "| --- | ---: | ---: | ---: |"));
    CHECK(has(md,
              "[\\<b>Soldes & \"promo\"\\</b> ce soir à l'atelier]"
              "(<https://mastodon.example/@atelier/105>)"));
    CHECK(has(md, "| Engagement rate | 2.34% | 1.53% | +53.1% |"));
    const auto fr = report::report_markdown(r, f.ws, util::Lang::fr);
    CHECK(has(fr, "| Taux d'engagement | 2,34\u00A0% | 1,53\u00A0% | +53,1\u00A0% |"));
}

TEST_CASE("report csv: one figure a row, plain numbers, empty when unavailable") {
    test::ReportFixture f("report-csv");
    const auto r = seeded_week(f);
    const auto csv = report::report_csv(r, f.ws);
    CHECK(csv.rfind("section,subject,metric,value,previous,change\n", 0) == 0);
    CHECK(has(csv, "totals,all,engagements,105,15,6.000000\n"));
    CHECK(has(csv, "totals,all,views,,,\n"));
    CHECK(has(csv, "totals,all,engagement_rate,0.023438,0.015306,0.531250\n"));
    CHECK(has(csv, "adherence,all,late,1,0,\n"));
    CHECK(has(csv, "category,promo,target,0.300000,,\n"));
}

TEST_CASE("report html: well-formed, self-contained, escaped, with every chart") {
    test::ReportFixture f("report-html");
    const auto r = seeded_week(f);
    for (auto lang : {util::Lang::fr, util::Lang::en}) {
        const auto html = report::report_html(r, f.ws, lang);
        const auto problem = test::html_problem(html);
        CHECK_MESSAGE(problem.empty(), problem);
        CHECK(has(html, lang == util::Lang::fr ? "<html lang=\"fr\">" : "<html lang=\"en\">"));
        CHECK(has(html, "<meta name=\"viewport\""));
        CHECK(has(html, "@media print"));
        CHECK(has(html, "<svg class=\"chart\" id=\"chart-followers\""));
        CHECK(has(html, "<svg class=\"chart\" id=\"chart-engagement\""));
        CHECK(has(html, "<svg class=\"chart heatmap\" id=\"chart-heatmap-masto\""));
        CHECK(has(html, "<svg class=\"chart heatmap\" id=\"chart-heatmap-bsky\""));
        CHECK(has(html, "<section id=\"top-posts\""));
        CHECK(has(html, "&lt;b&gt;Soldes &amp; &quot;promo&quot;&lt;/b&gt;"));
        CHECK_FALSE(has(html, "<b>Soldes"));
        CHECK_FALSE(has(html, "<script"));
        // The only URLs are the posts' own links.
        const std::regex url(R"((src|href)=\"([^\"]*)\")");
        for (auto it = std::sregex_iterator(html.begin(), html.end(), url);
             it != std::sregex_iterator(); ++it) {
            const auto target = (*it)[2].str();
            CHECK_MESSAGE((target.rfind("https://mastodon.example/", 0) == 0 ||
                           target.rfind("https://bsky.app/", 0) == 0),
                          target);
        }
        CHECK_FALSE(has(html, "url("));
        CHECK_FALSE(has(html, "@import"));
    }
    const auto fr = report::report_html(r, f.ws, util::Lang::fr);
    CHECK(has(fr, "mercredi 18 h : 1,50\u00A0% sur 1 publication(s)"));  // a heat-map cell's title
}

TEST_CASE("report: an empty store says there are no metrics") {
    test::ReportFixture f("report-render-empty", false);
    auto r = f.build(report::default_report_period(test::k_report_now, *f.ws.zone));
    REQUIRE(r.has_value());
    CHECK(has(report::report_text(*r, f.ws, util::Lang::en), "No metrics for this period"));
    CHECK(has(report::report_text(*r, f.ws, util::Lang::fr), "Aucune mesure pour cette période"));
    const auto html = report::report_html(*r, f.ws, util::Lang::en);
    CHECK(test::html_problem(html).empty());
    CHECK(has(html, "id=\"no-metrics\""));
}

TEST_CASE("cmtool report: end to end, default period, -o atomically, exit 0 when empty") {
    test::ReportFixture f("report-cli");
    const auto ws = f.tmp.path().string();
    const std::string now = std::string("--now=") + test::k_report_now_text;
    auto json_run = test::run_cmtool({"-C", ws, now, "report", "--format", "json"});
    CHECK(json_run.exit_code == 0);
    const auto j = nlohmann::json::parse(json_run.out);
    CHECK(j["period"]["label"] == "2026-W47");
    CHECK(j["totals"]["engagements"] == 105);

    auto file = test::run_cmtool({"-C", ws, now, "report", "--month", "2026-11", "--lang", "en",
                                  "-o", (f.tmp.path() / "out" / "report.html").string()});
    CHECK(file.exit_code == 0);
    CHECK(file.out.empty());
    CHECK(has(file.err, "wrote the html report for 2026-11"));
    auto html = util::read_file(f.tmp.path() / "out" / "report.html");
    REQUIRE(html.has_value());
    CHECK(has(*html, "<html lang=\"en\">"));
    CHECK(has(*html, "Compared with 2026-10"));

    auto text = test::run_cmtool({"-C", ws, now, "report", "--week", "2026-W40"});
    CHECK(text.exit_code == 0);
    CHECK(has(text.out, "Aucune mesure pour cette période"));

    auto campaign = test::run_cmtool(
        {"-C", ws, now, "report", "--campaign", "noel-2026", "--week", "2026-W47"});
    CHECK(campaign.exit_code == 2);
    CHECK(has(campaign.err, "--campaign reports the campaign's whole span"));
}
