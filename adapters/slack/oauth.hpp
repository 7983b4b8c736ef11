#pragma once
// Installing cxos into a workspace (OAuth v2): the "Add to Slack" link, the redirect Slack sends
// the browser back with, `oauth.v2.access` (a code, or a refresh token when the app rotates its
// tokens) and the events that take an installation away. Wire shapes only; no I/O.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxos::slack {

// The link to Slack's `oauth/v2/authorize` with the app's client id, the bot scopes, the state
// and (when known) the redirect URI registered with the app.
std::string authorize_link(std::string_view authorize_url, std::string_view client_id,
                           const std::vector<std::string>& scopes, std::string_view state,
                           std::string_view redirect_uri);

// What the browser brought back to /slack/oauth_redirect: a code and the state, or Slack's
// `error` (access_denied when the person cancelled) and the state.
struct oauth_redirect {
    std::string code;
    std::string state;
    std::string error;
};
// The query string (without '?'); the reason it is refused when it is not what Slack sends
// (bytes that are not UTF-8, a state or code of the wrong shape or size, neither code nor error).
std::variant<oauth_redirect, std::string> decode_oauth_redirect(std::string_view query);

// Form bodies for oauth.v2.access: exchanging the redirect's code, or refreshing a rotating token.
std::string oauth_access_body(std::string_view client_id, std::string_view client_secret, std::string_view code,
                              std::string_view redirect_uri);
std::string oauth_refresh_body(std::string_view client_id, std::string_view client_secret,
                               std::string_view refresh_token);

// What oauth.v2.access answered: the bot's token for a workspace (or an Enterprise Grid org).
struct installed_bot {
    std::string team_id, team_name;
    std::string enterprise_id;
    bool enterprise_install = false; // org-wide: the token serves every workspace of the org
    std::string bot_user_id;
    std::string bot_token;
    std::string scopes;
    std::string installed_by;  // authed_user.id
    std::string refresh_token; // with token rotation only
    std::int64_t expires_in = 0; // seconds; 0 without token rotation
    // The installation's key: the team, or the org for an org-wide install.
    const std::string& workspace() const { return enterprise_install ? enterprise_id : team_id; }
};
// Slack's error ("invalid_code", …) or why the answer is not one cxos can use.
std::variant<installed_bot, std::string> read_oauth_access(unsigned http_status, std::string_view body);

// Events that end an installation: `app_uninstalled`, and `tokens_revoked` naming bot users
// whose tokens were revoked. Nothing for any other event, or when the ids are malformed.
struct app_lifecycle_event {
    bool uninstalled = false; // else tokens_revoked
    std::string team_id;
    std::string enterprise_id;
    std::vector<std::string> revoked_bots; // tokens_revoked: the bot users whose tokens went
};
std::optional<app_lifecycle_event> decode_app_lifecycle(const nlohmann::json& envelope);

} // namespace cxos::slack
