#pragma once
// Slack Socket Mode: instead of Slack calling POST /slack/events, cxos dials Slack and keeps
// `connections` WebSockets open (Slack recommends more than one, so a refresh or a drop never
// leaves it deaf). Each connection slot asks `apps.connections.open` for a URL with the app-level
// token, connects, and when Slack asks for a refresh opens the replacement *before* it lets the
// old connection close; a lost connection is redialled with exponential backoff and jitter.
// `link_disabled` (Socket Mode turned off for the app) stops it for good, saying why.
#include "bot/core/config.hpp"
#include "bot/server/http_client.hpp"
#include "bot/slack/slack_socket_session.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>

namespace cxos::bot {

struct socket_mode_settings {
    endpoint_url api;      // slack.api_url: apps.connections.open is called there
    std::string app_token; // SLACK_APP_TOKEN, xapp-…: never logged
    int connections = 2;
    socket_timeouts timeouts;
    std::chrono::milliseconds backoff_first{500}; // the first redial waits half to all of this
    std::chrono::milliseconds backoff_max{60000};
};

// The settings from the config, with the app-level token from the environment.
socket_mode_settings socket_mode_settings_from(const app_config& config, std::string app_token);

class slack_socket_mode {
  public:
    slack_socket_mode(boost::asio::any_io_executor ex, http_client& web, socket_mode_settings settings,
                      slack_request_handler handler);
    ~slack_socket_mode();
    slack_socket_mode(const slack_socket_mode&) = delete;
    slack_socket_mode& operator=(const slack_socket_mode&) = delete;

    void start();
    // No more connections; each open one closes once the envelopes it is handling are acknowledged.
    void stop();
    // True while an envelope awaits its ack or a connection has not finished closing: a
    // graceful stop waits for that (bounded).
    bool busy() const;

    struct state; // shared with the connection slots' coroutines (slack_socket_mode.cpp)

  private:
    std::shared_ptr<state> state_;
};

// Why Socket Mode cannot start with these environment values (SLACK_BOT_TOKEN, SLACK_APP_TOKEN;
// either may be null); empty when it can. The signing secret is not needed: nothing comes over HTTP.
std::string socket_mode_credentials_problem(const char* bot_token, const char* app_token);

// What `cxos serve` prints about how Slack reaches it.
std::string describe_slack_transport(const app_config& config);

} // namespace cxos::bot
