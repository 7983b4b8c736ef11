#include "commands/routing.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.owners = {{"billing", {"billing", "C0BILLING", ""}},
                {"onboarding", {"onboarding", "C0ONBOARD", ""}},
                {"vip", {"vip", "C0VIP", ""}},
                {"triage", {"triage", "C0TRIAGE", ""}}};
    j.fallback = "triage";
    routing_rule vip;
    vip.name = "vip-high";
    vip.severities = {severity::high};
    vip.source_channels = {"C0VIPDESK"};
    vip.route_to = "vip";
    routing_rule invoices;
    invoices.name = "invoices";
    invoices.keywords = {"invoice", "refund", "wrong currency"};
    invoices.route_to = "billing";
    routing_rule onboard;
    onboard.name = "first-week";
    onboard.stages = {"onboard"};
    onboard.components = {component::onboarding};
    onboard.route_to = "onboarding";
    j.rules = {vip, invoices, onboard};
    return j;
}

signal make(std::string text, std::string channel = "C0SUPPORT") {
    signal s;
    s.description = std::move(text);
    s.source.channel_id = std::move(channel);
    return s;
}

} // namespace

TEST_CASE("keywords match whole words, case-insensitively", "[routing]") {
    auto j = journey();
    auto d = route(j, make("The INVOICE shows the wrong total"));
    CHECK(d.owner == "billing");
    CHECK(d.rule == "invoices");
    CHECK(d.reason == "matched 'invoice'");
    CHECK(route(j, make("invoiced twice")).owner == "triage"); // not a whole word
    CHECK(route(j, make("refund!")).owner == "billing");        // punctuation is a boundary
}

TEST_CASE("a keyword phrase needs its words in order", "[routing]") {
    auto j = journey();
    CHECK(route(j, make("shows the Wrong  Currency again")).rule == "invoices");
    CHECK(route(j, make("currency is wrong")).owner == "triage");
}

TEST_CASE("every listed condition must hold", "[routing]") {
    auto j = journey();
    auto s = make("cannot finish setup");
    s.stage = "onboard";
    CHECK(route(j, s).owner == "triage"); // component missing
    s.comp = component::onboarding;
    auto d = route(j, s);
    CHECK(d.owner == "onboarding");
    CHECK(d.reason == "stage onboard, component onboarding");
}

TEST_CASE("first matching rule wins", "[routing]") {
    auto j = journey();
    auto s = make("refund not received", "C0VIPDESK");
    s.sev = severity::high;
    CHECK(route(j, s).rule == "vip-high");
    s.sev = severity::medium;
    CHECK(route(j, s).rule == "invoices");
}

TEST_CASE("no match goes to the fallback and says so", "[routing]") {
    auto d = route(journey(), make("dark mode hurts my eyes"));
    CHECK(d.owner == "triage");
    CHECK(d.rule.empty());
    CHECK(d.reason == "no rule matched");
}

TEST_CASE("words_of splits on punctuation and keeps UTF-8 letters", "[routing]") {
    CHECK(words_of("Größe: 3,5 MB!") == std::vector<std::string>{"größe", "3", "5", "mb"});
}
