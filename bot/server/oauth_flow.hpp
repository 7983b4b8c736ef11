#pragma once
// The browser side of an OAuth or OpenID Connect flow, shared by "Add to Slack" and the
// dashboard's sign-in: a random `state` stored as a hash with the hash of a second random value
// the browser keeps in a cookie, so the redirect back is honoured only once, within 10 minutes,
// in the browser that started it. Also the cookie and HTML helpers such pages need.
#include "bot/core/clock.hpp"
#include "bot/server/http_server.hpp"
#include "storage/commit_queue.hpp"

#include <string>
#include <string_view>

namespace cxos::bot {

inline constexpr millis oauth_flow_lifetime = 10 * 60 * 1000;

struct started_flow {
    std::string state;   // for the provider's link
    std::string browser; // for the cookie; never leaves this browser and cxos
};
// Remembers a new flow for `purpose` ("slack_install", "signin_slack", …).
boost::asio::awaitable<started_flow> start_oauth_flow(storage::commit_queue& queue, const std::string& purpose, millis now);

enum class flow_check { ok, unknown, used, expired, other_browser };
// Uses up the flow `state` names (whatever the outcome, it can never be tried twice) and says
// whether the redirect may go on: started here for `purpose`, unused, in time, in this browser.
boost::asio::awaitable<flow_check> finish_oauth_flow(storage::commit_queue& queue, const std::string& state,
                                                     const std::string& purpose, const std::string& browser, millis now);

// The value of cookie `name` in a Cookie header; empty when it is not there.
std::string cookie_value(std::string_view header, std::string_view name);
// Text made safe to put in HTML.
std::string html_text(std::string_view text);

} // namespace cxos::bot
