// The RS256 checks every provider's token gets (the Bot Framework's and the sign-ins' own rules are
// tested with their adapters): which key verified it, and a per-tenant issuer.
#include "adapters/jwt/rs256.hpp"

#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

#include <array>

using namespace cxos::jwt;
using cxos::test::mint_token;
using cxos::test::test_signing_key;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1'750'000'000;

// Two keys a provider publishes, generated once for the file.
const std::array<test_signing_key, 2>& provider_keys() {
    static const std::array<test_signing_key, 2> keys{test_signing_key::generate("kid-a", {}),
                                                      test_signing_key::generate("kid-b", {})};
    return keys;
}
const test_signing_key& key_a() { return provider_keys()[0]; }
const test_signing_key& key_b() { return provider_keys()[1]; }

json claims_for(const std::string& issuer) { return {{"iss", issuer}, {"aud", "the-client"}, {"exp", now + 3600}}; }

} // namespace

TEST_CASE("verify_rs256 points at the key that verified the token, and at none when it fails", "[jwt]") {
    const std::vector<signing_key> keys{key_a().public_key(), key_b().public_key()};
    const rs256_expectations expect{"https://issuer.example", "the-client", now, 300};
    const signing_key* verified_by = nullptr;
    auto v = verify_rs256(mint_token(key_b(), claims_for(expect.issuer)), keys, expect, &verified_by);
    REQUIRE(v.ok());
    CHECK(v.kid == "kid-b");
    CHECK(verified_by == &keys[1]);
    CHECK(v.claims["aud"] == "the-client");

    // Signed by the right key but for another client: refused, and no key is named.
    verified_by = nullptr;
    auto other = claims_for(expect.issuer);
    other["aud"] = "another-client";
    v = verify_rs256(mint_token(key_a(), other), keys, expect, &verified_by);
    CHECK(v.failure == jwt_failure::wrong_audience);
    CHECK(v.claims.is_null());
    CHECK(verified_by == nullptr);
}

TEST_CASE("an issuer with {tenantid} is the one the token's own tid names", "[jwt]") {
    const std::vector<signing_key> keys{key_a().public_key()};
    const rs256_expectations expect{"https://login.example/{tenantid}/v2.0", "the-client", now, 300};
    auto claims = claims_for("https://login.example/tenant-1/v2.0");
    claims["tid"] = "tenant-1";
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, expect).ok());
    claims["tid"] = "tenant-2"; // the issuer names another tenant than the token claims
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, expect).failure == jwt_failure::wrong_issuer);
    // A tid that would reach into the issuer's path, or none at all, matches no issuer.
    claims["iss"] = "https://login.example/tenant-1/x/v2.0";
    claims["tid"] = "tenant-1/x";
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, expect).failure == jwt_failure::wrong_issuer);
    claims.erase("tid");
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, expect).failure == jwt_failure::wrong_issuer);
}

TEST_CASE("an issuer nobody configured accepts no token, not even one without iss", "[jwt]") {
    const std::vector<signing_key> keys{key_a().public_key()};
    const rs256_expectations unset{"", "the-client", now, 300};
    auto claims = claims_for("https://issuer.example");
    claims.erase("iss");
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, unset).failure == jwt_failure::wrong_issuer);
    claims["iss"] = "";
    CHECK(verify_rs256(mint_token(key_a(), claims), keys, unset).failure == jwt_failure::wrong_issuer);
}

TEST_CASE("failures have stable names for logs", "[jwt]") {
    CHECK(to_string(jwt_failure::wrong_issuer) == "wrong_issuer");
    CHECK(to_string(jwt_failure::service_url_mismatch) == "service_url_mismatch");
}
