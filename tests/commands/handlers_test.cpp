#include "commands/handlers.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {
journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.owners = {{"billing", {"billing", "C0BILLING", ""}}, {"triage", {"triage", "C0TRIAGE", ""}}};
    j.fallback = "triage";
    routing_rule r;
    r.name = "invoices";
    r.keywords = {"invoice"};
    r.route_to = "billing";
    j.rules = {r};
    return j;
}
std::string all_text(const neutral_message& m) {
    std::string out = m.title + "\n" + m.text + "\n" + m.context;
    for (const auto& f : m.fields) out += "\n" + f.label + ": " + f.value;
    return out;
}
} // namespace

TEST_CASE("a planned signal is routed and stamped", "[handlers]") {
    log_command cmd{"the invoice is wrong", "renew", std::nullopt, severity::high};
    auto s = plan_signal(journey(), cmd, {"slack", "T1", "C0SUPPORT", "U1", "ana", "", "", ""}, 1000);
    CHECK(s.route.owner == "billing");
    CHECK(s.sev == severity::high);
    CHECK(s.created_at == 1000);
    CHECK(plan_signal(journey(), log_command{"slow", "", std::nullopt, std::nullopt}, {}, 0).sev == severity::medium);
}

TEST_CASE("the ack names id and destination and why for a new item", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"the invoice is wrong", "renew", {}, {}}, {}, 0);
    s.id = 42;
    item it = new_item_for(s);
    it.id = 7;
    auto text = all_text(render_log_ack(s, it, true));
    CHECK_THAT(text, Catch::Contains("Logged signal 42"));
    CHECK_THAT(text, Catch::Contains("→ #billing: rule `invoices` matched 'invoice'"));
    CHECK_THAT(text, Catch::Contains("starts item 7"));
    CHECK_THAT(text, Catch::Contains("Stage: renew"));
}

TEST_CASE("the ack says when a signal joined an existing item", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"the invoice is wrong", "", {}, {}}, {}, 0);
    s.id = 43;
    item it = new_item_for(s);
    it.id = 7;
    it.counts.reports = 3;
    auto text = all_text(render_log_ack(s, it, false));
    CHECK_THAT(text, Catch::Contains("Added to item 7 (3 reports)"));
}

TEST_CASE("status shows route, rule and delivery state", "[handlers]") {
    auto sig = plan_signal(journey(), log_command{"the invoice is wrong", "", {}, {}}, {}, 0);
    sig.id = 7;
    delivery d;
    d.channel = "C0BILLING";
    d.state = delivery_state::dead;
    d.attempts = 1;
    d.last_error = "channel_not_found";
    auto text = all_text(render_status(signal_status{sig, std::nullopt, {d}}, 7));
    CHECK_THAT(text, Catch::Contains("rule `invoices`"));
    CHECK_THAT(text, Catch::Contains("dead to C0BILLING"));
    CHECK_THAT(text, Catch::Contains("channel_not_found"));
    auto missing = render_status(std::nullopt, 99);
    CHECK(missing.is_error);
    CHECK_THAT(missing.title, Catch::Contains("99"));
}

TEST_CASE("help lists the configured stages and all six components", "[handlers]") {
    auto text = all_text(render_help(journey(), "/friction"));
    CHECK_THAT(text, Catch::Contains("#onboard, #renew"));
    for (auto c : all_components()) CHECK_THAT(text, Catch::Contains("+" + std::string(to_slug(c))));
}
