// The fake's login side: OpenID metadata and JWKS that verify its inbound tokens with the same
// code cxos runs, every defect refused for the reason expected, and key rotation and fetch
// failures as tests script them.
#include "adapters/jwt/jwks.hpp"
#include "adapters/teams/bot_framework_jwt.hpp"
#include "tests/support/fake_bot_framework.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

std::vector<cxos::jwt::signing_key> fetch_keys(const fake_bot_framework& bf) {
    auto answer = http_call(bf.port(), "GET", "/v1/.well-known/keys", "");
    REQUIRE(answer.status == 200);
    return cxos::jwt::parse_jwks(answer.body);
}

cxos::jwt::jwt_failure verify(const fake_bot_framework& bf, const std::string& token,
                              std::int64_t now_seconds = unix_now_seconds()) {
    const cxos::teams::bot_framework_expectations expect{.audience = bf.registration().app_id, .channel_id = "msteams",
                                                         .service_url = bf.service_url(), .now_seconds = now_seconds};
    return cxos::teams::verify_bot_framework_token("Bearer " + token, fetch_keys(bf), expect).failure;
}

} // namespace

TEST_CASE("fake Bot Framework: OpenID metadata names the JWKS", "[fake_bot_framework]") {
    fake_bot_framework bf;
    auto answer = http_call(bf.port(), "GET", "/v1/.well-known/openidconfiguration", "");
    REQUIRE(answer.status == 200);
    const auto metadata = json::parse(answer.body);
    CHECK(metadata["issuer"] == "https://api.botframework.com");
    CHECK(metadata["jwks_uri"] == bf.jwks_url());
    CHECK(metadata["id_token_signing_alg_values_supported"] == json{"RS256"});
    const auto jwks = json::parse(http_call(bf.port(), "GET", "/v1/.well-known/keys", "").body);
    REQUIRE(jwks["keys"].size() == 2);
    CHECK(jwks["keys"][0]["kty"] == "RSA");
    CHECK(jwks["keys"][0]["use"] == "sig");
    CHECK(jwks["keys"][0]["endorsements"] == json{"msteams", "skype"});
    CHECK(bf.state().openid_fetches == 1);
    CHECK(bf.state().jwks_fetches == 1);
}

TEST_CASE("fake Bot Framework: its valid token verifies and each defect fails as expected", "[fake_bot_framework]") {
    fake_bot_framework bf;
    CHECK(verify(bf, bf.inbound_token()) == cxos::jwt::jwt_failure::none);
    for (auto defect : all_token_defects) {
        INFO("defect " << to_string(defect));
        CHECK(verify(bf, bf.inbound_token(defect)) == expected_failure(defect));
    }
    // Under a test clock far from the wall clock (cxos serve --test-clock).
    constexpr std::int64_t test_clock = 1'750'000'000;
    CHECK(verify(bf, bf.inbound_token(token_defect::none, "", test_clock), test_clock) == cxos::jwt::jwt_failure::none);
    CHECK(verify(bf, bf.inbound_token(token_defect::expired, "", test_clock), test_clock) ==
          cxos::jwt::jwt_failure::expired);
}

TEST_CASE("fake Bot Framework: keys rotate and JWKS fetches fail on demand", "[fake_bot_framework]") {
    fake_bot_framework bf;
    const auto old_token = bf.inbound_token();
    bf.rotate_signing_key(test_signing_key::generate("fake-bf-msteams-2", {"msteams"}));
    CHECK(verify(bf, old_token) == cxos::jwt::jwt_failure::unknown_key);
    CHECK(verify(bf, bf.inbound_token()) == cxos::jwt::jwt_failure::none);
    bf.fail_jwks_fetches(2);
    CHECK(http_call(bf.port(), "GET", "/v1/.well-known/keys", "").status == 500);
    CHECK(http_call(bf.port(), "GET", "/v1/.well-known/keys", "").status == 500);
    CHECK(http_call(bf.port(), "GET", "/v1/.well-known/keys", "").status == 200);
    bf.fail_openid_fetches(1, 503);
    CHECK(http_call(bf.port(), "GET", "/v1/.well-known/openidconfiguration", "").status == 503);
    CHECK(bf.state().jwks_fetches == 5);
}
