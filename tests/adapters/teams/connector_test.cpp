#include "adapters/teams/connector.hpp"

#include <catch2/catch.hpp>

using namespace cxos::teams;

TEST_CASE("the token request asks for the Bot Framework scope with client credentials", "[teams_connector]") {
    CHECK(token_request_body("app-1", "p&ss=word") ==
          "grant_type=client_credentials&client_id=app-1&client_secret=p%26ss%3Dword"
          "&scope=https%3A%2F%2Fapi.botframework.com%2F.default");
}

TEST_CASE("a token answer yields the token and its expiry, a refusal names the error, not the secret", "[teams_connector]") {
    std::string error;
    auto t = parse_token_response(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0"})", 1000, error);
    REQUIRE(t);
    CHECK(t->access_token == "eyJ0");
    CHECK(t->expires_at == 4599);
    CHECK_FALSE(parse_token_response(401, R"({"error":"invalid_client"})", 1000, error));
    CHECK(error == "token endpoint answered HTTP 401 (invalid_client)");
    CHECK_FALSE(parse_token_response(200, R"({"access_token":"x"})", 1000, error));
    // A wild lifetime is held to a day: the token is still renewed, and the sum cannot overflow.
    auto wild = parse_token_response(200, R"({"expires_in":9223372036854775807,"access_token":"eyJ0"})", 1000, error);
    REQUIRE(wild);
    CHECK(wild->expires_at == 1000 + 86400);
}

TEST_CASE("service URLs are trusted by allowlisted prefix only", "[teams_connector]") {
    const std::vector<std::string> allow = {"https://smba.trafficmanager.net/"};
    CHECK(service_url_allowed("https://smba.trafficmanager.net/amer/", allow));
    CHECK(service_url_allowed("https://smba.trafficmanager.net", allow));
    CHECK_FALSE(service_url_allowed("https://smba.trafficmanager.net.evil.example/", allow));
    CHECK_FALSE(service_url_allowed("http://smba.trafficmanager.net/amer/", allow));
    CHECK_FALSE(service_url_allowed("", allow));
}

TEST_CASE("conversation ids are URL-encoded in paths", "[teams_connector]") {
    CHECK(activities_path("/amer", "19:abc@thread.tacv2;messageid=17") ==
          "/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D17/activities");
    CHECK(activity_path("", "a:1", "17") == "/v3/conversations/a%3A1/activities/17");
    CHECK(thread_conversation("19:abc@thread.tacv2", "17") == "19:abc@thread.tacv2;messageid=17");
    auto start = new_thread_request("19:abc@thread.tacv2", "t1", {{"type", "message"}});
    CHECK(start["isGroup"] == true);
    CHECK(start["channelData"]["channel"]["id"] == "19:abc@thread.tacv2");
    CHECK(start["activity"]["type"] == "message");
}

TEST_CASE("connector answers map to outbox outcomes with the fix spelled out", "[teams_connector]") {
    auto ok = classify_connector_response(201, "", R"({"id":"19:c;messageid=5","activityId":"5"})", "19:c");
    CHECK(ok.outcome == connector_outcome::sent);
    CHECK(ok.activity_id == "5");
    auto limited = classify_connector_response(429, "7", "", "19:c");
    CHECK(limited.outcome == connector_outcome::rate_limited);
    CHECK(limited.retry_after_seconds == 7);
    // Without Retry-After (or with a date) the wait is not said: the outbox backs off.
    CHECK(classify_connector_response(429, "", "", "19:c").retry_after_seconds == 0);
    CHECK(classify_connector_response(429, "Wed, 21 Oct 2026 07:28:00 GMT", "", "19:c").retry_after_seconds == 0);
    for (unsigned status : {412u, 502u, 504u}) CHECK(classify_connector_response(status, "", "", "19:c").outcome == connector_outcome::retry);
    auto roster = classify_connector_response(403, "", R"({"error":{"code":"BotNotInConversationRoster","message":"x"}})", "19:c");
    CHECK(roster.outcome == connector_outcome::dead);
    CHECK(roster.error.find("add cxos to that team") != std::string::npos);
    auto missing = classify_connector_response(404, "", R"({"error":{"code":"ConversationNotFound"}})", "19:c");
    CHECK(missing.outcome == connector_outcome::dead);
    CHECK(missing.error.find("19:c") != std::string::npos);
    CHECK(classify_connector_response(401, "", "", "19:c").outcome == connector_outcome::unauthorized);
    CHECK(classify_connector_response(400, "", R"({"error":{"code":"BadSyntax","message":"bad card"}})", "19:c").error ==
          "HTTP 400 BadSyntax: bad card");
}

TEST_CASE("a one-to-one chat names the bot, the person and the tenant", "[teams_connector]") {
    auto chat = direct_chat_request("28:app", "aad-ana", "t1");
    CHECK(chat["isGroup"] == false);
    CHECK(chat["bot"]["id"] == "28:app");
    CHECK(chat["members"][0]["id"] == "aad-ana");
    CHECK(chat["tenantId"] == "t1");
}
