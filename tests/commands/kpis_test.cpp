#include "commands/kpis.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

constexpr millis day_ms = kpi_day_ms;
constexpr millis now = 1000 * day_ms;

kpi_item make_item(std::int64_t id, std::string owner, std::string rule, std::string stage, component c,
                   item_status status, millis created) {
    kpi_item k;
    k.it.id = id;
    k.it.title = "item " + std::to_string(id);
    k.it.owner = std::move(owner);
    k.it.rule = std::move(rule);
    k.it.stage = std::move(stage);
    k.it.comp = c;
    k.it.status = status;
    k.it.created_at = created;
    k.it.counts.first_seen = created;
    return k;
}

kpi_signal make_signal(std::int64_t id, std::int64_t item, millis at, std::string stage, component c,
                       std::string source = "slack", int contacts = 1) {
    return kpi_signal{id, item, at, std::move(stage), c, std::move(source), contacts, "C0SUPPORT"};
}

// Three items and a duplicate; six signals, one from Zendesk standing for four contacts.
struct fixture {
    std::vector<kpi_item> items;
    std::vector<kpi_signal> signals;
    std::vector<std::string> stages{"onboard", "support"};
    economics_config eco;

    fixture() {
        eco.cost_per_contact = 6.5;
        eco.per_source["zendesk"] = 10;
        auto fixed = make_item(1, "billing", "invoices", "onboard", component::onboarding, item_status::fixed, now - 40 * day_ms);
        fixed.it.routed_at = fixed.it.created_at + 60'000;
        fixed.it.acknowledged_at = fixed.it.created_at + 3'600'000;
        fixed.it.closed_at = fixed.it.created_at + day_ms;
        fixed.loop_notices = 2;
        fixed.loop_told = 2;
        fixed.loop_told_at = fixed.it.created_at + 2 * day_ms;
        auto rerouted = make_item(2, "triage", "", "support", component::knowledge, item_status::routed, now - 10 * day_ms);
        rerouted.it.routed_at = rerouted.it.created_at + 120'000;
        rerouted.it.rerouted = true;
        auto acked = make_item(3, "billing", "invoices", "onboard", component::onboarding, item_status::acknowledged, now - 3 * day_ms);
        acked.it.routed_at = acked.it.created_at + 600'000;
        acked.it.acknowledged_at = acked.it.created_at + 2 * 3'600'000;
        auto duplicate = make_item(4, "billing", "invoices", "onboard", component::onboarding, item_status::duplicate, now - 3 * day_ms);
        duplicate.it.routed_at = duplicate.it.created_at;
        items = {fixed, rerouted, acked, duplicate};
        signals = {
            make_signal(1, 1, now - 40 * day_ms, "onboard", component::onboarding),
            make_signal(2, 1, now - 20 * day_ms, "onboard", component::onboarding),
            make_signal(3, 1, now - 1 * day_ms, "onboard", component::onboarding),
            make_signal(4, 2, now - 10 * day_ms, "support", component::knowledge, "zendesk", 4),
            make_signal(5, 3, now - 3 * day_ms, "onboard", component::onboarding),
            make_signal(6, 3, now - 2 * day_ms, "onboard", component::onboarding),
        };
    }

    kpi_report run(const kpi_filter& f = {}) const { return compute_kpis(items, signals, f, stages, eco, now); }
};

} // namespace

TEST_CASE("percentile uses the nearest rank") {
    CHECK(percentile({}, 50) == 0);
    CHECK(percentile({7}, 90) == 7);
    CHECK(percentile({5, 1, 3, 2, 4}, 50) == 3);
    CHECK(percentile({5, 1, 3, 2, 4}, 90) == 5);
    CHECK(percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90) == 9);
    CHECK(percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50) == 5);
}

TEST_CASE("the median takes the mean of the middle two for an even count") {
    CHECK(median({}) == 0);
    CHECK(median({9, 1, 4}) == 4);
    CHECK(median({4, 2}) == 3);
    CHECK(median({1, 2}) == 1.5);
}

TEST_CASE("money reads the way budgets are discussed") {
    CHECK(format_money(4200, "EUR") == "€4,200");
    CHECK(format_money(4199.6, "EUR") == "€4,200");
    CHECK(format_money(6.5, "EUR") == "€6.50");
    CHECK(format_money(1234567.4, "USD") == "$1,234,567");
    CHECK(format_money(0, "GBP") == "£0");
    CHECK(format_money(-1234.2, "EUR") == "-€1,234");
    CHECK(with_thousands(0) == "0");
    CHECK(with_thousands(950) == "950");
    CHECK(with_thousands(1000) == "1,000");
    CHECK(with_thousands(123456) == "123,456");
    CHECK(with_thousands(-4200) == "-4,200");
    CHECK(with_thousands(-100) == "-100");
    CHECK(with_thousands(-9223372036854775807LL - 1) == "-9,223,372,036,854,775,808");
    CHECK(format_money(4200, "CHF") == "4,200 CHF");
    CHECK(format_money(999, "EUR") == "€999");
}

TEST_CASE("economics price a contact per source") {
    economics_config eco;
    CHECK_FALSE(eco.enabled());
    eco.cost_per_contact = 6.5;
    eco.per_source["zendesk"] = 10;
    CHECK(eco.enabled());
    CHECK(eco.cost_for("slack") == 6.5);
    CHECK(eco.cost_for("zendesk") == 10);
    eco.per_channel["C0VIP"] = 20;
    CHECK(eco.cost_for("zendesk", "C0VIP") == 20); // the channel wins
    CHECK(eco.cost_for("slack", "C0OTHER") == 6.5);
    kpi_signal ticket{1, 1, 0, "", std::nullopt, "zendesk", 3, "C0QUEUE"};
    CHECK(eco.cost_of(ticket) == 30);
}

TEST_CASE("KPIs of the whole store") {
    fixture fx;
    auto r = fx.run();
    CHECK(r.signals == 6);
    CHECK(r.contacts == 9);
    CHECK(r.items == 3); // the duplicate does not count
    CHECK(r.open_items == 2);
    CHECK(r.reports_per_item == Approx(2.0));
    REQUIRE(r.top.size() == 3);
    CHECK(r.top[0].it.id == 1);
    CHECK(r.top[0].reports == 3);
    CHECK(r.top[1].it.id == 3);
    CHECK(r.top[2].it.id == 2);
    CHECK(r.top[2].contacts == 4);

    SECTION("cost to serve: contacts × cost per contact, the month is the last 30 days") {
        CHECK(r.cost == Approx(72.5));      // 5 Slack contacts × 6.50 + 4 Zendesk × 10
        CHECK(r.cost_month == Approx(66)); // the first report of item 1 is 40 days old
        CHECK(r.top[0].cost_so_far == Approx(19.5));
        CHECK(r.top[0].cost_month == Approx(13));
        CHECK(r.top[2].cost_so_far == Approx(40));
    }
    SECTION("the heat map counts reports per stage × component") {
        REQUIRE(r.heat.size() == 2);
        CHECK(r.heat[0].stage == "onboard");
        CHECK(r.heat[0].component == "onboarding");
        CHECK(r.heat[0].signals == 5);
        CHECK(r.heat[0].items == 2);
        CHECK(r.heat[1].stage == "support");
        CHECK(r.heat[1].component == "knowledge");
        CHECK(r.heat[1].contacts == 4);
    }
    SECTION("times to route, acknowledge and fix") {
        CHECK(r.to_route.count == 3);
        CHECK(r.to_route.p50 == 120'000);
        CHECK(r.to_route.p90 == 600'000);
        CHECK(r.to_acknowledge.p50 == 3'600'000);
        CHECK(r.to_acknowledge.p90 == 7'200'000);
        CHECK(r.to_fix.count == 1);
        CHECK(r.to_fix.p50 == day_ms);
    }
    SECTION("routing accuracy overall and per rule; closed loops") {
        CHECK(r.routed == 3);
        CHECK(r.rerouted == 1);
        REQUIRE(r.routing.size() == 2);
        CHECK(r.routing[0].rule.empty());
        CHECK(r.routing[0].rerouted == 1);
        CHECK(r.routing[1].rule == "invoices");
        CHECK(r.routing[1].routed == 2);
        CHECK(r.loops.fixed_items == 1);
        CHECK(r.loops.closed_loops == 1);
        REQUIRE(r.loops.loop_times.size() == 1);
        CHECK(r.loops.loop_times[0] == 2 * day_ms);
    }
    SECTION("open items per owner and their age") {
        REQUIRE(r.owners.size() == 2);
        CHECK(r.owners[0].owner == "billing");
        CHECK(r.owners[0].oldest_age == 3 * day_ms);
        CHECK(r.owners[0].cost_month == Approx(13));
        CHECK(r.owners[1].owner == "triage");
        CHECK(r.owners[1].oldest_age == 10 * day_ms);
    }
    SECTION("weekly trend and week over week") {
        REQUIRE(r.weeks.size() == kpi_trend_weeks);
        CHECK(r.weeks[7].signals == 3);
        CHECK(r.weeks[6].signals == 1);
        CHECK(r.weeks[5].signals == 1); // 20 days ago
        REQUIRE(r.week_over_week);
        CHECK(*r.week_over_week == Approx(200));
        CHECK(r.weeks[7].new_items == 1); // item 3
    }
}

TEST_CASE("KPI filters narrow every figure") {
    fixture fx;
    kpi_filter owner;
    owner.owner = "billing";
    auto billing = fx.run(owner);
    CHECK(billing.signals == 5);
    CHECK(billing.items == 2);
    CHECK(billing.cost == Approx(32.5));
    CHECK(billing.routed == 2);
    CHECK(billing.rerouted == 0);

    kpi_filter week;
    week.from = now - 7 * day_ms;
    auto recent = fx.run(week);
    CHECK(recent.signals == 3);
    CHECK(recent.items == 2);
    CHECK(recent.top[0].it.id == 3);
    CHECK(recent.top[1].reports == 1);

    kpi_filter until;
    until.to = now - 30 * day_ms;
    auto old = fx.run(until);
    CHECK(old.signals == 1);
    CHECK(old.weeks[7].signals == 0); // the trend ends where the range ends

    kpi_filter stage;
    stage.stage = "support";
    stage.comp = component::knowledge;
    auto support = fx.run(stage);
    CHECK(support.signals == 1);
    CHECK(support.items == 1);
    CHECK(support.contacts == 4);
}

TEST_CASE("stats in chat show figures and money") {
    fixture fx;
    auto m = render_kpi_stats(fx.run(), fx.eco, "");
    CHECK(m.title == "cxos stats");
    CHECK(m.text.find("*6 signals* on *3 items*, 2 open") != std::string::npos);
    CHECK(m.text.find("+200 %") != std::string::npos);
    REQUIRE(m.fields.size() > 2);
    CHECK(m.fields[0].label == "Cost to serve");
    CHECK(m.fields[0].value.find("€66") != std::string::npos);
    CHECK(m.fields[1].value.rfind("#1 item 1 — 3 reports, billing, Fixed", 0) == 0);

    fx.items[0].it.title = std::string(78, 'a') + "äöü";
    auto cut = render_kpi_stats(fx.run(), fx.eco, "");
    CHECK(cut.fields[1].value.rfind("#1 " + std::string(78, 'a') + "ä… — 3 reports", 0) == 0);

    auto empty = render_kpi_stats(compute_kpis({}, {}, {}, fx.stages, {}, now), {}, "billing");
    CHECK(empty.title == "cxos stats: billing");
    CHECK(empty.fields.empty());
}

TEST_CASE("routing accuracy counts fallback routes apart from rule routes") {
    fixture fx; // items 1 and 3 routed by rule `invoices`, item 2 by the fallback and rerouted
    auto r = fx.run();
    CHECK(r.by_rule.rule_routed == 2);
    CHECK(r.by_rule.rule_rerouted == 0);
    CHECK(r.by_rule.fallback_routed == 1);
    CHECK(r.by_rule.fallback_rerouted == 1);
    auto stats = render_kpi_stats(r, fx.eco, "");
    std::string accuracy;
    for (const auto& f : stats.fields)
        if (f.label == "Routing accuracy") accuracy = f.value;
    CHECK(accuracy == "100 % of 2 items routed by a rule (`invoices` 100 %); 1 of 3 routed items (33 %) went to the "
                      "fallback owner");

    auto routing = render_routing_stats(r.routing);
    CHECK(routing.text == "*100 %* of 2 items routed by a rule stayed with the owner the rule chose. 1 of 3 routed "
                          "items (33 %) went to the fallback owner: no rule matched them.");
    REQUIRE(routing.fields.size() == 2);
    CHECK(routing.fields[0].label == "rule `invoices`");
    CHECK(routing.fields[0].value == "100 % (2 items, 0 rerouted)");
    CHECK(routing.fields[1].label == "fallback (no rule matched)");
    CHECK(routing.fields[1].value == "1 item, 33 % of routed items, 1 rerouted");
}

TEST_CASE("everything landing in the fallback is not 100 % routing accuracy") {
    std::vector<rule_accuracy> all_fallback{{"", 4, 0}};
    auto m = render_routing_stats(all_fallback);
    CHECK(m.text == "No rule has routed an item yet: all 4 routed items went to the fallback owner because no rule "
                    "matched them.");
    CHECK(m.text.find("100 %") == std::string::npos);
    auto one = render_routing_stats({{"", 1, 0}});
    CHECK(one.text.find("all 1 routed item went") != std::string::npos);
}
