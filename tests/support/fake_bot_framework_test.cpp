// Proves the fake Bot Framework speaks the protocol the e2e tests rely on: the same requests a
// Bot Framework client makes, straight over HTTP, with no cxos in between.
#include "tests/support/fake_bot_framework.hpp"
#include "tests/support/slack_client.hpp"
#include "tests/support/teams_client.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <catch2/catch.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string channel = "19:channel-escalations@thread.tacv2";

std::string path_of(const std::string& url) { return url.substr(url.find('/', std::string("http://").size())); }

std::string token_form(const bot_registration& r) {
    return form_encode({{"grant_type", "client_credentials"}, {"client_id", r.app_id},
                        {"client_secret", r.app_password}, {"scope", "https://api.botframework.com/.default"}});
}

http_answer request_token(const fake_bot_framework& bf, const std::string& form) {
    return http_call(bf.port(), "POST", path_of(bf.token_url()), form,
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::string access_token(const fake_bot_framework& bf) {
    auto answer = request_token(bf, token_form(bf.registration()));
    REQUIRE(answer.status == 200);
    return json::parse(answer.body).at("access_token");
}

// A Bot Connector call under the service URL; `conversation` is URL-encoded as clients do.
http_answer connector_call(const fake_bot_framework& bf, const std::string& method, const std::string& conversation,
                           const std::string& rest, const json& body, const std::string& token) {
    std::string target = path_of(bf.service_url()) + "v3/conversations";
    if (!conversation.empty()) target += "/" + boost::urls::encode(conversation, boost::urls::unreserved_chars);
    target += rest;
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http_call(bf.port(), method, target, body.dump(), headers);
}

json message(const std::string& text) { return {{"type", "message"}, {"text", text}}; }

json new_thread(const std::string& text) {
    return {{"isGroup", true}, {"channelData", {{"channel", {{"id", channel}}}}}, {"activity", message(text)}};
}

} // namespace

TEST_CASE("fake Bot Framework: an issued token opens the connector and nothing else does", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    CHECK(connector_call(bf, "POST", "", "", new_thread("hello"), token).status == 201);
    CHECK(connector_call(bf, "POST", "", "", new_thread("no token"), "").status == 401);
    CHECK(connector_call(bf, "POST", "", "", new_thread("forged"), "fake-bf-access-1-forged").status == 401);
    bf.expire_issued_tokens();
    CHECK(connector_call(bf, "POST", "", "", new_thread("expired"), token).status == 401);
    const auto s = bf.state();
    CHECK(s.connector_attempts == 4);
    CHECK(s.threads.size() == 1);
    CHECK(s.requests.back().status == 401);
    CHECK(s.token_requests == 1);
}

TEST_CASE("fake Bot Framework: the token endpoint checks what Azure AD checks", "[fake_bot_framework]") {
    fake_bot_framework bf;
    bf.set_token_lifetime(120);
    auto ok = request_token(bf, token_form(bf.registration()));
    REQUIRE(ok.status == 200);
    const auto answer = json::parse(ok.body);
    CHECK(answer["token_type"] == "Bearer");
    CHECK(answer["expires_in"] == 120);
    CHECK(answer["ext_expires_in"] == 120);
    CHECK(answer["access_token"] != json::parse(request_token(bf, token_form(bf.registration())).body)["access_token"]);

    auto wrong_secret = bf.registration();
    wrong_secret.app_password = "not-the-secret";
    auto refused = request_token(bf, token_form(wrong_secret));
    CHECK(refused.status == 401);
    CHECK(json::parse(refused.body)["error"] == "invalid_client");
    CHECK(http_call(bf.port(), "POST", "/another-tenant/oauth2/v2.0/token", token_form(bf.registration()),
                    {{"Content-Type", "application/x-www-form-urlencoded"}}).status == 400);
    CHECK(request_token(bf, form_encode({{"grant_type", "client_credentials"}, {"client_id", bf.registration().app_id},
                                         {"client_secret", bf.registration().app_password},
                                         {"scope", "https://graph.microsoft.com/.default"}})).status == 400);
    bf.fail_token_requests(1, 503);
    CHECK(request_token(bf, token_form(bf.registration())).status == 503);
    CHECK(request_token(bf, token_form(bf.registration())).status == 200);
    CHECK(bf.state().token_requests == 7);
    CHECK(bf.issued_tokens().size() == 3);
}

TEST_CASE("fake Bot Framework: a channel thread gets its root, replies and updates", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    auto created = connector_call(bf, "POST", "", "", new_thread("root card"), token);
    REQUIRE(created.status == 201);
    const auto ids = json::parse(created.body);
    const std::string root = ids["activityId"];
    CHECK(ids["id"] == channel + ";messageid=" + root);

    auto reply = connector_call(bf, "POST", ids["id"], "/activities", message("first reply"), token);
    REQUIRE(reply.status == 201);
    const std::string reply_id = json::parse(reply.body)["id"];
    CHECK(connector_call(bf, "POST", channel, "/activities/" + root, message("second reply"), token).status == 201);
    // A reply in a thread rooted in a user's post, which the fake never saw.
    CHECK(connector_call(bf, "POST", thread_conversation_id(channel, "1700000000000"), "/activities",
                         message("answer to a mention"), token).status == 201);

    auto updated = connector_call(bf, "PUT", ids["id"], "/activities/" + reply_id, message("first reply, edited"), token);
    CHECK(updated.status == 200);
    CHECK(json::parse(updated.body)["id"] == reply_id);
    CHECK(connector_call(bf, "PUT", ids["id"], "/activities/999", message("nothing there"), token).status == 404);

    const auto s = bf.state();
    REQUIRE(s.threads.size() == 2);
    const auto* thread = s.thread(root);
    REQUIRE(thread);
    REQUIRE(thread->root);
    CHECK(thread->root->body["text"] == "root card");
    REQUIRE(thread->replies.size() == 2);
    CHECK(thread->replies[0].body["text"] == "first reply, edited");
    CHECK(thread->replies[1].body["text"] == "second reply");
    CHECK(thread->replies[1].reply_to_id == root);
    CHECK_FALSE(s.thread("1700000000000")->root);
    CHECK(s.updates.size() == 1);
    CHECK(s.activities().size() == 4);
    CHECK(s.requests[1].path == std::vector<std::string>{"v3", "conversations", ids["id"], "activities"});
}

TEST_CASE("fake Bot Framework: a 1:1 chat is created once per user", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    const json create = {{"isGroup", false}, {"bot", {{"id", bf.bot_id()}}}, {"members", {{{"id", "29:1ada"}}}},
                         {"tenantId", "tenant-1"}, {"channelData", {{"tenant", {{"id", "tenant-1"}}}}}};
    auto first = connector_call(bf, "POST", "", "", create, token);
    REQUIRE(first.status == 201);
    const std::string chat = json::parse(first.body)["id"];
    CHECK(chat.rfind("a:", 0) == 0);
    CHECK(json::parse(connector_call(bf, "POST", "", "", create, token).body)["id"] == chat);
    auto no_tenant = create;
    no_tenant.erase("tenantId");
    no_tenant.erase("channelData");
    CHECK(connector_call(bf, "POST", "", "", no_tenant, token).status == 400);
    CHECK(connector_call(bf, "POST", chat, "/activities", message("just for you"), token).status == 201);
    const auto s = bf.state();
    CHECK(s.chats.size() == 1);
    REQUIRE(s.chat_messages.size() == 1);
    CHECK(s.chat_messages[0].conversation_id == chat);
}

TEST_CASE("fake Bot Framework: scripted answers come in order and per conversation", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    const auto thread = thread_conversation_id(channel, "1700000000001");
    bf.script(connector_answer::throttled("7"));
    bf.script(connector_answer::gateway_timeout());
    bf.script_for(channel, connector_answer::bot_not_in_roster());
    bf.script_for("a:elsewhere", connector_answer::conversation_not_found());

    auto roster = connector_call(bf, "POST", thread, "/activities", message("m"), token);
    CHECK(roster.status == 403);
    CHECK(json::parse(roster.body)["error"]["code"] == "BotNotInConversationRoster");
    auto throttled = connector_call(bf, "POST", thread, "/activities", message("m"), token);
    CHECK(throttled.status == 429);
    CHECK(throttled.headers["retry-after"] == "7");
    CHECK(bf.state().requests.back().status == 429);
    CHECK(connector_call(bf, "POST", thread, "/activities", message("m"), token).status == 504);
    CHECK(connector_call(bf, "POST", "a:elsewhere", "/activities", message("m"), token).status == 404);
    bf.script(connector_answer::dropped());
    CHECK_THROWS(connector_call(bf, "POST", thread, "/activities", message("lost"), token));
    bf.script(connector_answer::posted_then_dropped());
    CHECK_THROWS(connector_call(bf, "POST", thread, "/activities", message("landed"), token));
    CHECK(connector_call(bf, "POST", thread, "/activities", message("normal"), token).status == 201);

    const auto s = bf.state();
    CHECK(s.connector_attempts == 7);
    REQUIRE(s.thread("1700000000001"));
    REQUIRE(s.thread("1700000000001")->replies.size() == 2);
    CHECK(s.thread("1700000000001")->replies[0].body["text"] == "landed");
}

TEST_CASE("fake Bot Framework: activities over 100 KB are refused as Teams does", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    auto big = connector_call(bf, "POST", channel, "/activities", message(std::string(max_activity_bytes, 'x')), token);
    CHECK(big.status == 413);
    CHECK(json::parse(big.body)["error"]["code"] == "MessageSizeTooBig");
    CHECK(connector_call(bf, "POST", channel, "/activities", message(std::string(2 << 20, 'x')), token).status == 413);
    CHECK(bf.state().threads.empty());
}

TEST_CASE("fake Bot Framework: an odd body fails its request, not the fake", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto token = access_token(bf);
    auto odd = connector_call(bf, "POST", "", "", {{"isGroup", "yes"}, {"members", 3}}, token);
    CHECK(odd.status >= 400);
    CHECK(connector_call(bf, "POST", "", "", new_thread("still serving"), token).status == 201);
}
