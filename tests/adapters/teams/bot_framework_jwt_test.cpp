// The Bot Framework's token check end to end: the RS256 checks it shares (adapters/jwt) in its
// order, then its own (the Bearer scheme, the key's endorsement, the serviceUrl claim).
#include "adapters/teams/bot_framework_jwt.hpp"

#include "tests/support/test_bot_framework_jwt.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

using namespace cxos::jwt;
using namespace cxos::teams;
using cxos::test::base64url_encode;
using cxos::test::test_signing_key;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1'750'000'000;
constexpr const char* app_id = "5f1c6b8e-2f0a-4c1e-9d53-7f4b2a1e0c9d";
constexpr const char* service_url = "https://smba.trafficmanager.net/emea/";

std::string b64url(std::string_view bytes) { return base64url_encode(bytes); }

// A freshly generated RSA 2048 key pair and its JWK as the Bot Framework publishes it.
struct test_key { test_signing_key key; signing_key jwk; };

test_key make_key(std::string kid, std::vector<std::string> endorsements) {
    auto key = test_signing_key::generate(std::move(kid), std::move(endorsements));
    return {key, key.public_key()};
}

const test_key& key_a() { static test_key k = make_key("kid-a", {"msteams", "skype"}); return k; }
const test_key& key_b() { static test_key k = make_key("kid-b", {"webchat"}); return k; }
// A different private key that claims key A's kid: its signatures must not verify.
const test_key& impostor() { static test_key k = make_key("kid-a", {"msteams"}); return k; }

std::vector<signing_key> published_keys() { return {key_a().jwk, key_b().jwk}; }

json header_for(const std::string& kid) { return {{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}, {"x5t", kid}}; }

json valid_claims() { return cxos::test::valid_bot_claims(app_id, service_url, now); }

std::string signed_token(const json& header, const json& claims, const test_key& key = key_a()) {
    json patch = header; // exactly `header`: fields it lacks are removed from the default one
    for (const char* field : {"alg", "kid", "typ", "x5t"})
        if (!header.contains(field)) patch[field] = nullptr;
    return cxos::test::mint_token(key.key, claims, patch);
}

bot_framework_expectations expectations() {
    return {.audience = app_id, .channel_id = "msteams", .service_url = service_url, .now_seconds = now};
}

jwt_verdict check(const std::string& token, const bot_framework_expectations& e = expectations()) {
    return verify_bot_framework_token("Bearer " + token, published_keys(), e);
}

jwt_failure failure_of(const json& claims, const json& header = header_for("kid-a")) {
    return check(signed_token(header, claims)).failure;
}

} // namespace

TEST_CASE("a valid Bot Framework token passes and yields its claims", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    auto v = check(signed_token(header_for("kid-a"), claims));
    REQUIRE(v.ok());
    CHECK(v.kid == "kid-a");
    CHECK(v.claims["tid"] == "72f988bf-86f1-41af-91ab-2d7cd011db47");
    // The second published key verifies its own tokens for the channels it endorses.
    auto e = expectations();
    e.channel_id = "webchat";
    CHECK(check(signed_token(header_for("kid-b"), valid_claims(), key_b()), e).ok());
    // The scheme is case-insensitive (RFC 7235) and surrounding blanks are ignored.
    const std::string token = signed_token(header_for("kid-a"), valid_claims());
    CHECK(verify_bot_framework_token("bearer " + token, published_keys(), expectations()).ok());
    CHECK(verify_bot_framework_token("  Bearer " + token + " ", published_keys(), expectations()).ok());
}

TEST_CASE("a payload altered after signing is a bad signature", "[teams_jwt]") {
    const std::string token = signed_token(header_for("kid-a"), valid_claims());
    auto altered = valid_claims();
    altered["serviceurl"] = "https://attacker.example/";
    const auto dot1 = token.find('.'), dot2 = token.rfind('.');
    const std::string forged = token.substr(0, dot1 + 1) + b64url(altered.dump()) + token.substr(dot2);
    CHECK(check(forged).failure == jwt_failure::bad_signature);
    // An empty signature and a signature by another private key under the same kid fail too.
    CHECK(check(token.substr(0, dot2 + 1)).failure == jwt_failure::bad_signature);
    CHECK(check(signed_token(header_for("kid-a"), valid_claims(), impostor())).failure == jwt_failure::bad_signature);
}

TEST_CASE("a wrong issuer is refused before any key lookup", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";
    CHECK(failure_of(claims) == jwt_failure::wrong_issuer);
    auto unknown = check(signed_token(header_for("kid-nobody-published"), claims));
    CHECK(unknown.failure == jwt_failure::wrong_issuer);
    claims.erase("iss");
    CHECK(failure_of(claims) == jwt_failure::wrong_issuer);
}

TEST_CASE("the audience must be the bot's app id", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["aud"] = "another-bot";
    CHECK(failure_of(claims) == jwt_failure::wrong_audience);
    claims.erase("aud");
    CHECK(failure_of(claims) == jwt_failure::wrong_audience);
    claims["aud"] = json::array({"another-bot", app_id});
    CHECK(failure_of(claims) == jwt_failure::none);
    auto e = expectations();
    e.audience.clear(); // an unconfigured app id accepts nothing, not even an empty aud
    claims["aud"] = "";
    CHECK(check(signed_token(header_for("kid-a"), claims), e).failure == jwt_failure::wrong_audience);
}

TEST_CASE("expiry allows 5 minutes of clock skew and no more", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["exp"] = now - 301;
    CHECK(failure_of(claims) == jwt_failure::expired);
    claims["exp"] = now - 300;
    CHECK(failure_of(claims) == jwt_failure::expired);
    claims["exp"] = now - 299;
    CHECK(failure_of(claims) == jwt_failure::none);
    claims.erase("exp");
    CHECK(failure_of(claims) == jwt_failure::malformed);
    claims["exp"] = "tomorrow";
    CHECK(failure_of(claims) == jwt_failure::malformed);
}

TEST_CASE("a token not yet valid beyond the skew is refused", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["nbf"] = now + 301;
    CHECK(failure_of(claims) == jwt_failure::not_yet_valid);
    claims["nbf"] = now + 300;
    CHECK(failure_of(claims) == jwt_failure::none);
    claims.erase("nbf");
    CHECK(failure_of(claims) == jwt_failure::none);
}

TEST_CASE("an unknown kid names the kid so the caller can refresh keys", "[teams_jwt]") {
    auto v = check(signed_token(header_for("kid-rotated-in"), valid_claims()));
    CHECK(v.failure == jwt_failure::unknown_key);
    CHECK(v.kid == "kid-rotated-in");
    CHECK(v.claims.is_null());
    CHECK(verify_bot_framework_token("Bearer " + signed_token(header_for("kid-a"), valid_claims()), {},
                                     expectations()).failure == jwt_failure::unknown_key);
}

TEST_CASE("the signing key must endorse the activity's channel", "[teams_jwt]") {
    const std::string token = signed_token(header_for("kid-a"), valid_claims());
    auto e = expectations();
    e.channel_id = "webchat"; // endorsed by key B, not by key A which signed
    CHECK(check(token, e).failure == jwt_failure::missing_endorsement);
    auto odd = key_a().jwk;
    odd.endorsements = {""}; // an activity without channelId is not endorsed by an empty string
    e.channel_id.clear();
    CHECK(verify_bot_framework_token("Bearer " + token, {odd}, e).failure == jwt_failure::missing_endorsement);
    odd.endorsements.clear();
    CHECK(verify_bot_framework_token("Bearer " + token, {odd}, expectations()).failure ==
          jwt_failure::missing_endorsement);
}

TEST_CASE("the serviceurl claim must match the activity's serviceUrl", "[teams_jwt]") {
    auto claims = valid_claims();
    claims["serviceurl"] = "https://smba.trafficmanager.net/amer/";
    CHECK(failure_of(claims) == jwt_failure::service_url_mismatch);
    claims["serviceurl"] = "https://smba.trafficmanager.net/emea"; // one trailing slash is ignored
    CHECK(failure_of(claims) == jwt_failure::none);
    claims["serviceurl"] = "https://smba.trafficmanager.net/emea//";
    CHECK(failure_of(claims) == jwt_failure::service_url_mismatch);
    claims["serviceurl"] = "HTTPS://smba.trafficmanager.net/emea/";
    CHECK(failure_of(claims) == jwt_failure::service_url_mismatch);
    claims.erase("serviceurl");
    CHECK(failure_of(claims) == jwt_failure::service_url_mismatch);
    auto e = expectations();
    e.service_url.clear(); // an activity without serviceUrl matches no token, with or without the claim
    CHECK(check(signed_token(header_for("kid-a"), claims), e).failure == jwt_failure::service_url_mismatch);
    claims["serviceurl"] = "/";
    CHECK(check(signed_token(header_for("kid-a"), claims), e).failure == jwt_failure::service_url_mismatch);
    claims.erase("serviceurl");
    claims["serviceUrl"] = service_url;
    CHECK(failure_of(claims) == jwt_failure::none);
}

TEST_CASE("alg none and HS256 are refused", "[teams_jwt]") {
    auto none_header = header_for("kid-a");
    none_header["alg"] = "none";
    const std::string unsigned_token = b64url(none_header.dump()) + "." + b64url(valid_claims().dump()) + ".";
    CHECK(check(unsigned_token).failure == jwt_failure::unsupported_alg);
    // The classic confusion: an HMAC keyed with the public modulus the attacker can download.
    auto hs_header = header_for("kid-a");
    hs_header["alg"] = "HS256";
    const std::string signed_part = b64url(hs_header.dump()) + "." + b64url(valid_claims().dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key_a().jwk.n.data(), static_cast<int>(key_a().jwk.n.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac, &len);
    const std::string hs_token = signed_part + "." + b64url(std::string(reinterpret_cast<char*>(mac), len));
    CHECK(check(hs_token).failure == jwt_failure::unsupported_alg);
    auto no_alg = header_for("kid-a");
    no_alg.erase("alg");
    CHECK(failure_of(valid_claims(), no_alg) == jwt_failure::unsupported_alg);
    auto no_kid = header_for("kid-a");
    no_kid.erase("kid");
    CHECK(failure_of(valid_claims(), no_kid) == jwt_failure::malformed);
}

TEST_CASE("a header without the Bearer scheme is refused", "[teams_jwt]") {
    const std::string token = signed_token(header_for("kid-a"), valid_claims());
    for (const std::string& header : {token, "Basic " + token, "Bearer" + token, std::string("Bearer"),
                                     std::string("Bearer "), std::string()}) {
        INFO("header of " << header.size() << " characters");
        CHECK(verify_bot_framework_token(header, published_keys(), expectations()).failure ==
              jwt_failure::missing_bearer);
    }
}

TEST_CASE("garbage base64 and wrong shapes are malformed", "[teams_jwt]") {
    const std::string token = signed_token(header_for("kid-a"), valid_claims());
    const auto dot1 = token.find('.');
    CHECK(check("eyJhbGciOiJSUzI1NiJ9$.e30.c2ln").failure == jwt_failure::malformed);
    CHECK(check(token.substr(0, dot1) + "+" + token.substr(dot1)).failure == jwt_failure::malformed);
    CHECK(check(token + "=").failure == jwt_failure::malformed);
    CHECK(check(token.substr(0, token.rfind('.'))).failure == jwt_failure::malformed);
    CHECK(check(token + ".c2ln").failure == jwt_failure::malformed);
    CHECK(check(b64url("not json") + "." + b64url(valid_claims().dump()) + ".c2ln").failure == jwt_failure::malformed);
    CHECK(check(b64url("[1]") + "." + b64url(valid_claims().dump()) + ".c2ln").failure == jwt_failure::malformed);
    auto padded = valid_claims();
    padded["pad"] = std::string(max_token_size, 'x'); // validly signed but too long to consider
    CHECK(check(signed_token(header_for("kid-a"), padded)).failure == jwt_failure::malformed);
}
