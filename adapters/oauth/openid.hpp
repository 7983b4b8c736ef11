#pragma once
// The dashboard's sign-in, OpenID Connect's authorization-code flow, as Slack ("Sign in with
// Slack") and Microsoft (Entra ID) speak it: the link, the token endpoint's answer, the id_token
// in it and who its verified claims name. The redirect and the token request are
// authorization_code.hpp's; the id_token's RS256 signature against the provider's JWKS is
// adapters/jwt's. Pure: the keys are fetched elsewhere.
#include "adapters/jwt/rs256.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include <string>
#include <string_view>
#include <variant>

namespace cxos::oauth {

// The authorize link: response_type=code, scope=openid profile email, the client id, the
// browser-bound `state`, the `nonce` the id_token must carry back, and the redirect URI.
std::string openid_authorize_link(std::string_view authorize_url, std::string_view client_id,
                                  std::string_view redirect_uri, std::string_view state, std::string_view nonce);

// The id_token from the token endpoint's answer; else the provider's error (Slack's
// {"ok":false,"error"}, Microsoft's {"error","error_description"}) or why the answer is unusable.
std::variant<std::string, std::string> read_openid_token(unsigned http_status, std::string_view body);
inline bool is_id_token(const std::variant<std::string, std::string>& r) { return r.index() == 0; }

// Who signed in, from the verified claims: on "slack" the https://slack.com/user_id and team_id
// claims; on "teams" the Entra object id (oid) and tenant (tid). Empty ids when they are missing
// or not of the provider's shape.
struct openid_person {
    std::string platform; // "slack" or "teams"
    std::string team_id;
    std::string user_id;
    std::string name;
    bool complete() const { return !team_id.empty() && !user_id.empty(); }
};
openid_person openid_person_of(std::string_view platform, const nlohmann::json& claims);

// The id_token: jwt::verify_rs256's checks in their order (alg, kid, issuer before any key,
// signature, aud, exp/nbf), then the `nonce` the sign-in started with. `issuer` may hold
// "{tenantid}" (Microsoft's issuer is per tenant; the caller then checks that tenant is one it
// knows). `token` is the bare JWT, no "Bearer ".
struct openid_expectations {
    std::string issuer;
    std::string audience; // the client id
    std::string nonce;    // an empty one matches no token
    std::int64_t now_seconds = 0;
    std::int64_t skew_seconds = 300;
};
jwt::jwt_verdict verify_openid_token(std::string_view token, const std::vector<jwt::signing_key>& keys,
                                     const openid_expectations& expect);

} // namespace cxos::oauth
