// The dashboard's sign-in on the wire: the authorize link, the token answer, and who the verified
// claims name. (The id_token check, RS256 and nonce, is tested in openid_token_test.cpp.)
#include "adapters/oauth/openid.hpp"

#include <catch2/catch.hpp>

using namespace cxos::oauth;
using nlohmann::json;

TEST_CASE("the sign-in link asks for openid profile email with a code, the state and the nonce", "[openid]") {
    auto link = openid_authorize_link("https://slack.com/openid/connect/authorize", "1234.5678",
                                      "https://cxos.example.com/dashboard/signin/slack/callback", "st4te", "n0nce");
    CHECK_THAT(link, Catch::StartsWith("https://slack.com/openid/connect/authorize?response_type=code&"));
    CHECK_THAT(link, Catch::Contains("scope=openid%20profile%20email") && Catch::Contains("client_id=1234.5678") &&
                         Catch::Contains("state=st4te") && Catch::Contains("nonce=n0nce") &&
                         Catch::Contains("redirect_uri=https%3A%2F%2Fcxos.example.com%2Fdashboard%2Fsignin"));
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

TEST_CASE("a Slack person is named by Slack's user and team claims", "[openid]") {
    auto person = openid_person_of("slack", json{{"https://slack.com/user_id", "U0ADA0001"},
                                                 {"https://slack.com/team_id", "T0ACME001"},
                                                 {"name", "Ada Lovelace"}});
    CHECK(person.complete());
    CHECK(person.user_id == "U0ADA0001");
    CHECK(person.team_id == "T0ACME001");
    CHECK(person.name == "Ada Lovelace");
    // An id that could carry a separator into a cookie or a key names nobody.
    CHECK_FALSE(openid_person_of("slack", json{{"https://slack.com/user_id", "U0;ADA"},
                                               {"https://slack.com/team_id", "T0ACME001"}})
                    .complete());
}

TEST_CASE("a Microsoft person is named by the Entra object id and tenant", "[openid]") {
    auto person = openid_person_of("teams", json{{"tid", "11111111-2222-3333-4444-555555555555"},
                                                 {"oid", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
                                                 {"preferred_username", "grace@example.com"}});
    CHECK(person.team_id == "11111111-2222-3333-4444-555555555555");
    CHECK(person.user_id == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    CHECK(person.name == "grace@example.com");
    CHECK_FALSE(openid_person_of("teams", json{{"oid", "aaaaaaaa"}}).complete());
}
