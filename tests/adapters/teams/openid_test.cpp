// The dashboard's sign-in on the wire: the authorize link, the callback's query, the token
// answer, and the id_token checked against the provider's keys and the nonce the sign-in began with.
#include "adapters/teams/bot_framework_jwt.hpp"
#include "adapters/teams/openid.hpp"

#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::teams;
using cxos::test::mint_bot_token;
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

TEST_CASE("the sign-in link asks for openid profile email with a code, the state and the nonce", "[openid]") {
    auto link = openid_authorize_link("https://slack.com/openid/connect/authorize", "1234.5678",
                                      "https://cxos.example.com/dashboard/signin/slack/callback", "st4te", "n0nce");
    CHECK_THAT(link, Catch::StartsWith("https://slack.com/openid/connect/authorize?response_type=code&"));
    CHECK_THAT(link, Catch::Contains("scope=openid%20profile%20email") && Catch::Contains("client_id=1234.5678") &&
                         Catch::Contains("state=st4te") && Catch::Contains("nonce=n0nce") &&
                         Catch::Contains("redirect_uri=https%3A%2F%2Fcxos.example.com%2Fdashboard%2Fsignin"));
}

TEST_CASE("a sign-in callback carries a code or an error, and a state of cxos's shape", "[openid]") {
    auto ok = decode_openid_redirect("code=1.2-abc_DEF~x&state=AbC-_09");
    REQUIRE(std::holds_alternative<openid_redirect>(ok));
    CHECK(std::get<openid_redirect>(ok).code == "1.2-abc_DEF~x");
    auto cancelled = decode_openid_redirect("error=access_denied&state=AbC&error_description=The+user+said+no");
    REQUIRE(std::holds_alternative<openid_redirect>(cancelled));
    CHECK(std::get<openid_redirect>(cancelled).error == "access_denied");

    for (const char* bad : {"code=abc", "code=abc&state=a%20b", "state=abc", "code=a&error=x&state=abc",
                            "code=a%3Cb&state=abc", "code=a&state=abc&state=def", "code=a&state=%FF", "code=a%ZZ&state=b"})
        CHECK(std::holds_alternative<std::string>(decode_openid_redirect(bad)));
}

TEST_CASE("the token answer gives the id_token, or the provider's error and never its description", "[openid]") {
    auto slack = read_openid_token(200, R"({"ok":true,"access_token":"xoxp-1","id_token":"a.b.c"})");
    REQUIRE(is_id_token(slack));
    CHECK(std::get<0>(slack) == "a.b.c");
    auto refused = read_openid_token(200, R"({"ok":false,"error":"invalid_code"})");
    REQUIRE_FALSE(is_id_token(refused));
    CHECK(std::get<1>(refused) == "invalid_code");
    auto microsoft = read_openid_token(400, R"({"error":"invalid_grant","error_description":"AADSTS70008 code=secret"})");
    REQUIRE_FALSE(is_id_token(microsoft));
    CHECK(std::get<1>(microsoft) == "invalid_grant");
    CHECK_FALSE(is_id_token(read_openid_token(200, R"({"ok":true})")));
    CHECK_FALSE(is_id_token(read_openid_token(502, "<html>")));
}

TEST_CASE("a Slack id_token is accepted only signed by a published key, for this app, with the sign-in's nonce",
          "[openid]") {
    const auto now = cxos::test::unix_now_seconds();
    const std::vector<signing_key> keys{slack_key().public_key()};
    auto verdict = verify_openid_token(mint_bot_token(slack_key(), slack_claims(now)), keys, slack_expectations(now));
    REQUIRE(verdict.ok());
    auto person = openid_person_of("slack", verdict.claims);
    CHECK(person.user_id == "U0ADA0001");
    CHECK(person.team_id == "T0ACME001");
    CHECK(person.name == "Ada Lovelace");

    auto replayed = slack_expectations(now);
    replayed.nonce = "another-sign-in";
    CHECK(verify_openid_token(mint_bot_token(slack_key(), slack_claims(now)), keys, replayed).failure ==
          jwt_failure::wrong_nonce);
    auto other_app = slack_claims(now);
    other_app["aud"] = "9999.0000";
    CHECK(verify_openid_token(mint_bot_token(slack_key(), other_app), keys, slack_expectations(now)).failure ==
          jwt_failure::wrong_audience);
    CHECK(verify_openid_token(mint_bot_token(slack_key(), slack_claims(now - 7200)), keys, slack_expectations(now))
              .failure == jwt_failure::expired);
    auto forged = slack_claims(now);
    forged["iss"] = "https://evil.example.com";
    CHECK(verify_openid_token(mint_bot_token(slack_key(), forged), keys, slack_expectations(now)).failure ==
          jwt_failure::wrong_issuer);
    const auto impostor = test_signing_key::generate("slack-key-1", {});
    CHECK(verify_openid_token(mint_bot_token(impostor, slack_claims(now)), keys, slack_expectations(now)).failure ==
          jwt_failure::bad_signature);
    CHECK(verify_openid_token(mint_bot_token(slack_key(), slack_claims(now), json{{"alg", "HS256"}}), keys,
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
    auto verdict = verify_openid_token(mint_bot_token(slack_key(), claims), keys, expect);
    REQUIRE(verdict.ok());
    auto person = openid_person_of("teams", verdict.claims);
    CHECK(person.team_id == "11111111-2222-3333-4444-555555555555");
    CHECK(person.user_id == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    auto elsewhere = claims;
    elsewhere["tid"] = "99999999-2222-3333-4444-555555555555"; // the issuer names another tenant
    CHECK(verify_openid_token(mint_bot_token(slack_key(), elsewhere), keys, expect).failure == jwt_failure::wrong_issuer);
}
