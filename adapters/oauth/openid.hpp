#pragma once
// The dashboard's sign-in, OpenID Connect's authorization-code flow, as Slack ("Sign in with
// Slack") and Microsoft (Entra ID) speak it: the link, the token endpoint's answer and who the
// verified claims name. The redirect and the token request are authorization_code.hpp's; the
// id_token's signature is checked by the Teams adapter's RS256/JWKS code (verify_openid_token),
// which Bot Framework tokens share. Wire shapes only.
#include <nlohmann/json.hpp>

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

} // namespace cxos::oauth
