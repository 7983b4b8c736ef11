#include "commands/handlers.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {
journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.owners = {{"billing", {"billing", "C0BILLING"}}, {"triage", {"triage", "C0TRIAGE"}}};
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

TEST_CASE("a log plan routes the signal and addresses the owner's channel", "[handlers]") {
    log_command cmd{"the invoice is wrong", "renew", std::nullopt, severity::high};
    auto plan = plan_log(journey(), cmd, {"slack", "T1", "C0SUPPORT", "U1", "ana"}, 1000);
    CHECK(plan.sig.route.owner == "billing");
    CHECK(plan.sig.sev == severity::high);
    CHECK(plan.sig.created_at == 1000);
    CHECK(plan.routed_post.channel == "C0BILLING");
    CHECK(plan.routed_post.state == delivery_state::pending);
    CHECK(plan.routed_post.next_attempt_at == 1000);
}

TEST_CASE("severity defaults to medium", "[handlers]") {
    auto plan = plan_log(journey(), log_command{"slow", "", std::nullopt, std::nullopt}, {}, 0);
    CHECK(plan.sig.sev == severity::medium);
    CHECK(plan.routed_post.channel == "C0TRIAGE");
}

TEST_CASE("the ack names id, stage, destination and why", "[handlers]") {
    auto plan = plan_log(journey(), log_command{"the invoice is wrong", "renew", {}, {}}, {}, 0);
    plan.sig.id = 42;
    auto text = all_text(render_log_ack(plan.sig, journey()));
    CHECK_THAT(text, Catch::Contains("Logged signal 42"));
    CHECK_THAT(text, Catch::Contains("→ #billing: rule `invoices` matched 'invoice'"));
    CHECK_THAT(text, Catch::Contains("Stage: renew"));
}

TEST_CASE("status shows route, rule and delivery state", "[handlers]") {
    auto plan = plan_log(journey(), log_command{"the invoice is wrong", "", {}, {}}, {}, 0);
    plan.sig.id = 7;
    delivery d = plan.routed_post;
    d.state = delivery_state::dead;
    d.attempts = 1;
    d.last_error = "channel_not_found";
    auto text = all_text(render_status(signal_status{plan.sig, {d}}, 7));
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
