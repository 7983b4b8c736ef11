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

namespace {

// Rules of every kind of condition, for pinning the reasons people read on each decision.
journey_config conditions_journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.fallback = "triage";
    routing_rule all;
    all.name = "everything";
    all.keywords = {"Sign-In", "wrong currency"};
    all.stages = {"renew"};
    all.components = {component::marketing, component::knowledge};
    all.severities = {severity::high};
    all.source_channels = {"C0DESK"};
    all.route_to = "vip";
    routing_rule words;
    words.name = "words";
    words.keywords = {"!!!", "Größe", "2FA code", "wrong currency"};
    words.route_to = "docs";
    routing_rule severe;
    severe.name = "severe";
    severe.severities = {severity::high, severity::low};
    severe.route_to = "ops";
    j.rules = {all, words, severe};
    return j;
}

signal full(std::string text) {
    signal s = make(std::move(text), "C0DESK");
    s.stage = "renew";
    s.comp = component::knowledge;
    s.sev = severity::high;
    return s;
}

} // namespace

TEST_CASE("a rule of every condition explains each of them in order", "[routing]") {
    auto j = conditions_journey();
    auto d = route(j, full("cannot sign in: the SIGN-IN page loops"));
    CHECK(d.owner == "vip");
    CHECK(d.rule == "everything");
    CHECK(d.reason == "matched 'Sign-In', stage renew, component knowledge, severity high, from channel C0DESK");
    // The first keyword that matches is the one named, not the first in the text.
    CHECK(route(j, full("wrong currency after sign-in")).reason ==
          "matched 'Sign-In', stage renew, component knowledge, severity high, from channel C0DESK");
    CHECK(route(j, full("the wrong   Currency")).reason ==
          "matched 'wrong currency', stage renew, component knowledge, severity high, from channel C0DESK");
}

TEST_CASE("one failing condition hands the signal to the next rule", "[routing]") {
    auto j = conditions_journey();
    auto other_stage = full("wrong currency");
    other_stage.stage = "onboard";
    CHECK(route(j, other_stage).reason == "matched 'wrong currency'");
    CHECK(route(j, other_stage).rule == "words");
    auto no_stage = full("sign in");
    no_stage.stage.clear();
    CHECK(route(j, no_stage).reason == "severity high");
    auto other_component = full("sign in");
    other_component.comp = component::onboarding;
    CHECK(route(j, other_component).rule == "severe");
    auto no_component = full("sign in");
    no_component.comp.reset();
    CHECK(route(j, no_component).rule == "severe");
    auto other_channel = full("sign in");
    other_channel.source.channel_id = "C0ELSE";
    CHECK(route(j, other_channel).rule == "severe");
    auto low = full("the sign in fails");
    low.sev = severity::low;
    auto d = route(j, low);
    CHECK(d.owner == "ops");
    CHECK(d.reason == "severity low");
    low.sev = severity::medium;
    CHECK(route(j, low).reason == "no rule matched");
}

TEST_CASE("keywords are words: UTF-8 stays as written, digits count, punctuation splits", "[routing]") {
    auto j = conditions_journey();
    CHECK(route(j, make("die GRÖßE stimmt nicht")).owner == "triage"); // only ASCII letters fold
    CHECK(route(j, make("die Größe stimmt nicht")).reason == "matched 'Größe'");
    CHECK(route(j, make("my 2fa-code never arrives")).reason == "matched '2FA code'");
    CHECK(route(j, make("my 2fa codes never arrive")).owner == "triage");
    CHECK(route(j, make("2FA")).owner == "triage"); // a phrase longer than the text
    CHECK(route(j, make("wrong wrong currency")).reason == "matched 'wrong currency'");
    CHECK(route(j, make("!!! wrong")).owner == "triage"); // a keyword of no words never matches
    CHECK(route(j, make("")).owner == "triage");
}

TEST_CASE("words_of lowers ASCII only and splits on every other byte", "[routing]") {
    CHECK(words_of("  É-Mail\tSIGN_in\n42x ") == std::vector<std::string>{"É", "mail", "sign", "in", "42x"});
    CHECK(words_of("...").empty());
}
