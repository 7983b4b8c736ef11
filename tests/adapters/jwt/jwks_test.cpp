// A provider's keys: the metadata naming its JWKS, the JWKS's RSA keys (with the Bot Framework's
// endorsements where it lists them), and when cxos fetches them again.
#include "adapters/jwt/jwks.hpp"

#include "adapters/jwt/rs256.hpp"
#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

using namespace cxos::jwt;
using cxos::test::base64url_encode;
using cxos::test::mint_token;
using cxos::test::test_signing_key;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1'750'000'000;

const test_signing_key& key_a() {
    static const auto key = test_signing_key::generate("kid-a", {"msteams", "skype"});
    return key;
}
const test_signing_key& key_b() {
    static const auto key = test_signing_key::generate("kid-b", {"webchat"});
    return key;
}

} // namespace

TEST_CASE("jwks_uri is read from the OpenID metadata document", "[jwt]") {
    const char* metadata = R"({"issuer":"https://api.botframework.com",
        "authorization_endpoint":"https://invalid.botframework.com",
        "jwks_uri":"https://login.botframework.com/v1/.well-known/keys",
        "id_token_signing_alg_values_supported":["RS256"],
        "token_endpoint_auth_methods_supported":["private_key_jwt"]})";
    CHECK(jwks_uri_of(metadata) == "https://login.botframework.com/v1/.well-known/keys");
    CHECK(jwks_uri_of(R"({"jwks_uri":"http://login.botframework.com/v1/.well-known/keys"})").empty());
    CHECK(jwks_uri_of(R"({"jwks_uri":42})").empty());
    CHECK(jwks_uri_of(R"({"issuer":"https://api.botframework.com"})").empty());
    CHECK(jwks_uri_of(R"({"jwks_uri":"https://login.botframework.com/v1/.well-known/keys")").empty());
    CHECK(jwks_uri_of(R"(["https://login.botframework.com/v1/.well-known/keys"])").empty());
}

TEST_CASE("parse_jwks keeps RSA signing keys with their endorsements", "[jwt]") {
    const auto a = key_a().public_key();
    const json doc = {{"keys", json::array({
        {{"kty", "RSA"}, {"use", "sig"}, {"kid", a.kid}, {"x5t", a.kid}, {"n", a.n}, {"e", a.e},
         {"x5c", {"MIIDBTCCAe2gAwIBAgIQ"}}, {"endorsements", {"msteams", "skype"}}},
        {{"kty", "RSA"}, {"kid", "kid-no-use"}, {"n", a.n}, {"e", a.e}},
        {{"kty", "EC"}, {"use", "sig"}, {"kid", "kid-ec"}, {"crv", "P-256"}, {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
         {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}, {"endorsements", {"msteams"}}},
        {{"kty", "RSA"}, {"use", "enc"}, {"kid", "kid-enc"}, {"n", a.n}, {"e", a.e}},
        {{"kty", "RSA"}, {"use", "sig"}, {"kid", "kid-short"}, {"n", base64url_encode(std::string(128, '\xff'))}, {"e", a.e}},
        {{"kty", "RSA"}, {"use", "sig"}, {"kid", "kid-bad-n"}, {"n", a.n + "!"}, {"e", a.e}},
        {{"kty", "RSA"}, {"use", "sig"}, {"n", a.n}, {"e", a.e}},
        {{"kty", "RSA"}, {"use", "sig"}, {"kid", "kid-bad-endorsements"}, {"n", a.n}, {"e", a.e}, {"endorsements", "msteams"}},
        "not a key"})}};
    const auto keys = parse_jwks(doc.dump());
    REQUIRE(keys.size() == 2);
    CHECK(keys[0].kid == "kid-a");
    CHECK(keys[0].n == a.n);
    CHECK(keys[0].e == "AQAB");
    CHECK(keys[0].endorsements == std::vector<std::string>{"msteams", "skype"});
    CHECK(keys[1].kid == "kid-no-use");
    CHECK(keys[1].endorsements.empty());
    // The parsed key verifies real tokens.
    const json claims{{"iss", "https://issuer.example"}, {"aud", "the-client"}, {"exp", now + 3600}};
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, {"https://issuer.example", "the-client", now, 300}).ok());
    CHECK(parse_jwks("{").empty());
    CHECK(parse_jwks(R"({"keys":{}})").empty());
}

TEST_CASE("the key cache refreshes daily and at most hourly for unknown kids", "[jwt]") {
    key_cache cache;
    CHECK(cache.refresh_due(now));
    CHECK(cache.may_refresh_for_unknown_kid(now));
    cache.refreshed({key_a().public_key(), key_b().public_key()}, now);
    CHECK(cache.keys().size() == 2);
    CHECK_FALSE(cache.refresh_due(now + 24 * 3600 - 1));
    CHECK(cache.refresh_due(now + 24 * 3600));
    CHECK_FALSE(cache.may_refresh_for_unknown_kid(now + 3599));
    CHECK(cache.may_refresh_for_unknown_kid(now + 3600));
    // A failed refresh keeps the keys and counts as an attempt, but the keys stay as old as they were.
    cache.refresh_failed(now + 5000);
    CHECK(cache.keys().size() == 2);
    CHECK(cache.keys()[0].kid == "kid-a");
    CHECK_FALSE(cache.may_refresh_for_unknown_kid(now + 5000 + 3599));
    CHECK(cache.may_refresh_for_unknown_kid(now + 5000 + 3600));
    CHECK(cache.refresh_due(now + 24 * 3600));
    // An empty key set is no refresh either.
    cache.refreshed({}, now + 6000);
    CHECK(cache.keys().size() == 2);
    CHECK(cache.refresh_due(now + 24 * 3600));
    cache.refreshed({key_b().public_key()}, now + 7000);
    REQUIRE(cache.keys().size() == 1);
    CHECK(cache.keys()[0].kid == "kid-b");
    CHECK_FALSE(cache.refresh_due(now + 24 * 3600));
    CHECK(cache.refresh_due(now + 7000 + 24 * 3600));
}
