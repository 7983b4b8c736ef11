#include "adapters/teams/activity.hpp"
#include "adapters/teams/connector.hpp"
#include "adapters/teams/ids.hpp"
#include "adapters/teams/webhook.hpp"
#include "commands/utf8.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::teams;
using nlohmann::json;

namespace {

json channel_message(const std::string& text) {
    return {{"type", "message"},
            {"id", "1700000000123"},
            {"channelId", "msteams"},
            {"serviceUrl", "https://smba.trafficmanager.net/emea/"},
            {"from", {{"id", "29:1abc"}, {"name", "Ana Agent"}, {"aadObjectId", "aad-ana"}}},
            {"recipient", {{"id", "28:app-id"}, {"name", "cxos"}}},
            {"conversation", {{"id", "19:support@thread.tacv2;messageid=1699999999000"}, {"conversationType", "channel"},
                              {"isGroup", true}, {"tenantId", "tenant-1"}}},
            {"channelData", {{"team", {{"id", "19:team@thread.tacv2"}, {"name", "Support"}}},
                             {"channel", {{"id", "19:support@thread.tacv2"}}},
                             {"tenant", {{"id", "tenant-1"}}}}},
            {"text", text},
            {"entities", json::array({{{"type", "mention"}, {"text", "<at>cxos</at>"},
                                       {"mentioned", {{"id", "28:app-id"}, {"name", "cxos"}}}}})}};
}

} // namespace

TEST_CASE("a channel message decodes with the bot mention removed and the thread root known", "[teams_activity]") {
    auto a = decode_activity(channel_message("<at>cxos</at> log the invoice page &amp; PDF fail"));
    REQUIRE(a);
    CHECK(a->kind == activity_kind::message);
    CHECK(a->text == "log the invoice page & PDF fail");
    CHECK(a->from_id == "aad-ana");
    CHECK(a->conversation.place() == "19:support@thread.tacv2");
    CHECK(a->conversation.thread_root() == "1699999999000");
    CHECK(a->conversation.tenant_id == "tenant-1");
    CHECK(a->conversation.service_url == "https://smba.trafficmanager.net/emea/");
    auto from = source_of(*a);
    CHECK(from.platform == "teams");
    CHECK(from.channel_id == "19:support@thread.tacv2");
    // Replies go to the thread; a typed report captures no message, so it never groups by the thread.
    CHECK(from.thread_ts == "1699999999000");
    CHECK(from.message_ts.empty());

    // In a group chat (no channel, no threads) answers go into the chat itself: its conversation,
    // with no thread root.
    auto chat = channel_message("<at>cxos</at> log the invoice page fails");
    chat["conversation"] = {{"isGroup", true}, {"conversationType", "groupChat"}, {"tenantId", "tenant-1"},
                            {"id", "19:meeting-chat@thread.v2"}};
    chat["channelData"].erase("channel");
    chat["channelData"].erase("team");
    auto in_chat = decode_activity(chat);
    REQUIRE(in_chat);
    const auto chat_from = source_of(*in_chat);
    CHECK(chat_from.channel_id == "19:meeting-chat@thread.v2");
    CHECK(split_activity_ref(chat_from.thread_ts) == std::pair<std::string, std::string>{"19:meeting-chat@thread.v2", ""});
}

TEST_CASE("a mention of someone else is kept: only the recipient's mention is the bot", "[teams_activity]") {
    auto m = channel_message("<at>Bo</at> says log this");
    m["entities"] = json::array({{{"type", "mention"}, {"text", "<at>Bo</at>"}, {"mentioned", {{"id", "29:bo"}, {"name", "Bo"}}}}});
    auto a = decode_activity(m);
    REQUIRE(a);
    CHECK(a->text == "Bo says log this");
}

TEST_CASE("conversationUpdate adding the bot is bot_added, adding someone else is not", "[teams_activity]") {
    json update = {{"type", "conversationUpdate"}, {"id", "f:1"}, {"channelId", "msteams"},
                   {"serviceUrl", "https://smba.trafficmanager.net/amer/"},
                   {"recipient", {{"id", "28:app-id"}}},
                   {"conversation", {{"id", "19:general@thread.tacv2"}, {"conversationType", "channel"}}},
                   {"channelData", {{"eventType", "teamMemberAdded"}, {"team", {{"id", "19:general@thread.tacv2"}, {"name", "Billing"}}},
                                    {"tenant", {{"id", "tenant-1"}}}}},
                   {"membersAdded", json::array({{{"id", "28:app-id"}}})}};
    auto a = decode_activity(update);
    REQUIRE(a);
    CHECK(a->kind == activity_kind::bot_added);
    CHECK(a->conversation.team_name == "Billing");
    CHECK(a->conversation.place() == "19:general@thread.tacv2");
    update["membersAdded"] = json::array({{{"id", "29:someone"}}});
    CHECK(decode_activity(update)->kind == activity_kind::other);
}

TEST_CASE("invokes decode by name: message action, card action, task module", "[teams_activity]") {
    auto base = channel_message("");
    base["type"] = "invoke";
    base.erase("text");
    base["name"] = "composeExtension/fetchTask";
    base["value"] = {{"commandId", "logFriction"}, {"commandContext", "message"},
                     {"messagePayload", {{"id", "1700000000999"}, {"linkToMessage", "https://teams.microsoft.com/l/message/x"},
                                         {"body", {{"contentType", "html"}, {"content", "<p>Customer can&#39;t pay</p>"}}},
                                         {"from", {{"user", {{"displayName", "Cy"}}}}}}}};
    auto fetch = decode_activity(base);
    REQUIRE(fetch);
    CHECK(fetch->kind == activity_kind::fetch_task);
    CHECK(fetch->message.text == "Customer can't pay");
    CHECK(fetch->message.link == "https://teams.microsoft.com/l/message/x");
    CHECK(fetch->command_id == "logFriction");

    base["name"] = "adaptiveCard/action";
    base["value"] = {{"action", {{"type", "Action.Execute"}, {"verb", "triage.ack"}, {"data", {{"action", "triage.ack"}, {"value", "12"}}}}},
                     {"trigger", "manual"}};
    auto click = decode_card_click(*decode_activity(base));
    REQUIRE(click);
    CHECK(click->action_id == "triage.ack");
    CHECK(click->value == "12");

    base["name"] = "task/submit";
    base["value"] = {{"data", {{"form", "triage.fixed"}, {"state", "12"}, {"note", "Fixed the PDF"}, {"count", 3}}}};
    auto form = decode_form_submission(*decode_activity(base));
    REQUIRE(form);
    CHECK(form->form_id == "triage.fixed");
    CHECK(form->state == "12");
    CHECK(form->values.at("note") == "Fixed the PDF");
    CHECK(form->values.at("count") == "3");
}

TEST_CASE("a menu choice arrives under the action's id and wins over the button value", "[teams_activity]") {
    auto m = channel_message("");
    m["value"] = {{"action", "triage.reroute"}, {"value", "12"}, {"triage.reroute", "12:docs"}};
    auto click = decode_card_click(*decode_activity(m));
    REQUIRE(click);
    CHECK(click->value == "12:docs");
}

TEST_CASE("activities without a conversation or a sender are refused", "[teams_activity]") {
    auto m = channel_message("hi");
    m.erase("conversation");
    CHECK_FALSE(decode_activity(m));
    auto n = channel_message("hi");
    n.erase("from");
    CHECK_FALSE(decode_activity(n));
    CHECK_FALSE(decode_activity(json::array()));
}

// What a verified Teams activity may carry: UTF-8 (the JSON parser both endpoints use refuses
// anything else), ids of a sane shape and length, display names clipped. Anything else decodes to
// nothing, which both Teams endpoints answer with 400 before storing any of it.
TEST_CASE("bytes that are not UTF-8 never reach the Teams decoders: the endpoints' parser refuses them",
          "[teams_activity]") {
    auto raw = channel_message("log the refund failed").dump();
    raw.replace(raw.find("Ana Agent"), 3, "An\xFF");
    CHECK(json::parse(raw, nullptr, false).is_discarded());
    CHECK(json::parse(R"({"type":"message","text":"\udc00"})", nullptr, false).is_discarded());
}

TEST_CASE("a Teams activity with an absurd or malformed id is refused", "[teams_activity]") {
    REQUIRE(decode_activity(channel_message("log the refund failed")));
    // Personal chat ids are long; they still pass.
    auto personal = channel_message("log the refund failed");
    personal["conversation"] = {{"id", "a:1" + std::string(160, 'x')}, {"conversationType", "personal"}};
    CHECK(decode_activity(personal));

    auto a = channel_message("log the refund failed");
    a["conversation"]["id"] = "19:" + std::string(3000, 'c') + "@thread.tacv2";
    CHECK_FALSE(decode_activity(a));
    a = channel_message("log the refund failed");
    a["from"]["aadObjectId"] = "ana agent"; // a space: no Teams id has one
    CHECK_FALSE(decode_activity(a));
    a = channel_message("log the refund failed");
    a["channelData"]["tenant"]["id"] = "tenant\n2";
    CHECK_FALSE(decode_activity(a));
    a = channel_message("log the refund failed");
    a["serviceUrl"] = "https://smba.trafficmanager.net/" + std::string(max_url_bytes, 'u');
    CHECK_FALSE(decode_activity(a));
    a = channel_message("log the refund failed");
    a["channelData"]["channel"]["id"] = "19:caf\xC3\xA9@thread.tacv2";
    CHECK_FALSE(decode_activity(a));
}

TEST_CASE("Teams display names are clipped at a character boundary, not refused", "[teams_activity]") {
    auto a = channel_message("log the refund failed");
    std::string long_name;
    for (int i = 0; i < 300; ++i) long_name += "\xC3\xA9"; // é
    a["from"]["name"] = long_name;
    a["channelData"]["team"]["name"] = long_name;
    auto decoded = decode_activity(a);
    REQUIRE(decoded);
    CHECK(decoded->from_name.size() <= max_name_bytes);
    CHECK(is_valid_utf8(decoded->from_name));
    CHECK(decoded->conversation.team_name.size() <= max_name_bytes);
    CHECK(is_valid_utf8(decoded->conversation.team_name));
}

TEST_CASE("the outgoing webhook refuses the same ids and clips the same names", "[teams_activity]") {
    auto m = channel_message("log the refund failed");
    REQUIRE(decode_message_activity(m));
    m["conversation"]["id"] = std::string(600, '1');
    CHECK_FALSE(decode_message_activity(m));
    m = channel_message("log the refund failed");
    m["from"]["name"] = std::string(1000, 'n');
    auto decoded = decode_message_activity(m);
    REQUIRE(decoded);
    CHECK(decoded->from_name.size() == max_name_bytes);
}
