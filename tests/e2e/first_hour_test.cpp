// What trips a new team in its first hour: typos and too-short texts are asked about before
// anything becomes a public signal, unknown tags are named, and answers speak of items.
#include "tests/e2e/e2e_config.hpp"
#include "tests/e2e/teams_world.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

// The first button's value with this action id in a Slack answer.
std::string button_value(const json& answer, const std::string& action_id) {
    for (const auto& block : answer["blocks"])
        if (block["type"] == "actions")
            for (const auto& e : block["elements"])
                if (e["action_id"] == action_id) return e["value"];
    return {};
}

} // namespace

TEST_CASE("a mistyped command is asked about, logs nothing, and each choice does what it says", "[e2e][first_hour]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();

    auto prompt = json::parse(slash(cxos.port(), "stat").body);
    CHECK_THAT(prompt["text"].get<std::string>(), Catch::Contains("Did you mean “stats”?"));
    CHECK(button_value(prompt, "confirm.run") == "stats");
    CHECK(button_value(prompt, "confirm.log") == "stat");
    auto short_one = json::parse(slash(cxos.port(), "frobnicate").body);
    CHECK_THAT(short_one["text"].get<std::string>(), Catch::Contains("Log “frobnicate” as friction?"));
    // Nothing was logged: the first real report is item 1, and no owner channel saw a post.
    auto real = json::parse(slash(cxos.port(), "the invoice shows the wrong currency").body);
    CHECK_THAT(real["text"].get<std::string>(), Catch::Contains("Logged: item 1"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));

    // "Run stats" answers with the stats, only to the person who asked.
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0AGENT", "C0SUPPORT", "1700000300.000100",
                                                                "confirm.run", "stats"))
                .status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 1; }));
    CHECK_THAT(slack.ephemerals()[0].dump(), Catch::Contains("U0AGENT") && Catch::Contains("1 signal"));
    // "Log it as friction" logs the text as it was typed, and the owner's channel gets it.
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0AGENT", "C0SUPPORT", "1700000300.000200",
                                                                "confirm.log", "frobnicate"))
                .status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 2 && s.ephemerals.size() == 2; }));
    CHECK(slack.posts()[1].channel == "C0TRIAGE");
    CHECK_THAT(slack.ephemerals()[1].dump(), Catch::Contains("Logged: item 2") && Catch::Contains("frobnicate"));
    // The prompt's buttons stay on screen: a second click on it logs nothing more.
    auto again = block_actions_payload("U0AGENT", "C0SUPPORT", "1700000300.000200", "confirm.log", "frobnicate");
    again["actions"][0]["action_ts"] = "1700000301.000001";
    REQUIRE(send_interaction(cxos.port(), again).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 3; }));
    CHECK_THAT(slack.ephemerals()[2].dump(), Catch::Contains("Already answered"));
    cxos.settle();
    CHECK(slack.posts().size() == 2);
    CHECK_THAT(json::parse(slash(cxos.port(), "status 2").body).dump(), Catch::Contains("1 report"));
}

TEST_CASE("a button whose form Slack will not open says so instead of doing nothing", "[e2e][first_hour]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    // "Run" on a suggestion to open the capture form, pressed after its trigger expired.
    auto press = block_actions_payload("U0AGENT", "C0SUPPORT", "1700000300.000300", "confirm.run", "");
    slack.expire_trigger(press["trigger_id"].get<std::string>());
    REQUIRE(send_interaction(cxos.port(), press).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 1; }));
    CHECK_THAT(slack.ephemerals()[0].dump(), Catch::Contains("expired_trigger_id") && Catch::Contains("U0AGENT"));
    CHECK(slack.opened_views().empty());
}

TEST_CASE("unknown tags are named in the ack with the tags that exist, aliases are understood", "[e2e][first_hour]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto ack = json::parse(slash(cxos.port(), "the checkout page spins forever #checkout !urgent +mobile").body);
    const auto text = ack["blocks"].dump();
    CHECK_THAT(text, Catch::Contains("Tags not understood") && Catch::Contains("#checkout, +mobile"));
    CHECK_THAT(text, Catch::Contains("#discover #onboard #adopt #support #renew"));
    CHECK_THAT(text, Catch::Contains("*Severity*\\nhigh")); // !urgent
    // status speaks of the item: its owner as a channel link, and its post's delivery.
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    auto status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
    CHECK_THAT(status, Catch::Contains("Item 1") && Catch::Contains("<#C0TRIAGE>"));
}

TEST_CASE("in Teams a mistyped command is asked about on a card, and its button runs the suggestion", "[e2e][first_hour][teams]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000009100", "staus 1")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000009100");
        return t && !t->replies.empty();
    }));
    const auto card = w.bf.state().thread("1700000009100")->replies[0].body.dump();
    CHECK_THAT(card, Catch::Contains("Did you mean “status”?") && Catch::Contains("confirm.run"));
    // Nothing reached an owner: no Slack post, no thread in the docs channel.
    CHECK(w.slack.posts().empty());
    auto clicked = w.send(card_execute_invoke(w.ctx, "1700000009101", thread_conversation_id(w.ctx.channel_id, "1700000009100"),
                                              "1700000009100", "confirm.run", {{"action", "confirm.run"}, {"value", "status 1"}}));
    CHECK(clicked.status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000009100");
        return t && t->replies.size() == 2;
    }));
    CHECK_THAT(w.bf.state().thread("1700000009100")->replies[1].body.dump(), Catch::Contains("No item 1"));
    // Clicked again on the same card: answered on the card, run no more.
    auto again = w.send(card_execute_invoke(w.ctx, "1700000009102", thread_conversation_id(w.ctx.channel_id, "1700000009100"),
                                            "1700000009100", "confirm.run", {{"action", "confirm.run"}, {"value", "status 1"}}));
    CHECK(again.status == 200);
    CHECK_THAT(again.body, Catch::Contains("Already answered"));
    w.cxos.settle();
    CHECK(w.bf.state().thread("1700000009100")->replies.size() == 2);
}
