#pragma once
// Installing cxos into a Slack workspace from a link ("Add to Slack", OAuth v2):
//   GET /slack/install         the page with the link to Slack's oauth/v2/authorize; its `state`
//                              is random, stored as a hash, bound to this browser by a cookie,
//                              single use and valid 10 minutes
//   GET /slack/oauth_redirect  where Slack sends the browser back: the state is checked first (a
//                              forged, replayed or expired one is refused with a page saying so,
//                              and no token is asked for), then oauth.v2.access gives the
//                              workspace's bot token, stored sealed (slack_workspaces.hpp)
// Registered only when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.
#include "bot/core/live_config.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/server/oauth_flow.hpp"
#include "bot/slack/slack_workspaces.hpp"

#include <functional>

namespace cxos::bot {

inline constexpr std::string_view slack_install_cookie = "cxos_slack_install";

class slack_install_endpoint final : public endpoint {
  public:
    slack_install_endpoint(slack_workspaces& workspaces, const live_config& config, storage::commit_queue& queue,
                           std::function<millis()> clock)
        : workspaces_(workspaces), config_(config), queue_(queue), clock_(std::move(clock)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    boost::asio::awaitable<http_response> start(const http_request& req);
    boost::asio::awaitable<http_response> finish(const http_request& req);
    // Where Slack sends the browser back: named only when public_url says where cxos is.
    std::string redirect_uri(const app_config& config) const;

    slack_workspaces& workspaces_;
    const live_config& config_;
    storage::commit_queue& queue_;
    std::function<millis()> clock_;
};

} // namespace cxos::bot
