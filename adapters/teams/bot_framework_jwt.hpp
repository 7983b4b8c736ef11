#pragma once
// Bot Framework inbound authentication: the JWT the Bot Connector service sends in
// `Authorization: Bearer <jwt>` with every activity. Pure: the OpenID metadata (at
// openid_metadata_url) and the JWKS it names are fetched elsewhere and parsed by adapters/jwt;
// this adds what only the Bot Framework asks of a token on top of the RS256 checks there.
#include "adapters/jwt/rs256.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::teams {

inline constexpr std::string_view openid_metadata_url =
    "https://login.botframework.com/v1/.well-known/openidconfiguration";
inline constexpr std::string_view bot_framework_issuer = "https://api.botframework.com";

struct bot_framework_expectations {
    std::string issuer = std::string(bot_framework_issuer);
    std::string audience;     // MICROSOFT_APP_ID; an empty one matches no token
    std::string channel_id;   // the activity's channelId, e.g. "msteams"; an empty one is endorsed by no key
    std::string service_url;  // the activity's serviceUrl
    std::int64_t now_seconds = 0;
    std::int64_t skew_seconds = 300;
};

// Validates `Authorization: Bearer <jwt>` in Microsoft's order: the scheme (case-insensitive,
// RFC 7235); then jwt::verify_rs256's checks (alg, kid, issuer before any key, signature, aud,
// exp/nbf); then the verifying key's endorsements contain channel_id; then claim "serviceurl"
// (also accept "serviceUrl") equals service_url exactly (compare ignoring one trailing slash).
jwt::jwt_verdict verify_bot_framework_token(std::string_view authorization_header,
                                            const std::vector<jwt::signing_key>& keys,
                                            const bot_framework_expectations& expect);

} // namespace cxos::teams
