#pragma once
// Who may see the KPI dashboard and its API: whoever holds CXOS_DASHBOARD_TOKEN, as a bearer
// token or as the session cookie POST /dashboard/login sets. The cookie carries an HMAC of the
// token, never the token; every comparison is constant-time.
#include "bot/server/http_server.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace cxos::bot {

inline constexpr std::string_view dashboard_cookie_name = "cxos_dashboard";

class dashboard_auth {
  public:
    explicit dashboard_auth(std::string token);

    // True for `Authorization: Bearer <token>` or the session cookie.
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
    std::string session_; // the cookie's value: HMAC-SHA256(token, label), hex
    // The io thread is the only caller, so the throttle needs no lock.
    mutable std::int64_t window_start_ = 0;
    mutable int failures_in_window_ = 0;
};

} // namespace cxos::bot
