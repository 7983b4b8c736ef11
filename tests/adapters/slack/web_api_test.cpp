#include "adapters/slack/web_api.hpp"

#include <catch2/catch.hpp>

using namespace cxos::slack;

TEST_CASE("ok:true is sent with its ts", "[web_api]") {
    auto r = classify_post_response(200, "", R"({"ok":true,"channel":"C1","ts":"1700000000.000100"})");
    CHECK(r.outcome == post_outcome::sent);
    CHECK(r.ts == "1700000000.000100");
}

TEST_CASE("429 honours Retry-After", "[web_api]") {
    auto r = classify_post_response(429, "30", "");
    CHECK(r.outcome == post_outcome::rate_limited);
    CHECK(r.retry_after_seconds == 30);
    CHECK(classify_post_response(429, "", "").retry_after_seconds == 1);
    CHECK(classify_post_response(429, "Wed, 21 Oct 2026 07:28:00 GMT", "").retry_after_seconds == 1);
}

TEST_CASE("5xx and transient errors retry, unfixable errors are dead", "[web_api]") {
    CHECK(classify_post_response(503, "", "").outcome == post_outcome::retry);
    CHECK(classify_post_response(200, "", "<html>").outcome == post_outcome::retry);
    CHECK(classify_post_response(200, "", R"({"ok":false,"error":"internal_error"})").outcome == post_outcome::retry);
    for (auto e : {"channel_not_found", "not_in_channel"}) {
        auto r = classify_post_response(200, "", std::string(R"({"ok":false,"error":")") + e + "\"}");
        CHECK(r.outcome == post_outcome::dead);
        CHECK(r.error == e);
    }
    CHECK(classify_post_response(404, "", "").outcome == post_outcome::dead);
}

TEST_CASE("a refused token holds the workspace's posts instead of killing each message", "[web_api]") {
    for (auto e : {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}) {
        INFO(e);
        auto r = classify_post_response(200, "", std::string(R"({"ok":false,"error":")") + e + "\"}");
        CHECK(r.outcome == post_outcome::unauthorized);
        CHECK(r.error == e);
        CHECK_FALSE(r.maybe_posted);
        // Reading history with that token fails for now, not for good: a new token will read it.
        auto lookup = find_delivery_in_history(200, std::string(R"({"ok":false,"error":")") + e + "\"}", 9);
        CHECK(lookup.outcome == lookup_outcome::failed);
        CHECK_FALSE(lookup.permanent);
    }
    CHECK_FALSE(is_credential_error("channel_not_found"));
}

TEST_CASE("failures after which Slack may have posted are marked in doubt", "[web_api]") {
    CHECK(classify_post_response(502, "", "").maybe_posted);
    CHECK(classify_post_response(200, "", "<html>").maybe_posted);
    CHECK(classify_post_response(200, "", R"({"ok":false,"error":"fatal_error"})").maybe_posted);
    CHECK_FALSE(classify_post_response(429, "1", "").maybe_posted);
    CHECK_FALSE(classify_post_response(200, "", R"({"ok":false,"error":"service_unavailable"})").maybe_posted);
    // Fields of the wrong type read as absent instead of throwing.
    auto odd = classify_post_response(200, "", R"({"ok":"yes","error":7})");
    CHECK(odd.outcome == post_outcome::dead);
    CHECK(odd.error == "unknown_error");
}

TEST_CASE("history lookups find cxos's own post by delivery id", "[web_api]") {
    auto body = R"({"ok":true,"messages":[
        {"ts":"1.1","text":"hi"},
        {"ts":"1.2","metadata":{"event_type":"cxos_delivery","event_payload":{"delivery_id":8}}},
        {"ts":"1.3","metadata":{"event_type":"cxos_delivery","event_payload":{"delivery_id":9}}}]})";
    auto found = find_delivery_in_history(200, body, 9);
    CHECK(found.outcome == lookup_outcome::found);
    CHECK(found.ts == "1.3");
    CHECK(find_delivery_in_history(200, body, 10).outcome == lookup_outcome::not_found);
    // A match without a ts could never be edited: it is not taken for the post.
    CHECK(find_delivery_in_history(200, R"({"ok":true,"messages":[
        {"metadata":{"event_type":"cxos_delivery","event_payload":{"delivery_id":9}}}]})", 9).outcome ==
          lookup_outcome::not_found);
    auto denied = find_delivery_in_history(200, R"({"ok":false,"error":"missing_scope"})", 9);
    CHECK(denied.outcome == lookup_outcome::failed);
    CHECK(denied.error == "missing_scope");
    CHECK(denied.permanent);
    CHECK_FALSE(find_delivery_in_history(503, "", 9).permanent);
    // A DM that cannot be opened (the person left) will not open next time either.
    CHECK(is_permanent_lookup_error("user_disabled"));
    CHECK_FALSE(is_permanent_lookup_error("ratelimited"));
    CHECK(history_query("C0B", {1700, 1790}) ==
          "channel=C0B&oldest=1700&latest=1790&inclusive=true&include_all_metadata=true&limit=200");
    CHECK(history_query("C0B", {1700, 1790}, "bmV4dA==") ==
          "channel=C0B&oldest=1700&latest=1790&inclusive=true&include_all_metadata=true&limit=200&cursor=bmV4dA%3D%3D");
    CHECK(replies_query("C0B", "1.5", {1700, 1790}) ==
          "channel=C0B&ts=1.5&oldest=1700&latest=1790&inclusive=true&include_all_metadata=true&limit=200");
}

TEST_CASE("a page without the post hands back the cursor to the next", "[web_api]") {
    auto page = find_delivery_in_history(
        200, R"({"ok":true,"messages":[],"has_more":true,"response_metadata":{"next_cursor":"abc"}})", 1);
    CHECK(page.outcome == lookup_outcome::not_found);
    CHECK(page.next_cursor == "abc");
}

TEST_CASE("a response_url's answer: ok in either form is sent, a spent URL is dead, 429 and 5xx wait",
          "[web_api]") {
    CHECK(classify_response_url_answer(200, "", "ok").outcome == post_outcome::sent);
    CHECK(classify_response_url_answer(200, "", R"({"ok":true})").outcome == post_outcome::sent);
    CHECK(classify_response_url_answer(200, "", "ok\n").outcome == post_outcome::sent);
    // A 200 that is not Slack's (a proxy's page) proves nothing: try again, or another way.
    auto foreign = classify_response_url_answer(200, "", "<html>Sign in to the proxy</html>");
    CHECK(foreign.outcome == post_outcome::retry);
    CHECK(foreign.maybe_posted);
    auto expired = classify_response_url_answer(404, "", R"({"ok":false,"error":"expired_url"})");
    CHECK(expired.outcome == post_outcome::dead);
    CHECK(expired.error == "expired_url");
    auto used = classify_response_url_answer(404, "", "used_url");
    CHECK(used.outcome == post_outcome::dead);
    CHECK(used.error == "used_url");
    CHECK(classify_response_url_answer(404, "", "<html>not found</html>").error == "HTTP 404");
    CHECK(classify_response_url_answer(200, "", R"({"ok":false,"error":"invalid_blocks"})").outcome ==
          post_outcome::dead);
    auto limited = classify_response_url_answer(429, "7", "");
    CHECK(limited.outcome == post_outcome::rate_limited);
    CHECK(limited.retry_after_seconds == 7);
    CHECK(classify_response_url_answer(503, "", "").outcome == post_outcome::retry);
}
