#pragma once
// Installing cxos into a workspace (OAuth v2): the "Add to Slack" link, the answer of
// `oauth.v2.access` (a code, or a refresh token when the app rotates its tokens) and the events
// that take an installation away. The redirect Slack sends the browser back with and the
// requests' form bodies are OAuth's own (adapters/oauth/authorization_code.hpp). Wire shapes only.
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
