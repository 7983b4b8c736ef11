#pragma once
// Bot Framework tokens minted at test time: RSA 2048 keys generated in-process (never a key on
// disk), their JWKs as login.botframework.com publishes them, RS256 compact JWS in the Bot
// Connector's shape, and one helper per defect the validator must catch.
#include "adapters/teams/bot_framework_jwt.hpp"

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
// "endorsements": the channelIds this key may sign activities for).
struct test_signing_key {
    std::string kid;
    std::shared_ptr<EVP_PKEY> pkey; // the private key; copies share it
    std::vector<std::string> endorsements;

    // Fresh RSA 2048 (about 0.1 s each: generate once per test file where you can).
    static test_signing_key generate(std::string kid, std::vector<std::string> endorsements = {"msteams"});

    // What cxos keeps after parsing the JWKS.
    teams::signing_key public_key() const;
    // {"kty":"RSA","use":"sig","kid","x5t","n","e","endorsements":[...]}
    nlohmann::json jwk() const;
};

// {"keys":[jwk...]}
nlohmann::json jwks_of(const std::vector<test_signing_key>& keys);

std::int64_t unix_now_seconds();

// The claims the Bot Connector puts in the token it sends with each activity: iss
// https://api.botframework.com, aud the bot's app id, serviceurl the activity's serviceUrl,
// nbf five minutes back and exp one hour on (as the real service does).
nlohmann::json valid_bot_claims(const std::string& app_id, const std::string& service_url,
                                std::int64_t now_seconds = unix_now_seconds());

// Compact JWS RS256 over `claims`. The header is {"alg":"RS256","kid","typ":"JWT","x5t"} merged
// with `header_overrides` as a JSON merge patch (a null value removes that field).
std::string mint_bot_token(const test_signing_key& key, const nlohmann::json& claims,
                           const nlohmann::json& header_overrides = nlohmann::json::object());

// The ways a token can be wrong that cxos must refuse.
enum class token_defect {
    none,
    altered_payload,      // signed, then the payload swapped for one with another serviceurl
    impostor_key,         // signed by a different private key that claims the published kid
    wrong_issuer,         // iss of an Azure AD tenant instead of the Bot Framework
    wrong_audience,       // aud of another bot
    expired,              // exp ten minutes before the claims' now: beyond the 5 minutes of skew
    unknown_kid,          // a kid nobody published
    unendorsed_key,       // see mint_defective_bot_token
    service_url_mismatch, // serviceurl of another region than the activity's serviceUrl
    alg_none,             // "alg":"none" and no signature
};
inline constexpr token_defect all_token_defects[] = {
    token_defect::altered_payload, token_defect::impostor_key,  token_defect::wrong_issuer,
    token_defect::wrong_audience,  token_defect::expired,       token_defect::unknown_kid,
    token_defect::unendorsed_key,  token_defect::service_url_mismatch, token_defect::alg_none};

std::string_view to_string(token_defect d);
// The verdict cxos::teams::verify_bot_framework_token gives such a token.
teams::jwt_failure expected_failure(token_defect d);

// `valid_claims` (from valid_bot_claims) made wrong in the one way `defect` names and signed by
// `signer`. For unendorsed_key the token is otherwise valid: `signer` must be a published key
// whose endorsements lack the activity's channel (fake_bot_framework::inbound_token picks one).
std::string mint_defective_bot_token(const test_signing_key& signer, nlohmann::json valid_claims,
                                     token_defect defect);

} // namespace cxos::test
