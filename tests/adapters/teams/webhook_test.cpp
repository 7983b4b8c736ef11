// Teams outgoing-webhook mode: the HMAC contract, activity decoding and the reply activity.
#include "adapters/teams/webhook.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::teams;
using nlohmann::json;

namespace {

// "c2VjcmV0LXRva2VuLWZyb20tdGVhbXM=" is base64 of "secret-token-from-teams".
const std::string token = "c2VjcmV0LXRva2VuLWZyb20tdGVhbXM=";

json channel_message(const std::string& text) {
    return json::parse(R"({
      "type": "message", "id": "1700000000123",
      "text": ")" + text + R"(",
      "from": {"id": "29:1abc", "name": "Ada Agent", "aadObjectId": "aad-ada"},
      "conversation": {"id": "19:general@thread.tacv2;messageid=1700000000123", "conversationType": "channel",
                       "tenantId": "tenant-1"},
      "recipient": {"id": "28:cxos-bot", "name": "cxos"},
      "channelData": {"teamsChannelId": "19:general@thread.tacv2", "teamsTeamId": "19:team@thread.tacv2",
                      "channel": {"id": "19:general@thread.tacv2"}, "team": {"id": "19:team@thread.tacv2"},
                      "tenant": {"id": "tenant-1"}},
      "entities": [{"type": "mention", "text": "<at>cxos</at>", "mentioned": {"id": "28:cxos-bot", "name": "cxos"}}],
      "serviceUrl": "https://smba.trafficmanager.net/emea/"
    })");
}

} // namespace

TEST_CASE("the webhook HMAC is keyed with the decoded token over the raw body", "[teams][webhook]") {
    outgoing_webhook_verifier verifier(token);
    const std::string body = R"({"type":"message","text":"hi"})";
    // Reference value: printf '%s' "$body" | openssl dgst -sha256 -hmac "secret-token-from-teams" -binary | base64
    CHECK(verifier.sign(body) == "HMAC qbin2kLCMbXtI0oYBetVlqsCryd5iq0TNbMcFEyTCuI=");
    CHECK(verifier.verify(verifier.sign(body), body));
    CHECK_FALSE(verifier.verify(verifier.sign(body), body + " "));
    CHECK_FALSE(verifier.verify("", body));
    CHECK_FALSE(verifier.verify("Bearer x", body));
    outgoing_webhook_verifier other("b3RoZXItdG9rZW4=");
    CHECK_FALSE(verifier.verify(other.sign(body), body));
}

TEST_CASE("a token that is not base64 is a start-up error", "[teams][webhook]") {
    CHECK_THROWS_AS(outgoing_webhook_verifier("not base64!"), std::invalid_argument);
    CHECK_THROWS_AS(outgoing_webhook_verifier(""), std::invalid_argument);
    auto decoded = base64_decode("YWJjZA==");
    REQUIRE(decoded);
    CHECK(std::string(decoded->begin(), decoded->end()) == "abcd");
    CHECK_FALSE(base64_decode("YWJj*A=="));
}

TEST_CASE("the bot mention is removed by the recipient id and HTML becomes text", "[teams][webhook]") {
    auto m = decode_message_activity(channel_message("<at>cxos</at> log the invoice &amp; refund page is <b>slow</b>&nbsp;"));
    REQUIRE(m);
    CHECK(m->text == "log the invoice & refund page is slow");
    CHECK(m->from_id == "aad-ada");
    CHECK(m->from_name == "Ada Agent");
    CHECK(m->channel_id == "19:general@thread.tacv2");
    CHECK(m->tenant_id == "tenant-1");
    CHECK(m->id == "1700000000123");
    // Another person mentioned with the same display name stays in the text.
    auto entities = json::parse(R"([{"type":"mention","text":"<at>cxos</at>","mentioned":{"id":"29:someone-else"}}])");
    CHECK(strip_bot_mention("ask <at>cxos</at> later", entities, "28:cxos-bot") == "ask cxos later");
    // Without a recipient only a leading mention is the invocation.
    CHECK(strip_bot_mention("<at>cxos</at> help", entities, "") == "help");
}

TEST_CASE("a '<' someone typed stays in the report, only HTML tags go", "[teams][webhook]") {
    // Teams does not always escape what was typed: a lone '<' used to drop the rest of the report.
    auto m = decode_message_activity(channel_message("<at>cxos</at> log checkout fails when qty <5 for EU"));
    REQUIRE(m);
    CHECK(m->text == "log checkout fails when qty <5 for EU");
    const json none = json::array();
    CHECK(strip_bot_mention("set <tenant-id> and a<b>bold</b> x>y, then <data>", none, "") ==
          "set <tenant-id> and abold x>y, then <data>");
    CHECK(strip_bot_mention("<p>one<br>two<BR/>three</p><div>four</div>", none, "") == "one\ntwo\nthree\nfour");
    CHECK(strip_bot_mention("<a href=\"https://x.example\">link</a> and <span style='x'>s</span> <", none, "") ==
          "link and s <");
    CHECK(strip_bot_mention("<a href=\"https://x.example/?a>b\">link</a> <codeblock class=\"\">x</codeblock> <ss type=\"smile\">:)</ss>",
                            none, "") == "link x :)");
}

TEST_CASE("activities that are not messages from someone are refused", "[teams][webhook]") {
    auto update = channel_message("hi");
    update["type"] = "conversationUpdate";
    CHECK_FALSE(decode_message_activity(update));
    auto anonymous = channel_message("hi");
    anonymous.erase("from");
    CHECK_FALSE(decode_message_activity(anonymous));
    CHECK_FALSE(decode_message_activity(json::array()));
}

TEST_CASE("the reply activity is Teams markdown", "[teams][webhook]") {
    neutral_message m;
    m.title = "Logged signal 7";
    m.text = "Routed to *billing*.";
    m.fields = {{"Item", "3"}};
    m.context = "Reply with +1 to add a report.";
    auto reply = render_reply_activity(m);
    CHECK(reply["type"] == "message");
    CHECK(reply["textFormat"] == "markdown");
    CHECK(reply["text"] == "**Logged signal 7**\n\nRouted to **billing**.\n\n**Item:** 3\n\n_Reply with +1 to add a report._");
    // A typed markdown link in the title (a confirm question quotes the text) stays unformed.
    m.title = "Log “[Sign in](https://evil.example)” as friction?";
    m.context = "[x](https://evil.example)";
    const auto text = render_reply_activity(m)["text"].get<std::string>();
    CHECK(text.find("](") == std::string::npos);
    CHECK(text.find("[Sign in]\u200B(https://evil.example)") != std::string::npos);
}
