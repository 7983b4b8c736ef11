#pragma once
// Who may see the KPI dashboard and its API: whoever holds CXOS_DASHBOARD_TOKEN, as a bearer
// token (scripts, the API) or, while sign-in is off, as the cookie POST /dashboard/login sets (an
// HMAC of the token, never the token; every comparison is constant-time). With sign-in on
// (dashboard_sessions.hpp), browsers come in only as a person: a live session of someone the
// allow-list admits; the shared token's form and cookie are off, so removing one person never
// means rotating a secret everyone shares.
#include "bot/server/http_server.hpp"
#include "bot/services/dashboard_access.hpp"
#include "bot/web/dashboard_sessions.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxos::bot {

inline constexpr std::string_view dashboard_cookie_name = "cxos_dashboard";

class dashboard_auth {
  public:
    // An empty token: no bearer access, sign-in only.
    explicit dashboard_auth(std::string token);

    // Sign-in on: `links` are the providers' start pages ({"slack", "Sign in with Slack"}, …).
    void use_signin(dashboard_sessions& sessions, dashboard_access& access,
                    std::vector<std::pair<std::string, std::string>> links) {
        sessions_ = &sessions;
        access_ = &access;
        links_ = std::move(links);
    }
    bool signin() const { return sessions_ != nullptr; }
    dashboard_sessions* sessions() const { return sessions_; }
    const std::vector<std::pair<std::string, std::string>>& signin_links() const { return links_; }
    bool has_token() const { return !token_.empty(); }

    // `Authorization: Bearer <token>`, the shared-token cookie (sign-in off), or a live session of
    // a person the allow-list admits (sign-in on; a platform that does not answer keeps them in:
    // they were admitted when they signed in).
    boost::asio::awaitable<bool> admits(const http_request& req) const;
    // The synchronous part: the bearer token, or the shared-token cookie while sign-in is off.
    bool allows(const http_request& req) const;
    // True when `given` is the token (the login form).
    bool is_token(std::string_view given) const;
    // The Set-Cookie value that logs a browser in: HttpOnly, SameSite=Strict, Path=/, and Secure
    // when the request came through HTTPS (a TLS proxy says so with X-Forwarded-Proto: https).
    std::string session_cookie(bool secure = false) const;

    // Guessing the token through the login form is slowed down: after `max_failed_logins` wrong
    // tokens within a minute, logins wait until that minute is over (seconds to wait; 0: go on).
    static constexpr int max_failed_logins = 10;
    std::int64_t login_wait_seconds(std::int64_t now_seconds) const;
    void login_failed(std::int64_t now_seconds) const;

  private:
    std::string mac(std::string_view text) const;
    bool equal(std::string_view a, std::string_view b) const;

    std::string token_;
    dashboard_sessions* sessions_ = nullptr;
    dashboard_access* access_ = nullptr;
    std::vector<std::pair<std::string, std::string>> links_;
    std::string session_; // the cookie's value: HMAC-SHA256(token, label), hex
    // The io thread is the only caller, so the throttle needs no lock.
    mutable std::int64_t window_start_ = 0;
    mutable int failures_in_window_ = 0;
};

} // namespace cxos::bot
