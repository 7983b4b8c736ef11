// Words people read in every chat view: counts in the singular and plural, and the one-line
// text notifications show.
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/spike.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

TEST_CASE("counts read as English: one report, two reports, one person, two people", "[views]") {
    CHECK(plural(1, "report") == "1 report");
    CHECK(plural(0, "report") == "0 reports");
    CHECK(plural(2, "report") == "2 reports");
    CHECK(plural(1, "person", "people") == "1 person");
    CHECK(plural(3, "person", "people") == "3 people");
    item_counts c;
    c.reports = 1;
    c.reporters = 1;
    CHECK(describe_demand(c) == "1 report from 1 person");
    c.reports = 4;
    c.reporters = 2;
    c.customers = 1;
    CHECK(describe_demand(c) == "4 reports from 2 people, 1 customer");
}

TEST_CASE("an item with one report says 1 report, in status, +1 and spike alerts", "[views]") {
    item it;
    it.id = 7;
    it.title = "the invoice is wrong";
    it.owner = "billing";
    it.status = item_status::routed;
    it.counts.reports = 1;
    signal sig;
    sig.id = 3;
    sig.description = it.title;
    delivery d;
    d.channel = "C0BILLING";
    d.attempts = 1;
    it.counts.reporters = 1;
    auto status = render_status(item_status_view{it, {d}, 3, {}, {}, {}}, 7, journey_config{});
    std::string fields;
    for (const auto& f : status.fields) fields += f.value + "\n";
    CHECK_THAT(fields, Catch::Contains("1 report from 1 person\n"));
    CHECK_THAT(fields, Catch::Contains("1 attempt") && !Catch::Contains("1 attempts"));

    it.counts.reports = 1;
    CHECK_THAT(render_plus_one_ack(it, 7, true).text, Catch::EndsWith("now has 1 report."));

    spike_reading r;
    r.recent_reports = 1;
    r.baseline_days = 7;
    CHECK_THAT(render_spike_alert(it, r).text, Catch::Contains("— 1 report in the last 24 h"));
}

TEST_CASE("the notification text never repeats the title", "[views]") {
    neutral_message m;
    m.title = "Dashboard";
    m.text = "https://cx.example.com/dashboard";
    CHECK(m.fallback_text() == "Dashboard: https://cx.example.com/dashboard");
    m.text = "Dashboard: https://cx.example.com/dashboard";
    CHECK(m.fallback_text() == "Dashboard: https://cx.example.com/dashboard");
    m.text.clear();
    CHECK(m.fallback_text() == "Dashboard");
    m.title.clear();
    m.text = "just text";
    CHECK(m.fallback_text() == "just text");
}
