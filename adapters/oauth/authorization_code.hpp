#pragma once
// OAuth 2.0's authorization-code grant (RFC 6749 §4.1) as cxos uses it for "Add to Slack" and for
// the dashboard's sign-in with Slack or Microsoft: the redirect a browser brings back, and the form
// bodies of the token requests (client credentials in the body). Wire shapes only; no I/O.
#include <string>
#include <string_view>
#include <variant>

namespace cxos::oauth {

// What the browser brought back: a code and the state, or the provider's `error` (access_denied
// when the person cancelled) and the state.
struct authorization_redirect {
    std::string code, state, error;
};
// The query string (without '?'); why it is refused when it is not what a provider sends (not URL
// encoding or UTF-8, a field named twice, a state of a shape cxos never makes, a code or error too
// long or of unexpected characters, neither a code nor an error, or both).
std::variant<authorization_redirect, std::string> decode_authorization_redirect(std::string_view query);

// grant_type=authorization_code with the client's id and secret, the code and (when not empty)
// the redirect URI the authorize link named. Microsoft requires the grant_type; Slack's
// oauth.v2.access and openid.connect.token take it as the spec says.
std::string authorization_code_body(std::string_view client_id, std::string_view client_secret, std::string_view code,
                                    std::string_view redirect_uri);
// grant_type=refresh_token: a rotating token (Slack's, with token rotation on) exchanged for a new one.
std::string refresh_token_body(std::string_view client_id, std::string_view client_secret,
                               std::string_view refresh_token);

} // namespace cxos::oauth
