// Teams requests that pass a signature check but must still change nothing: another Bot
// Framework channel, another tenant, and a message action Teams submits twice.
#include "tests/e2e/teams_world.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("only Teams activities from the bot's own tenant are served", "[e2e][teams_bot]") {
    teams_world w;
    auto direct_line = channel_mention(w.ctx, "1700000002000", "log docs are wrong");
    direct_line["channelId"] = "directline"; // a channel whose clients write channelData themselves
    CHECK(w.send(direct_line).status == 401);

    teams_context stranger = w.ctx;
    stranger.tenant_id = "0e0e0e0e-0000-4000-8000-000000000000";
    CHECK(w.send(channel_mention(stranger, "1700000002001", "log docs are wrong")).status == 403);

    w.cxos.settle();
    CHECK(w.bf.state().connector_attempts == 0);
    // Nothing was stored: the next real report is signal 1.
    REQUIRE(w.send(channel_mention(w.ctx, "1700000002002", "log docs are wrong")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000002002");
        return t && !t->replies.empty();
    }));
    CHECK_THAT(w.bf.state().thread("1700000002002")->replies[0].body.dump(), Catch::Contains("Logged: item 1"));
}

TEST_CASE("a message action Teams submits again logs the message once", "[e2e][teams_bot]") {
    teams_world w;
    teams_source_message source{"1700000002100", "<p>Docs search ignores filters</p>", {}, ""};
    auto fetched = json::parse(w.send(fetch_task_invoke(w.ctx, "f:20", "logFriction", source)).body);
    json fields = fetched["task"]["value"]["card"]["content"]["actions"][0]["data"];
    fields["description"] = "Docs search ignores filters";
    auto first = json::parse(w.send(submit_action_invoke(w.ctx, "f:21", "logFriction", source, fields)).body);
    CHECK_THAT(first["task"]["value"].get<std::string>(), Catch::Contains("Logged: item 1"));
    auto again = json::parse(w.send(submit_action_invoke(w.ctx, "f:22", "logFriction", source, fields)).body);
    CHECK_THAT(again["task"]["value"].get<std::string>(), Catch::Contains("Already logged"));
    auto status = w.send(channel_mention(w.ctx, "1700000002101", "status 2"));
    REQUIRE(status.status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000002101");
        return t && !t->replies.empty();
    }));
    CHECK_THAT(w.bf.state().thread("1700000002101")->replies[0].body.dump(), Catch::Contains("No item 2"));
}
