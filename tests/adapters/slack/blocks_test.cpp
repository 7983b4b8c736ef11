#include "adapters/slack/blocks.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using nlohmann::json;

TEST_CASE("a neutral message renders as header, section, fields and context", "[blocks]") {
    neutral_message m;
    m.title = "Friction signal 7";
    m.text = "refund <script> & co";
    m.fields = {{"Reporter", "U123", field_kind::user},
                {"Source channel", "C9", field_kind::channel},
                {"Stage", "renew"}};
    m.context = "Routed by rule `invoices`.";
    auto blocks = slack::render_blocks(m);
    REQUIRE(blocks.size() == 4);
    CHECK(blocks[0] == json::parse(R"({"type":"header","text":{"type":"plain_text","text":"Friction signal 7","emoji":true}})"));
    CHECK(blocks[1]["text"]["type"] == "mrkdwn");
    CHECK(blocks[1]["text"]["text"] == "refund &lt;script&gt; &amp; co");
    CHECK(blocks[2]["fields"][0]["text"] == "*Reporter*\n<@U123>");
    CHECK(blocks[2]["fields"][1]["text"] == "*Source channel*\n<#C9>");
    CHECK(blocks[3]["type"] == "context");
}

TEST_CASE("Block Kit limits are respected", "[blocks]") {
    neutral_message m;
    m.title = std::string(400, 'T');
    m.text = "short";
    for (int i = 0; i < 12; ++i) m.fields.push_back({"f" + std::to_string(i), "v"});
    auto blocks = slack::render_blocks(m);
    CHECK(blocks[0]["text"]["text"].get<std::string>().size() <= 150);
    REQUIRE(blocks.size() == 4); // 12 fields need two sections of at most 10
    CHECK(blocks[2]["fields"].size() == 10);
    CHECK(blocks[3]["fields"].size() == 2);
}

TEST_CASE("long text is split over sections and never loses a character", "[blocks]") {
    neutral_message m;
    // Escaping & and < grows the text past one section; the € must not be split either.
    m.text = std::string(1000, '&') + " " + std::string(1500, 'x') + "€<>end";
    auto blocks = slack::render_blocks(m);
    std::string joined;
    for (auto& b : blocks) {
        auto t = b["text"]["text"].get<std::string>();
        CHECK(t.size() <= 3000);
        joined += t;
    }
    CHECK(blocks.size() == 3);
    CHECK(joined == slack::escape_mrkdwn(m.text));
}

TEST_CASE("a header is clipped at a UTF-8 boundary", "[blocks]") {
    neutral_message m;
    m.title = std::string(146, 'x') + "€€€"; // the cut lands inside the first €
    auto text = slack::render_blocks(m)[0]["text"]["text"].get<std::string>();
    CHECK(text == std::string(146, 'x') + "...");
}

TEST_CASE("ephemeral answers, response_url notes and posts carry fallback text", "[blocks]") {
    neutral_message m;
    m.title = "Logged signal 1";
    m.text = "→ #billing";
    auto eph = nlohmann::json::parse(slack::ephemeral_body(m));
    CHECK(eph["response_type"] == "ephemeral");
    CHECK(eph["text"] == "Logged signal 1: → #billing");
    auto post = nlohmann::json::parse(slack::post_body(m, {slack::post_call::method::post_message, "C0BILLING", 55, {}, {}, {}}));
    CHECK(post["channel"] == "C0BILLING");
    CHECK(post["metadata"]["event_type"] == "cxos_delivery");
    CHECK(post["metadata"]["event_payload"]["delivery_id"] == 55);
    // The same note to a click's response_url: ephemeral, beside the clicked message, never in
    // its place; the URL names where it goes.
    auto reply = nlohmann::json::parse(slack::response_url_body(m));
    CHECK(reply["response_type"] == "ephemeral");
    CHECK(reply["replace_original"] == false);
    CHECK(reply["text"] == "Logged signal 1: → #billing");
    CHECK(reply["blocks"] == eph["blocks"]);
    CHECK_FALSE(reply.contains("channel"));
}

TEST_CASE("each Web API method gets the body it reads: an edit names its message, an ephemeral note its reader",
          "[blocks]") {
    neutral_message m;
    m.title = "Item 7";
    using method = slack::post_call::method;
    auto update = nlohmann::json::parse(slack::post_body(m, {method::update, "C0B", 7, "1700.1", "U0X", "1600.1"}));
    CHECK(update["ts"] == "1700.1");
    CHECK_FALSE(update.contains("unfurl_links"));
    CHECK_FALSE(update.contains("thread_ts"));
    CHECK(update["metadata"]["event_payload"]["delivery_id"] == 7);
    auto note = nlohmann::json::parse(slack::post_body(m, {method::post_ephemeral, "C0B", 8, "1700.1", "U0X", ""}));
    CHECK(note["user"] == "U0X");
    CHECK_FALSE(note.contains("metadata"));
    CHECK_FALSE(note.contains("ts"));
    auto reply = nlohmann::json::parse(slack::post_body(m, {method::post_message, "C0B", 9, "", "", "1600.1"}));
    CHECK(reply["thread_ts"] == "1600.1");
    CHECK(reply["unfurl_links"] == false);
    CHECK_FALSE(reply.contains("user"));
}

namespace {

message_action action(std::string id, std::string label, std::string value,
                      action_style style = action_style::normal, std::vector<choice> choices = {}) {
    message_action a;
    a.id = std::move(id);
    a.label = std::move(label);
    a.value = std::move(value);
    a.style = style;
    a.choices = std::move(choices);
    return a;
}

} // namespace

TEST_CASE("message actions render as buttons and menus in an actions block", "[blocks]") {
    neutral_message m;
    m.title = "Friction signal 12";
    m.actions = {action("triage.ack", "Acknowledge", "12", action_style::primary),
                 action("triage.drop", "Drop", "12", action_style::danger),
                 action("triage.open", "Open", "12"),
                 action("triage.route", "Route to", "", action_style::normal,
                        {{"C0BILL", "Billing"}, {"C0SUP", "Support"}})};
    auto blocks = slack::render_blocks(m);
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0]["type"] == "header");
    auto& actions = blocks[1];
    CHECK(actions["type"] == "actions");
    CHECK(actions["block_id"] == "actions");
    REQUIRE(actions["elements"].size() == 4);
    auto& ack = actions["elements"][0];
    CHECK(ack["type"] == "button");
    CHECK(ack["action_id"] == "triage.ack");
    CHECK(ack["value"] == "12");
    CHECK(ack["text"]["type"] == "plain_text");
    CHECK(ack["text"]["text"] == "Acknowledge");
    CHECK(ack["style"] == "primary");
    CHECK(actions["elements"][1]["style"] == "danger");
    CHECK_FALSE(actions["elements"][2].contains("style")); // Slack has no "normal" style
    auto& route = actions["elements"][3];
    CHECK(route["type"] == "static_select");
    CHECK(route["action_id"] == "triage.route");
    CHECK(route["placeholder"]["text"] == "Route to");
    REQUIRE(route["options"].size() == 2);
    CHECK(route["options"][0]["text"]["text"] == "Billing");
    CHECK(route["options"][0]["value"] == "C0BILL");
    CHECK(route["options"][1]["value"] == "C0SUP");
}

TEST_CASE("actions respect Block Kit limits", "[blocks]") {
    neutral_message m;
    m.text = "pick one";
    for (int i = 0; i < 27; ++i)
        m.actions.push_back(action("a" + std::to_string(i), std::string(70, 'x') + "€€€",
                                   std::string(2100, 'v')));
    auto menu = action("menu", "Choose", "");
    for (int i = 0; i < 130; ++i) menu.choices.push_back({"c" + std::to_string(i), std::string(90, 'o')});
    m.actions.push_back(menu);
    auto blocks = slack::render_blocks(m);
    REQUIRE(blocks.size() == 3); // section, then 28 elements over blocks of at most 25
    CHECK(blocks[1]["elements"].size() == 25);
    CHECK(blocks[2]["elements"].size() == 3);
    CHECK(blocks[1]["block_id"] != blocks[2]["block_id"]); // block ids are unique per message
    auto& button = blocks[1]["elements"][0];
    CHECK(button["text"]["text"] == std::string(70, 'x') + "..."); // never splits the €
    CHECK(button["value"].get<std::string>().size() <= 2000);
    CHECK(blocks[2]["elements"][1]["action_id"] == "a26");
    auto& select = blocks[2]["elements"][2];
    CHECK(select["options"].size() == 100);
    CHECK(select["options"][0]["text"]["text"].get<std::string>().size() <= 75);
    CHECK(select["options"][99]["value"] == "c99");
}

TEST_CASE("a menu leaves out a choice whose value Slack cannot carry whole", "[blocks]") {
    // "42:<owner>" with an owner name past Slack's 150-character option value: a cut value
    // would name another owner, or none.
    neutral_message m;
    auto menu = action("triage.reroute", "Reroute to…", "42");
    menu.choices = {{"42:docs", "#docs"}, {"42:" + std::string(148, 'n'), "#long"}, {"42:" + std::string(147, 'n'), "#fits"}};
    m.actions.push_back(menu);
    auto options = slack::render_blocks(m)[0]["elements"][0]["options"];
    REQUIRE(options.size() == 2);
    CHECK(options[0]["value"] == "42:docs");
    CHECK(options[1]["value"].get<std::string>().size() == 150);
}

TEST_CASE("a text too long for one message's 50 blocks is cut and says so", "[blocks]") {
    neutral_message m;
    m.title = "Spike";
    m.text = std::string(200'000, 'x');
    m.fields = {{"Owner", "#billing"}};
    m.context = "Item 42";
    m.actions.push_back(action("triage.ack", "Acknowledge", "42"));
    auto blocks = slack::render_blocks(m);
    CHECK(blocks.size() == 50);
    CHECK(blocks[0]["type"] == "header");
    auto last_text = blocks[46]["text"]["text"].get<std::string>();
    CHECK(last_text.size() <= 3000);
    CHECK(last_text.ends_with("..."));
    // The parts that say what the item is and what can be done with it all stay.
    CHECK(blocks[47]["fields"][0]["text"] == "*Owner*\n#billing");
    CHECK(blocks[48]["type"] == "context");
    CHECK(blocks[49]["type"] == "actions");
}

TEST_CASE("a message without actions has no actions block", "[blocks]") {
    neutral_message m;
    m.text = "nothing to do";
    for (auto& b : slack::render_blocks(m)) CHECK(b["type"] != "actions");
}

TEST_CASE("a users field mentions each user or says nobody", "[blocks][council]") {
    neutral_message m;
    m.fields = {{"👍 Prioritise (2)", "U1 U2", field_kind::users},
                {"👎 Not now (0)", "", field_kind::users},
                {"For", " U3  U<4 ", field_kind::users}};
    auto blocks = slack::render_blocks(m);
    REQUIRE(blocks.size() == 1);
    auto& fields = blocks[0]["fields"];
    REQUIRE(fields.size() == 3);
    CHECK(fields[0]["text"] == "*👍 Prioritise (2)*\n<@U1>, <@U2>");
    CHECK(fields[1]["text"] == "*👎 Not now (0)*\nnobody");
    CHECK(fields[2]["text"] == "*For*\n<@U3>, someone in Teams"); // stray spaces and markup never leak
}

TEST_CASE("Teams people and channels are named, never shown as broken Slack mentions", "[blocks]") {
    neutral_message m;
    m.fields = {{"By", "6c3a2f4e-1d5b-4a7e-9c8f-0b1d2e3f4a5b", field_kind::user},
                {"Where", "19:abc@thread.tacv2", field_kind::channel},
                {"Who", "U1 6c3a2f4e-1d5b", field_kind::users}};
    auto fields = slack::render_blocks(m)[0]["fields"];
    CHECK(fields[0]["text"] == "*By*\nsomeone in Teams");
    CHECK(fields[1]["text"] == "*Where*\na Teams channel");
    CHECK(fields[2]["text"] == "*Who*\n<@U1>, someone in Teams");
}

TEST_CASE("a channel cxos names in text is a link in Slack, a Teams channel shows its label", "[blocks]") {
    neutral_message m;
    m.text = "Only members of " + cxos::channel_mention("C0COUNCIL", "the council channel") + " & " +
             cxos::channel_mention("19:abc@thread.tacv2", "the Teams channel") + " <b> vote.";
    const auto text = cxos::slack::render_blocks(m).dump();
    CHECK_THAT(text, Catch::Contains("Only members of <#C0COUNCIL> &amp; the Teams channel &lt;b&gt; vote."));
    CHECK(cxos::plain_text(m.text) == "Only members of the council channel & the Teams channel <b> vote.");
}
