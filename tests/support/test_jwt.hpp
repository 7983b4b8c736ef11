#pragma once
// Signed tokens minted at test time, whoever the provider: RSA 2048 keys generated in-process
// (never a key on disk), their JWKs and JWKS, and RS256 compact JWS over any claims.
#include "adapters/jwt/jwks.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace cxos::test {

// RFC 4648 §5 without padding, as JOSE wants it.
std::string base64url_encode(std::string_view bytes);

// A private signing key under a kid, with the channels it endorses (the Bot Framework's
// "endorsements": the channelIds this key may sign activities for; other providers publish none).
struct test_signing_key {
    std::string kid;
    std::shared_ptr<EVP_PKEY> pkey; // the private key; copies share it
    std::vector<std::string> endorsements;

    // Fresh RSA 2048 (about 0.1 s each: generate once per test file where you can).
    static test_signing_key generate(std::string kid, std::vector<std::string> endorsements = {"msteams"});

    // What cxos keeps after parsing the JWKS.
    jwt::signing_key public_key() const;
    // {"kty":"RSA","use":"sig","kid","x5t","n","e","endorsements":[...]}
    nlohmann::json jwk() const;
};

// {"keys":[jwk...]}
nlohmann::json jwks_of(const std::vector<test_signing_key>& keys);

std::int64_t unix_now_seconds();

// Compact JWS RS256 over `claims`. The header is {"alg":"RS256","kid","typ":"JWT","x5t"} merged
// with `header_overrides` as a JSON merge patch (a null value removes that field).
std::string mint_token(const test_signing_key& key, const nlohmann::json& claims,
                       const nlohmann::json& header_overrides = nlohmann::json::object());

} // namespace cxos::test
