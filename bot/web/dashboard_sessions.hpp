#pragma once
// People signed in to the dashboard (Sign in with Slack or Microsoft): server-side sessions. The
// cookie carries only a random id (HttpOnly, SameSite=Lax so it survives the provider's redirect
// back, Secure behind TLS); the store keeps its hash. A session ends when unused for
// dashboard.session_idle_hours, dashboard.session_days after signing in, at sign-out, when the
// person signs out everywhere, or when an operator revokes the person's sessions
// (`cxos sessions revoke <user id>`).
#include "bot/core/config.hpp"
#include "bot/server/http_server.hpp"
#include "storage/commit_queue.hpp"
#include "storage/store.hpp"

#include <functional>
#include <optional>

namespace cxos::bot {

inline constexpr std::string_view dashboard_session_cookie = "cxos_session";

// Whether the browser reached cxos over TLS: a TLS proxy says so with X-Forwarded-Proto, and a
// public_url of https:// says every browser comes that way.
bool served_securely(const http_request& req, const app_config& config);

class dashboard_sessions {
  public:
    dashboard_sessions(storage::commit_queue& queue, const app_config& config, std::function<millis()> clock)
        : queue_(queue), config_(config), clock_(std::move(clock)) {}

    // The live session the request's cookie names; nothing without one, or when it ended.
    boost::asio::awaitable<std::optional<storage::dashboard_session>> find(const http_request& req);
    // Starts a session for a signed-in person; the Set-Cookie value that carries it.
    boost::asio::awaitable<std::string> start(const http_request& req, const storage::dashboard_session& who);
    // Signs the request's session out; the Set-Cookie value that clears the cookie.
    boost::asio::awaitable<std::string> end(const http_request& req);
    // The person the request's live session belongs to and their live sessions on the platform
    // they signed in with (this one included); without a live session, nobody and 0.
    struct everywhere {
        std::optional<storage::dashboard_session> who;
        int sessions = 0;
        std::string cleared_cookie; // end_everywhere: the Set-Cookie value that clears this browser's cookie
    };
    // What signing out everywhere would end; ends nothing.
    boost::asio::awaitable<everywhere> count_everywhere(const http_request& req) { return everywhere_of(req, false); }
    // Signs out every one of those sessions; `sessions` says how many ended.
    boost::asio::awaitable<everywhere> end_everywhere(const http_request& req) { return everywhere_of(req, true); }

  private:
    boost::asio::awaitable<everywhere> everywhere_of(const http_request& req, bool end);
    std::string cookie(const http_request& req, std::string_view id, millis max_age) const;

    storage::commit_queue& queue_;
    const app_config& config_;
    std::function<millis()> clock_;
};

} // namespace cxos::bot
