#pragma once
// The dashboard's sign-in, OpenID Connect's authorization-code flow, as Slack ("Sign in with
// Slack") and Microsoft (Entra ID) speak it. It lives beside the Bot Framework's RS256/JWKS code
// because both providers' id_tokens are checked by it (verify_openid_token). Wire shapes only.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace cxos::teams {

// The authorize link: response_type=code, scope=openid profile email, the client id, the
// browser-bound `state`, the `nonce` the id_token must carry back, and the redirect URI.
std::string openid_authorize_link(std::string_view authorize_url, std::string_view client_id,
                                  std::string_view redirect_uri, std::string_view state, std::string_view nonce);

// What the browser brought back to the callback: a code and the state, or the provider's `error`
// (access_denied when the person cancelled) and the state.
struct openid_redirect {
    std::string code, state, error;
};
// The query string (without '?'); why it is refused when it is not what a provider sends (not
// URL encoding or UTF-8, a state of a shape cxos never makes, a code or error too long or of
// unexpected characters, neither a code nor an error).
std::variant<openid_redirect, std::string> decode_openid_redirect(std::string_view query);

// The token request's form body (authorization_code grant, client secret in the body).
std::string openid_token_body(std::string_view client_id, std::string_view client_secret, std::string_view code,
                              std::string_view redirect_uri);
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

} // namespace cxos::teams
