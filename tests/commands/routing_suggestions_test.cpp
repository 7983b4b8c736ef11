// Rule suggestions from reroutes: a word the rerouted items share becomes a rule to paste.
#include "commands/routing_suggestions.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

journey_config journey() {
    journey_config j;
    j.owners["triage"] = owner{"triage", "C0TRIAGE", ""};
    j.owners["identity"] = owner{"identity", "C0IDENTITY", ""};
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    routing_rule invoices;
    invoices.name = "invoices";
    invoices.keywords = {"invoice"};
    invoices.route_to = "billing";
    j.rules.push_back(invoices);
    j.fallback = "triage";
    return j;
}

reroute_record reroute(std::int64_t item, std::string title, std::string from = "triage", std::string to = "identity",
                       std::string rule = "") {
    return {item, std::move(from), std::move(to), std::move(title), std::move(rule), item * 1000};
}

} // namespace

TEST_CASE("four reroutes to one owner that mention SSO suggest a keyword rule with its YAML", "[routing]") {
    const std::vector<reroute_record> reroutes{
        reroute(1, "SSO login loops back to the start"),
        reroute(2, "cannot sign in with SSO since Monday"),
        reroute(3, "the SSO button does nothing"),
        reroute(4, "sso redirect fails for acme"),
        reroute(5, "export is slow"), // rerouted too, shares nothing
    };
    auto suggestions = suggest_routing_rules(reroutes, journey(), text_language::en);
    REQUIRE(suggestions.size() == 1);
    const auto& s = suggestions[0];
    CHECK(s.from == "triage");
    CHECK(s.to == "identity");
    CHECK(s.keyword == "sso");
    CHECK(s.reroutes == 4);
    CHECK(s.yaml() == "- name: sso-to-identity\n  when: { keywords: [sso] }\n  route_to: identity");

    auto m = render_rule_suggestion(s);
    CHECK_THAT(m.text, Catch::Contains("4 reroutes from triage to identity mention 'sso'"));
    CHECK_THAT(m.text, Catch::Contains("route_to: identity"));
    CHECK_THAT(m.context, Catch::Contains("never edits the config"));
}

TEST_CASE("too few reroutes, or the same item moved again and again, suggest nothing", "[routing]") {
    const std::vector<reroute_record> two{reroute(1, "SSO login loops"), reroute(2, "SSO button does nothing")};
    CHECK(suggest_routing_rules(two, journey(), text_language::en).empty());
    const std::vector<reroute_record> one_item{reroute(1, "SSO login loops"), reroute(1, "SSO login loops"),
                                               reroute(1, "SSO login loops"), reroute(1, "SSO login loops")};
    CHECK(suggest_routing_rules(one_item, journey(), text_language::en).empty());
}

TEST_CASE("a word a rule to that owner already has, stop words and numbers are never suggested", "[routing]") {
    const std::vector<reroute_record> reroutes{
        reroute(1, "the invoice 4411 is wrong", "triage", "billing"),
        reroute(2, "the invoice 4412 is wrong", "triage", "billing"),
        reroute(3, "the invoice 4413 is wrong", "triage", "billing"),
    };
    auto suggestions = suggest_routing_rules(reroutes, journey(), text_language::en);
    REQUIRE(suggestions.size() == 1);
    CHECK(suggestions[0].keyword == "wrong"); // not "invoice" (a rule has it), "the", "is" or 4411
}

TEST_CASE("a suggestion for items a rule misrouted says to paste it above that rule", "[routing]") {
    const std::vector<reroute_record> reroutes{
        reroute(1, "refund for SSO users", "billing", "identity", "invoices"),
        reroute(2, "SSO seats charged twice", "billing", "identity", "invoices"),
        reroute(3, "SSO count wrong", "billing", "identity", "invoices"),
    };
    auto suggestions = suggest_routing_rules(reroutes, journey(), text_language::en);
    REQUIRE(suggestions.size() == 1);
    CHECK(suggestions[0].keyword == "sso");
    CHECK_THAT(render_rule_suggestion(suggestions[0]).text, Catch::Contains("above `invoices`"));
    neutral_message stats;
    add_rule_suggestions(stats, suggestions);
    REQUIRE(stats.fields.size() == 1);
    CHECK_THAT(stats.fields[0].value, Catch::Contains("keywords: [sso]"));
}
