// One item's thread and the six components' health, from rows built by hand.
#include "commands/outcomes.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

constexpr millis day_ms = kpi_day_ms;
constexpr millis dec_1 = 1796083200000; // 2026-12-01 00:00 UTC

cxos::signal chat_report(std::int64_t id, millis at, std::string user) {
    cxos::signal s;
    s.id = id;
    s.item_id = 7;
    s.source.platform = "slack";
    s.source.user_id = user;
    s.description = "the invoice PDF is blank";
    s.route = {"billing", "invoices", "mentions invoice"};
    s.created_at = at;
    return s;
}

} // namespace

TEST_CASE("an item's thread runs from the first report to the verdict on its fix", "[thread]") {
    item_history h;
    h.it.id = 7;
    h.it.title = "the invoice PDF is blank";
    h.it.owner = "billing";
    h.it.rule = "invoices";
    h.it.reason = "mentions invoice";
    h.it.status = item_status::fixed;
    h.it.routed_at = dec_1 - 10 * day_ms;
    h.it.fixed_at = dec_1;
    h.signals = {chat_report(1, dec_1 - 10 * day_ms, "U1"), chat_report(2, dec_1 - 5 * day_ms, "U2")};
    h.audit = {{"U9", "acknowledge", "", dec_1 - 9 * day_ms},
               {"U8", "decide", "render PDFs server-side (owner billing, due 2026-12-10)", dec_1 - 4 * day_ms},
               {"U9", "fixed", "PDF renderer upgraded", dec_1}};
    h.votes = {vote{7, "slack", "U8", 1, "button", dec_1 - 4 * day_ms - 1}};
    h.notices = {{"slack", "U1", dec_1, true, dec_1 + 1000}, {"slack", "U2", dec_1, false, 0}};
    economics_config eco;
    eco.cost_per_contact = 6.5;

    auto o = outcome_of(h, item_policy{}, eco, dec_1 + 30 * day_ms);
    REQUIRE(o.fix);
    CHECK(o.fix->verdict == fix_verdict::held);
    std::vector<std::string> kinds;
    for (const auto& e : o.thread) kinds.push_back(e.kind);
    CHECK(kinds == std::vector<std::string>{"first_report", "routed", "acknowledge", "report", "vote", "decide", "fixed",
                                            "told", "held"});
    CHECK(o.thread[1].text == "routed to #billing by rule `invoices` (mentions invoice)");
    CHECK(o.thread[5].text.find("due 2026-12-10") != std::string::npos);
    CHECK(o.thread[7].text == "1 of 2 reporters told what changed so far");
    CHECK(describe_cost(o, eco) == "€13 so far (2 contacts); saved about €39 since the fix");

    const auto lines = render_thread(o.thread, 20);
    CHECK(lines.find("21 Nov 00:00 · first report by U1: “the invoice PDF is blank”") == 0);
    CHECK(lines.find("· fixed: PDF renderer upgraded (U9)") != std::string::npos);
    // A long thread keeps its first report and its latest events.
    const auto short_lines = render_thread(o.thread, 4);
    CHECK(short_lines.find("first report") != std::string::npos);
    CHECK(short_lines.find("… 5 earlier events") != std::string::npos);
    CHECK(short_lines.find("the fix held") != std::string::npos);
}

TEST_CASE("OS health names the weakest component first and why", "[health]") {
    const millis now = dec_1;
    std::vector<kpi_item> items(2);
    // Knowledge: routed by a rule, acknowledged in an hour, fixed with every reporter told.
    items[0].it.id = 1;
    items[0].it.comp = component::knowledge;
    items[0].it.rule = "docs";
    items[0].it.status = item_status::fixed;
    items[0].it.counts.first_seen = now - 10 * day_ms;
    items[0].it.routed_at = now - 10 * day_ms;
    items[0].it.acknowledged_at = now - 10 * day_ms + 3600 * 1000;
    items[0].loop_notices = 1;
    items[0].loop_told = 1;
    // Onboarding: landed on the fallback owner, never acknowledged.
    items[1].it.id = 2;
    items[1].it.comp = component::onboarding;
    items[1].it.status = item_status::routed;
    items[1].it.routed_at = now - day_ms;
    std::vector<kpi_signal> signals = {{1, 1, now - 10 * day_ms, "", component::knowledge, "slack", 1, "C1"},
                                       {2, 2, now - day_ms, "", component::onboarding, "slack", 1, "C1"}};
    const auto health = compute_health(items, signals, fix_summary{}, now);
    REQUIRE(health.size() == 6);
    // The four components with no signals in 30 days score 0 and come first, in their own order.
    CHECK(health[0].comp == component::community);
    CHECK(health[0].weakest == "no signals in 30 days");
    CHECK(health[4].comp == component::onboarding);
    CHECK(health[4].rule_share == Approx(0.0));
    CHECK(health[4].weakest == "most items go to the fallback owner");
    CHECK(health[5].comp == component::knowledge);
    CHECK(health[5].score == Approx(1.0));
    CHECK(health[5].median_ack == 3600 * 1000);
    CHECK(health[5].loop_rate == Approx(1.0));

    const auto m = render_health(health);
    CHECK(m.text.starts_with("Weakest: *Community & peer support* (0 %)"));
    REQUIRE(m.fields.size() == 6);
    CHECK(m.fields[5].value.find("fixes held n/a") != std::string::npos);
}
