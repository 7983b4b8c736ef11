#include "tests/cards/catalog_fixtures.hpp"

#include "tests/cards/card_catalog.hpp"

namespace cxos::cards {

std::string hostile_text(std::size_t min_bytes) {
    // Each piece is something a renderer has got wrong somewhere: markup of both platforms,
    // entities and mentions, a 4-byte emoji with a skin tone, a combining accent, Arabic,
    // quotes, backslashes and JSON-looking text.
    static const std::string piece =
        "*bold* _italic_ `code` ~strike~ **double** <@U0ATTACK> <!channel> <#C0X|x> &amp; &lt;tag&gt; "
        "<script>alert(1)</script> 👍🏽 ⚠️ e\u0301 ẞ 漢字 مرحبا \"quoted\" \\backslash\\ {\"json\": [1]} # heading\n- list\n";
    std::string out;
    while (out.size() < min_bytes) out += piece;
    return out;
}

journey_config ordinary_journey() {
    journey_config j;
    j.stages = {"trial", "onboard", "renew", "billing-run"};
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    j.owners["docs"] = owner{"docs", "", "19:docs0channel@thread.tacv2"};
    j.owners["onboarding"] = owner{"onboarding", "C0ONBOARD", "19:onboard0channel@thread.tacv2"};
    j.fallback = "billing";
    return j;
}

journey_config hostile_journey() {
    journey_config j;
    for (int i = 0; i < 60; ++i) j.stages.push_back("stage-" + std::to_string(i) + "-" + std::string(90, 's') + "-ü");
    for (int i = 0; i < 150; ++i) {
        // Long enough that "<item id>:<owner>" passes Slack's 150-character option value.
        std::string name = "team-" + std::to_string(i) + "-Ωmega-" + std::string(i % 3 == 0 ? 160 : 20, 'n');
        j.owners[name] = owner{name, "C0TEAM" + std::to_string(i), i % 2 ? "19:t" + std::to_string(i) + "@thread.tacv2" : ""};
    }
    j.fallback = j.owners.begin()->first;
    return j;
}

item ordinary_item(item_status status) {
    item it;
    it.id = 42;
    it.title = "The invoice PDF shows the wrong currency for EU customers";
    it.key = item_key(it.title);
    it.owner = "billing";
    it.rule = "invoices";
    it.reason = "matched 'invoice'";
    it.status = status;
    it.stage = "renew";
    it.comp = component::knowledge;
    it.sev = severity::high;
    it.created_at = catalog_now - 9 * catalog_day;
    it.updated_at = catalog_now - catalog_day;
    it.counts = {7, 4, 3, catalog_now - 9 * catalog_day, catalog_now - catalog_day, "U0REPORTER", "C0SUPPORT",
                 "https://acme.slack.com/archives/C0SUPPORT/p1700000000000100"};
    if (status != item_status::fresh && status != item_status::routed) it.last_actor = "U0OWNER";
    if (status == item_status::in_progress) {
        it.decision = "Show prices in the customer's billing currency everywhere";
        it.decided_by = "U0COUNCIL";
        it.decided_at = catalog_now - 2 * catalog_day;
        it.due_at = catalog_now + 14 * catalog_day;
    }
    if (status == item_status::fixed || status == item_status::regressed) {
        it.note = "Invoices now use the account's billing currency";
        it.link = "https://example.com/changelog#currency";
        it.fixed_at = catalog_now - 5 * catalog_day;
    }
    if (status == item_status::regressed) {
        it.regressed_at = catalog_now - catalog_day;
        it.counts.since_fix = 2;
    }
    if (status == item_status::wont_fix) it.note = "The PDF is produced by the payment provider; we cannot change it";
    if (status == item_status::duplicate) it.duplicate_of = 17;
    return it;
}

item hostile_item(item_status status, const journey_config& journey) {
    item it = ordinary_item(status);
    it.id = 9'007'199'254'740'993; // past 2^53: ids must survive as text, not as JSON doubles
    it.title = hostile_text(40'000);
    it.owner = journey.owners.rbegin()->first;
    it.rule = hostile_text(500);
    it.reason = hostile_text(2'000);
    it.stage = journey.stages.back();
    it.counts.reports = 1'000'000;
    it.counts.reporters = 99'999;
    it.counts.customers = 12'345;
    // Teams ids: Slack cannot mention them, Teams shows them as text.
    it.counts.first_reporter = "29:1" + std::string(200, 'A');
    it.counts.first_channel = "19:" + std::string(300, 'c') + "@thread.tacv2";
    it.counts.first_permalink = "https://teams.microsoft.com/l/message/" + std::string(3'000, 'p');
    it.last_actor = it.counts.first_reporter;
    it.note = hostile_text(50'000);
    it.link = "https://example.com/" + std::string(5'000, 'l');
    if (status == item_status::in_progress) {
        it.decision = hostile_text(20'000);
        it.decided_by = "29:1" + std::string(100, 'D');
    }
    it.rerouted = true;
    return it;
}

std::vector<std::string> many_users(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i)
        out.push_back(i % 2 ? "U0VOTER" + std::to_string(i) : "29:1teamsvoter" + std::to_string(i));
    return out;
}

} // namespace cxos::cards
