#pragma once
// Which bot token a Slack call uses. A single-token deployment has SLACK_BOT_TOKEN and nothing
// else; with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, cxos is installed into workspaces through
// "Add to Slack" and keeps each workspace's token (sealed under CXOS_ENCRYPTION_KEY) in the store.
// Every call names the workspace it concerns: its installation's token, else SLACK_BOT_TOKEN; a
// call naming no workspace uses SLACK_BOT_TOKEN or, without one, the only installation.
//
// Tokens that rotate are refreshed before they expire, one refresh per workspace at a time:
// concurrent sends wait for the refresh under way instead of starting their own, and other
// instances on the same PostgreSQL database wait for it through the store (a lead per
// workspace). Runs on the io thread; the store is reached through the commit queue.
#include "adapters/slack/oauth.hpp"
#include "bot/core/flight_gate.hpp"
#include "bot/core/secret_box.hpp"
#include "bot/server/http_client.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace cxos::bot {

// SLACK_CLIENT_ID / SLACK_CLIENT_SECRET and the key that seals tokens at rest.
struct slack_app_credentials {
    std::string client_id;
    std::string client_secret;
    secret_box box;
};

struct workspace_token {
    std::string token; // empty when there is none: then `error` says why
    std::string error;
    bool permanent = false; // no retry finds one (not installed there); else try again later
    bool installed = false; // an installation's token (not SLACK_BOT_TOKEN)
};

// Whether `allowed_teams` (empty: any) names the install's workspace or its Enterprise Grid org.
bool install_allowed(const slack::installed_bot& bot, const std::vector<std::string>& allowed_teams);

class slack_workspaces {
  public:
    slack_workspaces(boost::asio::any_io_executor ex, http_client& client, endpoint_url api, std::string default_token,
                     std::optional<slack_app_credentials> app, storage::commit_queue& queue);

    // Whether workspaces can be installed (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set).
    bool installable() const { return app_.has_value(); }
    const std::string& client_id() const;
    bool has_default_token() const { return !default_token_.empty(); }

    boost::asio::awaitable<workspace_token> token_for(const std::string& workspace);

    // An install into a workspace `allowed_teams` does not name: nothing stored, the token revoked.
    struct not_allowed {
        std::string workspace, team_name;
    };
    using install_result = std::variant<slack::installed_bot, std::string, not_allowed>;
    // The end of "Add to Slack": exchanges the redirect's code for the workspace's bot token and
    // stores it when the workspace (or its org) is in `allowed_teams` (empty: any). The
    // installation, Slack's (or the store's) error, or the refusal.
    boost::asio::awaitable<install_result> install(const std::string& code, const std::string& redirect_uri,
                                                   const std::vector<std::string>& allowed_teams);
    // app_uninstalled / tokens_revoked: forgets the tokens Slack took back. How many went.
    boost::asio::awaitable<int> forget(const slack::app_lifecycle_event& event);
    // A workspace refused its installation's token: drop the cached copy, the store may hold a
    // newer one (another instance refreshed or a reinstall happened).
    void token_refused(const std::string& workspace) { cache_.erase(workspace); }

  private:
    struct cached {
        storage::slack_installation row; // sealed, as stored
        std::string token;               // open
        std::string refresh_token;       // open; empty without rotation
    };
    struct refresh_flight {
        explicit refresh_flight(const boost::asio::any_io_executor& ex) : gate(ex) {}
        flight_gate gate; // the refresh's end wakes the waiters
        workspace_token result;
    };

    // The installation under `workspace` (cache, else store); nothing when there is none.
    boost::asio::awaitable<std::optional<cached>> installation(const std::string& workspace);
    boost::asio::awaitable<workspace_token> fresh_token(const std::string& workspace, cached c);
    boost::asio::awaitable<workspace_token> refresh(const std::string& workspace);
    // Under the store's refresh lead (or waiting for whoever holds it), then refresh_with.
    boost::asio::awaitable<workspace_token> refresh_once(const std::string& workspace);
    // Slack's refresh of `current`, stored.
    boost::asio::awaitable<workspace_token> refresh_with(const std::string& workspace, const cached& current);
    std::optional<cached> open(const storage::slack_installation& row) const;
    storage::slack_installation seal(const slack::installed_bot& bot, millis now) const;
    bool due_for_refresh(const cached& c) const;

    boost::asio::any_io_executor executor_;
    http_client& client_;
    endpoint_url api_;
    std::string default_token_;
    std::optional<slack_app_credentials> app_;
    storage::commit_queue& queue_;
    std::map<std::string, cached> cache_;
    std::map<std::string, std::shared_ptr<refresh_flight>> refreshing_;
};

} // namespace cxos::bot
