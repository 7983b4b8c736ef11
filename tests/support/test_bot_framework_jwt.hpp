#pragma once
// Bot Framework tokens minted at test time (on test_jwt.hpp's keys and signing): the claims the Bot
// Connector sends, and one helper per defect the validator must catch.
#include "adapters/teams/bot_framework_jwt.hpp"
#include "tests/support/test_jwt.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cxos::test {

// The claims the Bot Connector puts in the token it sends with each activity: iss
// https://api.botframework.com, aud the bot's app id, serviceurl the activity's serviceUrl,
// nbf five minutes back and exp one hour on (as the real service does).
nlohmann::json valid_bot_claims(const std::string& app_id, const std::string& service_url,
                                std::int64_t now_seconds = unix_now_seconds());

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
jwt::jwt_failure expected_failure(token_defect d);

// `valid_claims` (from valid_bot_claims) made wrong in the one way `defect` names and signed by
// `signer`. For unendorsed_key the token is otherwise valid: `signer` must be a published key
// whose endorsements lack the activity's channel (fake_bot_framework::inbound_token picks one).
std::string mint_defective_bot_token(const test_signing_key& signer, nlohmann::json valid_claims,
                                     token_defect defect);

} // namespace cxos::test
