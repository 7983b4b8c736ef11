// A revoked or mistyped bot token is the workspace's problem, not each message's: posts wait
// (pending, never dead letters), cxos says so (health, metrics, the reporter's ack, one log line)
// and delivers everything by itself once the workspace accepts a token again.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace cxos::test;
using nlohmann::json;

TEST_CASE("posts under a refused token are held, not dead-lettered, and go out once the token works", "[e2e][outbox]") {
    fake_slack slack("xoxb-the-real-token"); // the workspace refuses the token cxos was given
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();

    // The start-up check finds the refused token before any post is tried.
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.auth_tests >= 1; }));
    json health;
    CHECK(eventually([&] {
        health = json::parse(http_call(cxos.port(), "GET", "/healthz", "").body);
        return health["status"] == "degraded";
    }));
    CHECK_THAT(health["problems"].dump(), Catch::Contains("invalid_auth"));

    auto ack = slash(cxos.port(), "the invoice shows the wrong currency");
    REQUIRE(ack.status == 200);
    CHECK_THAT(ack.body, Catch::Contains("Logged: item 1") && Catch::Contains("on hold"));
    auto second = slash(cxos.port(), "the docs article about SSO is outdated");
    REQUIRE(second.status == 200);
    CHECK_THAT(http_call(cxos.port(), "GET", "/metrics", "").body,
               Catch::Contains("cxos_deliveries_held{platform=\"slack\"} 1"));

    // Nothing was dead-lettered: status shows the post waiting.
    CHECK_THAT(slash(cxos.port(), "status 1").body, Catch::Contains("pending"));
    CHECK(slack.posts().empty());

    // The admin fixes it (here: the workspace now accepts the token cxos has); cxos notices by itself.
    slack.accept_token(test_bot_token);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
    std::set<std::string> channels;
    for (const auto& p : slack.posts()) channels.insert(p.channel);
    CHECK(channels == std::set<std::string>{"C0BILLING", "C0DOCS"});
    CHECK(json::parse(http_call(cxos.port(), "GET", "/healthz", "").body)["status"] == "ok");
    CHECK(eventually([&] { return cxos.log().find("deliveries resumed") != std::string::npos; }));
    CHECK_THAT(cxos.log(), Catch::Contains("deliveries on hold"));
}
