#include "commands/items.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

journey_config journey() {
    journey_config j;
    j.owners = {{"billing", {"billing", "C0BILLING", ""}}, {"docs", {"docs", "C0DOCS", ""}}, {"triage", {"triage", "C0TRIAGE", ""}}};
    j.fallback = "triage";
    return j;
}

item routed_item() {
    item it;
    it.id = 7;
    it.title = "refund missing";
    it.owner = "billing";
    it.rule = "invoices";
    it.status = item_status::routed;
    return it;
}

triage_action act(triage_verb v) {
    triage_action a;
    a.verb = v;
    a.actor = "U0OWNER";
    return a;
}

} // namespace

TEST_CASE("item keys ignore case and punctuation and spacing", "[items]") {
    CHECK(item_key("The invoice, shows  the WRONG currency!") == "the invoice shows the wrong currency");
    CHECK(item_key("the invoice shows the wrong currency") == item_key("The Invoice shows the wrong currency."));
    CHECK(item_key("invoice wrong") != item_key("invoice is wrong"));
}

TEST_CASE("acknowledge records the time once and a double click changes nothing", "[items][lifecycle]") {
    auto first = apply_triage(routed_item(), act(triage_verb::acknowledge), journey(), std::nullopt, 5000);
    REQUIRE(first.changed);
    CHECK(first.after.status == item_status::acknowledged);
    CHECK(first.after.acknowledged_at == 5000);
    CHECK(first.after.last_actor == "U0OWNER");
    auto again = apply_triage(first.after, act(triage_verb::acknowledge), journey(), std::nullopt, 9000);
    CHECK_FALSE(again.changed);
    CHECK(again.after.acknowledged_at == 5000);
    CHECK_THAT(again.explanation, Catch::Contains("already acknowledged"));
}

TEST_CASE("the first reroute counts a misroute and later ones do not", "[items][lifecycle]") {
    auto a = act(triage_verb::reroute);
    a.to_owner = "docs";
    auto first = apply_triage(routed_item(), a, journey(), std::nullopt, 1);
    REQUIRE(first.changed);
    CHECK(first.misroute);
    CHECK(first.repost);
    CHECK(first.after.owner == "docs");
    CHECK(first.after.rule == "invoices"); // accuracy is charged to the rule that chose first
    a.to_owner = "triage";
    auto second = apply_triage(first.after, a, journey(), std::nullopt, 2);
    CHECK(second.changed);
    CHECK_FALSE(second.misroute);
    a.to_owner = "triage";
    CHECK_FALSE(apply_triage(second.after, a, journey(), std::nullopt, 3).changed); // same owner
    a.to_owner = "nobody";
    CHECK_FALSE(apply_triage(routed_item(), a, journey(), std::nullopt, 3).changed);
}

TEST_CASE("closing needs words for the reporters", "[items][lifecycle]") {
    auto fixed = act(triage_verb::fixed);
    CHECK_FALSE(apply_triage(routed_item(), fixed, journey(), std::nullopt, 1).changed);
    fixed.note = "Invoices now use the account currency";
    auto done = apply_triage(routed_item(), fixed, journey(), std::nullopt, 10);
    REQUIRE(done.changed);
    CHECK(done.after.status == item_status::fixed);
    CHECK(done.after.closed_at == 10);
    // A closed item refuses other actions and treats a repeat as a double click.
    CHECK_THAT(apply_triage(done.after, act(triage_verb::acknowledge), journey(), std::nullopt, 11).explanation,
               Catch::Contains("closed"));
    CHECK_THAT(apply_triage(done.after, fixed, journey(), std::nullopt, 11).explanation, Catch::Contains("already"));
    auto wont = act(triage_verb::wont_fix);
    wont.note = "by design";
    CHECK(apply_triage(routed_item(), wont, journey(), std::nullopt, 1).after.status == item_status::wont_fix);
}

TEST_CASE("duplicates point at an open item that is not itself", "[items][lifecycle]") {
    auto dup = act(triage_verb::duplicate);
    dup.duplicate_of = 3;
    CHECK_FALSE(apply_triage(routed_item(), dup, journey(), std::nullopt, 1).changed);
    item target = routed_item();
    target.id = 3;
    auto merged = apply_triage(routed_item(), dup, journey(), target, 1);
    REQUIRE(merged.changed);
    CHECK(merged.after.status == item_status::duplicate);
    CHECK(merged.after.duplicate_of == 3);
    target.id = 7;
    dup.duplicate_of = 7;
    CHECK_FALSE(apply_triage(routed_item(), dup, journey(), target, 1).changed);
    item chained = routed_item();
    chained.id = 4;
    chained.status = item_status::duplicate;
    chained.duplicate_of = 2;
    dup.duplicate_of = 4;
    CHECK_THAT(apply_triage(routed_item(), dup, journey(), chained, 1).explanation, Catch::Contains("item 2"));
}

TEST_CASE("item keys stay as stored: ASCII lowered, UTF-8 kept, any other byte a single space", "[items]") {
    // Keys are stored: a change here would split every open item from its new reports.
    CHECK(item_key("").empty());
    CHECK(item_key(" ,.!? ").empty());
    CHECK(item_key("  Leading and trailing  ") == "leading and trailing");
    CHECK(item_key("Größe ÄNDERN: 3,5 MB") == "größe Ändern 3 5 mb");
    CHECK(item_key("É-Mail\tSIGN_in\r\nv2.0 (beta)") == "É mail sign in v2 0 beta");
    CHECK(item_key("emoji 🎉party🎉 time") == "emoji 🎉party🎉 time");
    CHECK(item_key("ID#123/abc@DEF") == "id 123 abc def");
    CHECK(item_key("caf\xc3\xa9 CAF\xc3\x89") == "caf\xc3\xa9 caf\xc3\x89");
    CHECK(item_key(std::string("nul\0byte", 8)) == "nul byte");
}
