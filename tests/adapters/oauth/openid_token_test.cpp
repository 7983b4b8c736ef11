// The dashboard's sign-in id_token (Slack's or Microsoft's), checked by adapters/jwt's RS256 code:
// against the provider's keys, for this app, with the sign-in's nonce.
#include "adapters/oauth/openid.hpp"

#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::jwt;
using namespace cxos::oauth;
using cxos::test::mint_token;
using cxos::test::test_signing_key;
using nlohmann::json;

namespace {

const test_signing_key& slack_key() {
    static const auto key = test_signing_key::generate("slack-key-1", {});
    return key;
}

json slack_claims(std::int64_t now) {
    return json{{"iss", "https://slack.com"},
                {"aud", "1234.5678"},
                {"exp", now + 3600},
                {"iat", now},
                {"nonce", "the-nonce"},
                {"https://slack.com/user_id", "U0ADA0001"},
                {"https://slack.com/team_id", "T0ACME001"},
                {"name", "Ada Lovelace"}};
}

openid_expectations slack_expectations(std::int64_t now) { return {"https://slack.com", "1234.5678", "the-nonce", now, 300}; }

} // namespace

TEST_CASE("a Slack id_token is accepted only signed by a published key, for this app, with the sign-in's nonce",
          "[openid]") {
    const auto now = cxos::test::unix_now_seconds();
    const std::vector<signing_key> keys{slack_key().public_key()};
    auto verdict = verify_openid_token(mint_token(slack_key(), slack_claims(now)), keys, slack_expectations(now));
    REQUIRE(verdict.ok());
    CHECK(verdict.claims["https://slack.com/user_id"] == "U0ADA0001");

    auto replayed = slack_expectations(now);
    replayed.nonce = "another-sign-in";
    CHECK(verify_openid_token(mint_token(slack_key(), slack_claims(now)), keys, replayed).failure ==
          jwt_failure::wrong_nonce);
    auto other_app = slack_claims(now);
    other_app["aud"] = "9999.0000";
    CHECK(verify_openid_token(mint_token(slack_key(), other_app), keys, slack_expectations(now)).failure ==
          jwt_failure::wrong_audience);
    CHECK(verify_openid_token(mint_token(slack_key(), slack_claims(now - 7200)), keys, slack_expectations(now))
              .failure == jwt_failure::expired);
    auto forged = slack_claims(now);
    forged["iss"] = "https://evil.example.com";
    CHECK(verify_openid_token(mint_token(slack_key(), forged), keys, slack_expectations(now)).failure ==
          jwt_failure::wrong_issuer);
    const auto impostor = test_signing_key::generate("slack-key-1", {});
    CHECK(verify_openid_token(mint_token(impostor, slack_claims(now)), keys, slack_expectations(now)).failure ==
          jwt_failure::bad_signature);
    CHECK(verify_openid_token(mint_token(slack_key(), slack_claims(now), json{{"alg", "HS256"}}), keys,
                              slack_expectations(now))
              .failure == jwt_failure::unsupported_alg);
}

TEST_CASE("a Microsoft id_token's issuer is its own tenant's", "[openid]") {
    const auto now = cxos::test::unix_now_seconds();
    const std::vector<signing_key> keys{slack_key().public_key()};
    json claims{{"iss", "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"},
                {"aud", "app-guid"},
                {"exp", now + 3600},
                {"nonce", "the-nonce"},
                {"tid", "11111111-2222-3333-4444-555555555555"},
                {"oid", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
                {"name", "Grace Hopper"}};
    const openid_expectations expect{"https://login.microsoftonline.com/{tenantid}/v2.0", "app-guid", "the-nonce", now, 300};
    auto verdict = verify_openid_token(mint_token(slack_key(), claims), keys, expect);
    REQUIRE(verdict.ok());
    CHECK(verdict.claims["oid"] == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    auto elsewhere = claims;
    elsewhere["tid"] = "99999999-2222-3333-4444-555555555555"; // the issuer names another tenant
    CHECK(verify_openid_token(mint_token(slack_key(), elsewhere), keys, expect).failure == jwt_failure::wrong_issuer);
}
