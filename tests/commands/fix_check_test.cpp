// Fix verification and savings, computed by hand: the spans, the verdicts, the money.
#include "commands/fix_check.hpp"
#include "commands/outcomes.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

constexpr millis day_ms = kpi_day_ms;
constexpr millis nov_1 = 1793491200000;  // 2026-11-01 00:00 UTC
constexpr millis dec_1 = 1796083200000;  // 2026-12-01
constexpr millis jan_1 = 1798761600000;  // 2027-01-01
constexpr millis jan_10 = 1799539200000; // 2027-01-10

item fixed_item(std::int64_t id, millis fixed_at, std::string owner = "billing",
                std::optional<component> comp = component::knowledge) {
    item it;
    it.id = id;
    it.owner = std::move(owner);
    it.comp = comp;
    it.status = item_status::fixed;
    it.fixed_at = fixed_at;
    it.closed_at = fixed_at;
    return it;
}

kpi_signal report(std::int64_t item_id, millis at, std::string source = "slack", int contacts = 1) {
    static std::int64_t next = 0;
    return kpi_signal{++next, item_id, at, "", component::knowledge, std::move(source), contacts, "C0SUPPORT"};
}

// `n` reports of item `id`, one a day, the last one day before `until`.
void reports_before(std::vector<kpi_signal>& out, std::int64_t id, int n, millis until) {
    for (int i = n; i >= 1; --i) out.push_back(report(id, until - i * day_ms));
}

economics_config euros(double per_contact) {
    economics_config e;
    e.cost_per_contact = per_contact;
    return e;
}

} // namespace

TEST_CASE("the span before a fix is 4 weeks, or since the first report when shorter, and at least a day", "[fix_check]") {
    CHECK(fix_span(dec_1, nov_1) == 28 * day_ms);            // 30 days of history: capped at 4 weeks
    CHECK(fix_span(dec_1, dec_1 - 10 * day_ms) == 10 * day_ms);
    CHECK(fix_span(dec_1, dec_1 - 3600 * 1000) == day_ms);   // fixed within the hour
    CHECK(fix_span(dec_1, 0) == 28 * day_ms);                 // no report known
}

TEST_CASE("a fix holds when the rate after is at most the configured share of the rate before", "[fix_check]") {
    std::vector<kpi_signal> signals;
    // 10 reports in the 4 weeks before the fix (and one older, outside the span).
    signals.push_back(report(1, dec_1 - 40 * day_ms));
    reports_before(signals, 1, 10, dec_1);
    signals.push_back(report(1, dec_1 + 5 * day_ms)); // 1 after: 1 <= 0.2 × 10
    const auto it = fixed_item(1, dec_1);
    const item_policy policy; // 20 %

    SECTION("under watch until the same span has passed after the fix") {
        auto c = check_fix(it, signals, policy, euros(5), dec_1 + 27 * day_ms);
        REQUIRE(c);
        CHECK(c->verdict == fix_verdict::under_watch);
        CHECK(c->watch_until == dec_1 + 28 * day_ms);
        CHECK(c->savings_month == 0); // nothing is claimed before the verdict
    }
    SECTION("held once the span has passed, saving (10 − 1) contacts per 4 weeks") {
        auto c = check_fix(it, signals, policy, euros(5), dec_1 + 28 * day_ms);
        REQUIRE(c);
        CHECK(c->verdict == fix_verdict::held);
        CHECK(c->reports_before == 10);
        CHECK(c->reports_after == 1);
        CHECK(c->rate_before == Approx(2.5)); // per week
        CHECK(c->rate_after == Approx(0.25));
        CHECK(c->contacts_month == Approx(9.0 * 30 / 28));
        CHECK(c->savings_month == Approx(45.0 * 30 / 28));
        // 28 days accrued since the fix: 28/30 of a month.
        CHECK(c->savings_since == Approx(45.0));
    }
    SECTION("did not hold when the rate after is above the share") {
        signals.push_back(report(1, dec_1 + 6 * day_ms));
        signals.push_back(report(1, dec_1 + 7 * day_ms)); // 3 after > 0.2 × 10
        auto c = check_fix(it, signals, policy, euros(5), dec_1 + 28 * day_ms);
        REQUIRE(c);
        CHECK(c->verdict == fix_verdict::not_held);
        CHECK(c->savings_month == 0);
        CHECK(c->contacts_ytd == 0);
    }
    SECTION("a stricter share turns the same fix into one that did not hold") {
        auto c = check_fix(it, signals, item_policy{0.05, 60}, euros(5), dec_1 + 28 * day_ms);
        REQUIRE(c);
        CHECK(c->verdict == fix_verdict::not_held);
    }
}

TEST_CASE("a fix after a short history is judged over that span", "[fix_check]") {
    std::vector<kpi_signal> signals;
    reports_before(signals, 1, 5, dec_1); // first report 5 days before the fix
    auto c = check_fix(fixed_item(1, dec_1), signals, item_policy{}, euros(4), dec_1 + 5 * day_ms);
    REQUIRE(c);
    CHECK(c->span == 5 * day_ms);
    CHECK(c->verdict == fix_verdict::held);
    CHECK(c->reports_after == 0);
    // An item with no report after the fix saves everything it cost before: 5 contacts in 5 days.
    CHECK(c->contacts_month == Approx(30.0));
    CHECK(c->savings_month == Approx(120.0));
    CHECK(c->contacts_since == Approx(5.0));
}

TEST_CASE("savings price each contact by its source, and without economics speak in contacts", "[fix_check]") {
    std::vector<kpi_signal> signals;
    signals.push_back(report(1, dec_1 - 20 * day_ms, "zendesk", 3)); // 3 contacts × 10
    signals.push_back(report(1, dec_1 - 10 * day_ms, "zendesk", 3));
    signals.push_back(report(1, dec_1 - 30 * day_ms, "slack"));      // outside the span
    signals.push_back(report(1, dec_1 - 2 * day_ms, "slack"));       // 1 contact × 2
    auto eco = euros(2);
    eco.per_source["zendesk"] = 10;
    auto c = check_fix(fixed_item(1, dec_1), signals, item_policy{}, eco, dec_1 + 28 * day_ms);
    REQUIRE(c);
    REQUIRE(c->verdict == fix_verdict::held);
    CHECK(c->contacts_before == 7);
    CHECK(c->cost_before == Approx(62.0));
    CHECK(c->savings_month == Approx(62.0 * 30 / 28));
    CHECK_THAT(describe_fix(*c, eco), Catch::EndsWith("saves about €66.43 a month"));

    const economics_config none;
    auto plain = check_fix(fixed_item(1, dec_1), signals, item_policy{}, none, dec_1 + 28 * day_ms);
    REQUIRE(plain);
    CHECK(plain->savings_month == 0);
    CHECK(plain->contacts_month == Approx(7.0 * 30 / 28));
    CHECK(describe_fix(*plain, none).find("about 8 contacts a month avoided") != std::string::npos);
    CHECK(describe_savings(plain->contacts_month, 0, 100, 0, none) == "about 8 contacts a month, 100 this year");
}

TEST_CASE("this year's savings start on 1 January even for a fix made last year", "[fix_check]") {
    std::vector<kpi_signal> signals;
    reports_before(signals, 1, 28, dec_1); // one a day for 4 weeks: 30 contacts a month
    auto c = check_fix(fixed_item(1, dec_1), signals, item_policy{}, euros(1), jan_10);
    REQUIRE(c);
    REQUIRE(c->verdict == fix_verdict::held);
    CHECK(c->contacts_month == Approx(30.0));
    CHECK(c->contacts_ytd == Approx(9.0));    // 1 to 10 January
    CHECK(c->contacts_since == Approx(40.0)); // 1 December to 10 January
    CHECK(jan_10 - jan_1 == 9 * day_ms);
}

TEST_CASE("a reopened fix is regressed and saves nothing, a later fix is judged afresh", "[fix_check]") {
    std::vector<kpi_signal> signals;
    reports_before(signals, 1, 10, nov_1);
    auto it = fixed_item(1, nov_1);
    it.status = item_status::regressed;
    it.regressed_at = nov_1 + 10 * day_ms;
    auto c = check_fix(it, signals, item_policy{}, euros(5), dec_1);
    REQUIRE(c);
    CHECK(c->verdict == fix_verdict::regressed);
    CHECK(c->savings_month == 0);
    CHECK(describe_fix(*c, euros(5)).starts_with("regressed"));

    it.status = item_status::fixed;
    it.fixed_at = nov_1 + 12 * day_ms; // fixed again after the regression
    auto again = check_fix(it, signals, item_policy{}, euros(5), dec_1);
    REQUIRE(again);
    CHECK(again->verdict == fix_verdict::under_watch);
    CHECK_FALSE(check_fix(item{}, signals, item_policy{}, euros(5), dec_1)); // never fixed
}

TEST_CASE("fixes add up per owner and per component, most saved first", "[fix_check]") {
    std::vector<kpi_item> items(4);
    items[0].it = fixed_item(1, dec_1, "billing", component::knowledge);
    items[1].it = fixed_item(2, dec_1, "onboarding", component::onboarding);
    items[2].it = fixed_item(3, dec_1 + 28 * day_ms, "billing", component::knowledge); // under watch
    items[3].it.id = 4;                                                                // never fixed
    items[3].it.status = item_status::acknowledged;
    std::vector<kpi_signal> signals;
    reports_before(signals, 1, 4, dec_1); // 4 contacts in 4 days, none after: 30 a month, €300
    reports_before(signals, 2, 14, dec_1);
    reports_before(signals, 3, 3, dec_1 + 28 * day_ms);
    for (int i = 0; i < 5; ++i) signals.push_back(report(2, dec_1 + (i + 1) * day_ms)); // 5 > 0.2 × 14
    const auto s = summarize_fixes(items, signals, item_policy{}, euros(10), dec_1 + 29 * day_ms);
    CHECK(s.fixed == 3);
    CHECK(s.held == 1);
    CHECK(s.not_held == 1);
    CHECK(s.under_watch == 1);
    CHECK(describe_fixes(s) == "fixes that held: 1 of 2 (1 under watch)");
    REQUIRE(s.by_owner.size() == 2);
    CHECK(s.by_owner[0].name == "billing");
    CHECK(s.by_owner[0].fixes == 1); // the fix under watch has no verdict yet
    CHECK(s.by_owner[0].savings_month == Approx(300.0));
    CHECK(s.by_owner[1].savings_month == 0);
    REQUIRE(s.by_component.size() == 2);
    CHECK(s.by_component[0].name == "knowledge");
    CHECK(s.savings_month == Approx(300.0));
    CHECK(describe_savings(s.contacts_month, s.savings_month, s.contacts_ytd, s.savings_ytd, euros(10)) ==
          "about €300 a month, €290 this year"); // 29 days of December
}
