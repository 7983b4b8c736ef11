// An owner with both Slack and Teams sees the item's card in both places, and a triage action
// on either refreshes both.
#include "tests/e2e/teams_world.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string billing_teams = "19:billing-owners@thread.tacv2";

std::string both_platforms(const fake_bot_framework& bf) {
    auto yaml = teams_routing(bf);
    const std::string slack_only = "billing: { slack: C0BILLING }";
    yaml.replace(yaml.find(slack_only), slack_only.size(), "billing: { slack: C0BILLING, teams: \"" + billing_teams + "\" }");
    return yaml;
}

} // namespace

TEST_CASE("an owner with Slack and Teams gets the card in both and an ack in Teams refreshes both", "[e2e][teams_bot]") {
    fake_slack slack;
    fake_bot_framework bf;
    cxos_process cxos(slack.api_url(), both_platforms(bf));
    cxos.start(registration_env(bf));
    const teams_context ctx = context_for(bf);
    REQUIRE(send_activity(cxos.port(), channel_mention(ctx, "1700000003000", "log the invoice email bounces"),
                          bf.inbound_token()).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    REQUIRE(bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(billing_teams);
        return t && t->root;
    }));
    const auto root = bf.state().first_thread_in(billing_teams)->root_id;
    CHECK_THAT(bf.state().first_thread_in(billing_teams)->root->body.dump(), Catch::Contains("the invoice email bounces"));

    teams_context owner = ctx;
    owner.channel_id = billing_teams;
    auto clicked = send_activity(cxos.port(),
                                 card_execute_invoke(owner, "f:30", thread_conversation_id(billing_teams, root), root,
                                                     "triage.ack", {{"action", "triage.ack"}, {"value", "1"}}),
                                 bf.inbound_token());
    REQUIRE(clicked.status == 200);
    CHECK_THAT(clicked.body, Catch::Contains("cknowledged"));
    // Both cards show it: Slack's through chat.update, Teams' through the connector's PUT.
    CHECK(slack.wait_for([](const fake_state& s) {
        for (const auto& u : s.updates)
            if (u.body.dump().find("cknowledged") != std::string::npos) return true;
        return false;
    }));
    CHECK(bf.wait_for_update(root, "cknowledged"));
}
