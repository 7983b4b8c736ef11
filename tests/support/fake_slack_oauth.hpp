#pragma once
// Slack's side of "Add to Slack" (OAuth v2) on a fake_slack: what the authorize page does when a
// person approves the link (a single-use code for the redirect) and `oauth.v2.access` on the
// fake's Web API, which checks the client credentials, the code and the redirect URI, answers in
// Slack's shape, and makes the fake accept the workspace's new bot token. With `rotating`, the
// answer carries a refresh token and an expiry, and grant_type=refresh_token swaps the pair.
#include "tests/support/fake_slack.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace cxos::test {

// The workspace a person installs into, and what Slack hands back for it.
struct fake_workspace {
    std::string team_id;
    std::string team_name;
    std::string bot_token;
    std::string bot_user_id = "U0CXOSBOT";
    std::string enterprise_id;
    std::string installer = "U0ADMIN";
    long long expires_in = 0; // > 0: the token rotates (a refresh token comes with it)
};

// What the browser is sent back with after approving.
struct fake_approval {
    std::string code, state, scope, redirect_uri;
};

struct fake_oauth_state {
    int exchanges = 0; // oauth.v2.access calls with a code, answered or refused
    int refreshes = 0; // ... with grant_type=refresh_token
    std::vector<std::string> errors; // what each refused call was told
    std::vector<std::string> revoked; // bot tokens revoked with auth.revoke
};

class fake_slack_oauth {
  public:
    fake_slack_oauth(fake_slack& web, std::string client_id, std::string client_secret);
    ~fake_slack_oauth();

    // Where config's slack.install.authorize_url points: never fetched, only compared.
    std::string authorize_url() const { return web_.api_url() + "/oauth/v2/authorize"; }
    // A person approves the "Add to Slack" `link` for `into`: checks it is this app's link to the
    // authorize page, and returns the redirect's code and state (Slack keeps the state as is).
    fake_approval approve(const std::string& link, const fake_workspace& into);
    fake_oauth_state state() const;
    bool wait_for(const std::function<bool(const fake_oauth_state&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
    // While held, a refresh is counted as it arrives and answered only once released: the window
    // in which other sends need the same workspace's token.
    void hold_refreshes(bool held);
    // The token of a workspace stops working (revoked, or the app uninstalled there).
    void revoke(const std::string& bot_token) { web_.accept_workspace_token(bot_token, false); }
    // The bot token in use now for `team_id` (after refreshes, the newest).
    std::string current_token(const std::string& team_id) const;

  private:
    struct impl;
    fake_slack& web_;
    std::shared_ptr<impl> impl_;
};

} // namespace cxos::test
