#include "adapters/slack/interactions.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cxos;
using nlohmann::json;

namespace {

template <class T>
T decoded(const json& payload) {
    auto event = slack::decode_interaction(payload);
    REQUIRE(event);
    REQUIRE(std::holds_alternative<T>(*event));
    return std::get<T>(*event);
}

// A button click on a message in a channel, shaped like Slack's documented example.
json button_click() {
    return json::parse(R"({
      "type": "block_actions",
      "user": {"id": "U0CA5", "username": "ana.l", "name": "ana", "team_id": "T3MDE"},
      "api_app_id": "A0CA5",
      "token": "Shh_its_a_seekrit",
      "container": {"type": "message", "message_ts": "1548261231.000200", "channel_id": "C0CA5",
                    "is_ephemeral": false},
      "trigger_id": "12466734323.1395872398",
      "team": {"id": "T3MDE", "domain": "cxos"},
      "enterprise": null,
      "is_enterprise_install": false,
      "channel": {"id": "C0CA5", "name": "triage"},
      "message": {"type": "message", "ts": "1548261231.000200", "text": "Friction signal 12"},
      "response_url": "https://hooks.slack.com/actions/T3MDE/123/abc",
      "actions": [{"action_id": "triage.ack", "block_id": "actions", "type": "button",
                   "text": {"type": "plain_text", "text": "Acknowledge", "emoji": true},
                   "value": "12", "style": "primary", "action_ts": "1548426417.840180"}]
    })");
}

json view_submission() {
    return json::parse(R"({
      "type": "view_submission",
      "team": {"id": "T3MDE", "domain": "cxos"},
      "user": {"id": "U0CA5", "username": "ana.l", "name": "ana", "team_id": "T3MDE"},
      "api_app_id": "A0CA5",
      "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
      "view": {
        "id": "VNHU13V36",
        "type": "modal",
        "callback_id": "friction.log",
        "private_metadata": "{\"channel\":\"C0CA5\",\"ts\":\"1548261231.000200\"}",
        "title": {"type": "plain_text", "text": "Log friction"},
        "state": {"values": {
          "summary": {"summary": {"type": "plain_text_input", "value": "Refund form < broken"}},
          "details": {"details": {"type": "plain_text_input", "value": null}},
          "link": {"link": {"type": "url_text_input", "value": "https://example.com/t/1"}},
          "stage": {"stage": {"type": "static_select",
                              "selected_option": {"text": {"type": "plain_text", "text": "Renew"},
                                                  "value": "renew"}}},
          "severity": {"severity": {"type": "static_select", "selected_option": null}},
          "owner": {"owner": {"type": "plain_text_input", "value": ""}}
        }},
        "hash": "156772938.1827394"
      }
    })");
}

} // namespace

TEST_CASE("a button click decodes into a block action", "[interactions]") {
    auto a = decoded<slack::block_action>(button_click());
    CHECK(a.by.user_id == "U0CA5");
    CHECK(a.by.user_name == "ana.l");
    CHECK(a.by.team_id == "T3MDE");
    CHECK(a.action_id == "triage.ack");
    CHECK(a.value == "12");
    CHECK(a.channel_id == "C0CA5");
    CHECK(a.message_ts == "1548261231.000200");
    CHECK(a.trigger_id == "12466734323.1395872398");
    CHECK(a.response_url == "https://hooks.slack.com/actions/T3MDE/123/abc");
}

TEST_CASE("a menu choice decodes with the chosen option's value", "[interactions]") {
    auto p = button_click();
    p["actions"] = json::parse(R"([{"type": "static_select", "action_id": "triage.route",
        "block_id": "actions",
        "selected_option": {"text": {"type": "plain_text", "text": "Billing"}, "value": "C0BILL"},
        "placeholder": {"type": "plain_text", "text": "Route to"}, "action_ts": "1.2"}])");
    auto a = decoded<slack::block_action>(p);
    CHECK(a.action_id == "triage.route");
    CHECK(a.value == "C0BILL");

    p["actions"][0]["selected_option"] = nullptr; // deselecting sends null
    CHECK(decoded<slack::block_action>(p).value.empty());
}

TEST_CASE("an action on an ephemeral message takes its place from the container", "[interactions]") {
    auto p = button_click();
    p.erase("channel");
    p.erase("message");
    p["team"] = nullptr; // org-wide installs send no team; the user still names it
    p["container"] = {{"type", "message"}, {"message_ts", "1700000000.000100"},
                      {"channel_id", "C0EPH"}, {"is_ephemeral", true}};
    auto a = decoded<slack::block_action>(p);
    CHECK(a.channel_id == "C0EPH");
    CHECK(a.message_ts == "1700000000.000100");
    CHECK(a.by.team_id == "T3MDE");
}

TEST_CASE("block actions without a user or an action id are rejected", "[interactions]") {
    auto no_user = button_click();
    no_user.erase("user");
    CHECK_FALSE(slack::decode_interaction(no_user));
    auto no_action_id = button_click();
    no_action_id["actions"][0].erase("action_id");
    CHECK_FALSE(slack::decode_interaction(no_action_id));
    auto no_actions = button_click();
    no_actions["actions"] = json::array();
    CHECK_FALSE(slack::decode_interaction(no_actions));
}

TEST_CASE("wrongly typed fields read as absent and never throw", "[interactions]") {
    auto p = button_click();
    p["user"] = "U0CA5";
    CHECK_NOTHROW(slack::decode_interaction(p));
    CHECK_FALSE(slack::decode_interaction(p));

    p = button_click();
    p["actions"] = {{"action_id", "triage.ack"}}; // an object, not an array
    CHECK_FALSE(slack::decode_interaction(p));

    p = button_click();
    p["actions"][0]["value"] = 12;
    p["channel"] = "C0CA5";
    p["message"] = json::array();
    p["container"] = nullptr;
    p["team"] = 7;
    p["trigger_id"] = false;
    slack::block_action a;
    REQUIRE_NOTHROW(a = decoded<slack::block_action>(p));
    CHECK(a.value.empty());
    CHECK(a.channel_id.empty());
    CHECK(a.message_ts.empty());
    CHECK(a.trigger_id.empty());
    CHECK(a.by.team_id == "T3MDE"); // from user.team_id

    CHECK_FALSE(slack::decode_interaction(json::array()));
    CHECK_FALSE(slack::decode_interaction(json::parse(R"({"type": 3})")));
    auto v = view_submission();
    v["view"]["state"] = {{"values", json::array()}};
    CHECK(decoded<slack::view_submitted>(v).form.values.empty());
    v["view"]["state"] = {{"values", {{"summary", "text"}, {"stage", {{"stage", 5}}}}}};
    CHECK(decoded<slack::view_submitted>(v).form.values.empty());
}

TEST_CASE("a message shortcut decodes the message it was used on", "[interactions]") {
    auto s = decoded<slack::message_shortcut>(json::parse(R"({
      "type": "message_action",
      "token": "Nj2rfC2hU8mAfgaJLemZgO7H",
      "action_ts": "1581106241.371594",
      "team": {"id": "TXXXXXXXX", "domain": "shortcuts-test"},
      "user": {"id": "UXXXXXXXXX", "name": "aman", "team_id": "TXXXXXXXX"},
      "channel": {"id": "CXXXXXXXXX", "name": "test"},
      "callback_id": "log_friction",
      "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3bd5",
      "message_ts": "1581106194.000200",
      "message": {"client_msg_id": "86e3c5f3", "type": "message",
                  "text": "refunds &lt;still&gt; fail &amp; customers churn",
                  "user": "UAUTHOR", "ts": "1581106194.000200", "thread_ts": "1581100000.000100"},
      "response_url": "https://hooks.slack.com/app/T/1/x"
    })"));
    CHECK(s.callback_id == "log_friction");
    CHECK(s.by.user_id == "UXXXXXXXXX");
    CHECK(s.by.user_name == "aman");
    CHECK(s.by.team_id == "TXXXXXXXX");
    CHECK(s.trigger_id == "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3bd5");
    CHECK(s.channel_id == "CXXXXXXXXX");
    CHECK(s.message_ts == "1581106194.000200");
    CHECK(s.thread_ts == "1581100000.000100");
    CHECK(s.message_text == "refunds <still> fail & customers churn");
    CHECK(s.message_user == "UAUTHOR");
}

TEST_CASE("a shortcut on a bot message outside a thread has no author or thread", "[interactions]") {
    auto s = decoded<slack::message_shortcut>(json::parse(R"({
      "type": "message_action", "callback_id": "log_friction", "trigger_id": "1.2.3",
      "team": null, "user": {"id": "U1", "name": "ana", "team_id": "T1"},
      "channel": {"id": "C1", "name": "general"},
      "message": {"type": "message", "subtype": "bot_message", "bot_id": "B1", "ts": "10.1",
                  "text": "deploy done"}
    })"));
    CHECK(s.thread_ts.empty());
    CHECK(s.message_user.empty());
    CHECK(s.message_ts == "10.1");
    CHECK(s.by.team_id == "T1");
}

TEST_CASE("a view submission decodes values by input id and drops empty ones", "[interactions]") {
    auto v = decoded<slack::view_submitted>(view_submission());
    CHECK(v.by.user_id == "U0CA5");
    CHECK(v.view_id == "VNHU13V36");
    CHECK(v.form.form_id == "friction.log");
    CHECK(v.form.state == R"({"channel":"C0CA5","ts":"1548261231.000200"})");
    CHECK(v.form.values == std::map<std::string, std::string>{
                               {"summary", "Refund form < broken"}, // state values are not escaped
                               {"link", "https://example.com/t/1"},
                               {"stage", "renew"}});
}

TEST_CASE("a view submission without a callback id is rejected", "[interactions]") {
    auto v = view_submission();
    v["view"].erase("callback_id");
    CHECK_FALSE(slack::decode_interaction(v));
    auto no_view = view_submission();
    no_view["view"] = nullptr;
    CHECK_FALSE(slack::decode_interaction(no_view));
}

TEST_CASE("other interaction types are passed through by type", "[interactions]") {
    auto closed = decoded<slack::other_interaction>(json::parse(
        R"({"type": "view_closed", "user": {"id": "U1"}, "view": {"id": "V1"}, "is_cleared": false})"));
    CHECK(closed.type == "view_closed");
    auto global = decoded<slack::other_interaction>(
        json::parse(R"({"type": "shortcut", "callback_id": "new_signal", "trigger_id": "1"})"));
    CHECK(global.type == "shortcut");
}

TEST_CASE("reaction events on messages decode both ways", "[interactions]") {
    auto envelope = json::parse(R"({
      "token": "XXYYZZ", "team_id": "T123ABC456", "api_app_id": "A123ABC456",
      "event": {"type": "reaction_added", "user": "U123ABC456", "reaction": "triangular_flag_on_post",
                "item_user": "U222222222",
                "item": {"type": "message", "channel": "C123ABC456", "ts": "1360782400.498405",
                         "channel_type": "channel"},
                "event_ts": "1360782804.083113"},
      "type": "event_callback", "event_id": "Ev123ABC456", "event_time": 123456789
    })");
    auto r = slack::decode_reaction(envelope);
    REQUIRE(r);
    CHECK(r->event_id == "Ev123ABC456");
    CHECK(r->team_id == "T123ABC456");
    CHECK(r->added);
    CHECK(r->user_id == "U123ABC456");
    CHECK(r->reaction == "triangular_flag_on_post");
    CHECK(r->channel_id == "C123ABC456");
    CHECK(r->message_ts == "1360782400.498405");
    CHECK(r->item_user == "U222222222");

    envelope["event"]["type"] = "reaction_removed";
    envelope["event"].erase("item_user"); // webhook messages have no author
    r = slack::decode_reaction(envelope);
    REQUIRE(r);
    CHECK_FALSE(r->added);
    CHECK(r->item_user.empty());
    CHECK_FALSE(r->by_the_app);

    // The envelope names the app's bot user: a reaction by it is cxos's own.
    envelope["authorizations"] = json::parse(R"([{"enterprise_id": null, "team_id": "T123ABC456",
        "user_id": "U0CXOSBOT", "is_bot": true, "is_enterprise_install": false}])");
    CHECK_FALSE(slack::decode_reaction(envelope)->by_the_app);
    envelope["event"]["user"] = "U0CXOSBOT";
    CHECK(slack::decode_reaction(envelope)->by_the_app);
    envelope["authorizations"][0]["is_bot"] = false; // a user installation is a person
    CHECK_FALSE(slack::decode_reaction(envelope)->by_the_app);
}

TEST_CASE("envelopes that are not reactions on messages decode to nothing", "[interactions]") {
    auto file = json::parse(R"({"type": "event_callback", "event_id": "Ev1", "team_id": "T1",
      "event": {"type": "reaction_added", "user": "U1", "reaction": "eyes",
                "item": {"type": "file", "file": "F123ABC456"}}})");
    CHECK_FALSE(slack::decode_reaction(file));
    auto message = json::parse(R"({"type": "event_callback", "event_id": "Ev2",
      "event": {"type": "message", "user": "U1", "text": "hi", "channel": "C1", "ts": "1.1"}})");
    CHECK_FALSE(slack::decode_reaction(message));
    CHECK_FALSE(slack::decode_reaction(json::parse(R"({"type": "url_verification", "challenge": "x"})")));
    CHECK_FALSE(slack::decode_reaction(json::parse(
        R"({"type": "event_callback", "event": {"type": "reaction_added", "item": "message"}})")));
    CHECK_FALSE(slack::decode_reaction(json::parse(R"({"type": "event_callback", "event": null})")));
    CHECK_FALSE(slack::decode_reaction(json::array()));
}


TEST_CASE("a datepicker submission decodes its selected date", "[interactions][council]") {
    auto p = view_submission();
    p["view"]["callback_id"] = "council.decide";
    p["view"]["private_metadata"] = "7";
    p["view"]["state"]["values"] = json::parse(R"({
      "decision": {"decision": {"type": "plain_text_input", "value": "Remove the currency step"}},
      "due": {"due": {"type": "datepicker", "selected_date": "2026-12-10"}},
      "unset": {"unset": {"type": "datepicker", "selected_date": null}}
    })");
    auto v = decoded<slack::view_submitted>(p);
    CHECK(v.form.form_id == "council.decide");
    CHECK(v.form.state == "7");
    CHECK(v.form.values == std::map<std::string, std::string>{{"decision", "Remove the currency step"},
                                                              {"due", "2026-12-10"}});
}
