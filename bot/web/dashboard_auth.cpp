#include "bot/web/dashboard_auth.hpp"

#include "bot/server/oauth_flow.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cxos::bot {

namespace {
constexpr std::string_view session_label = "cxos dashboard session v1";
} // namespace

dashboard_auth::dashboard_auth(std::string token) : token_(std::move(token)), session_(mac(session_label)) {}

std::string dashboard_auth::mac(std::string_view text) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), token_.data(), static_cast<int>(token_.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), out, &len);
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    for (unsigned int i = 0; i < len; ++i) {
        s.push_back(hex[out[i] >> 4]);
        s.push_back(hex[out[i] & 0xf]);
    }
    return s;
}

bool dashboard_auth::equal(std::string_view a, std::string_view b) const {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool dashboard_auth::is_token(std::string_view given) const {
    if (token_.empty()) return false; // no token: nothing opens with one
    // Both sides through the HMAC first: equal lengths, so the compare leaks nothing about the token's.
    return equal(mac(given), mac(token_));
}

bool dashboard_auth::allows(const http_request& req) const {
    namespace http = boost::beast::http;
    auto authorization = std::string_view(req[http::field::authorization]);
    constexpr std::string_view bearer = "Bearer ";
    if (authorization.substr(0, bearer.size()) == bearer && is_token(authorization.substr(bearer.size()))) return true;
    if (signin() || token_.empty()) return false;
    const auto cookie = cookie_value(req[http::field::cookie], dashboard_cookie_name);
    return !cookie.empty() && equal(cookie, session_);
}

boost::asio::awaitable<bool> dashboard_auth::admits(const http_request& req) const {
    if (allows(req)) co_return true;
    if (!signin()) co_return false;
    auto session = co_await sessions_->find(req);
    if (!session) co_return false;
    const actor who{session->platform, session->team_id, session->user_id, session->user_name, ""};
    auto verdict = co_await access_->may_see(who);
    co_return verdict.allowed || !verdict.error.empty();
}

std::string dashboard_auth::session_cookie(bool secure) const {
    return std::string(dashboard_cookie_name) + "=" + session_ + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000" +
           (secure ? "; Secure" : "");
}

std::int64_t dashboard_auth::login_wait_seconds(std::int64_t now_seconds) const {
    if (now_seconds - window_start_ >= 60) return 0;
    return failures_in_window_ >= max_failed_logins ? 60 - (now_seconds - window_start_) : 0;
}

void dashboard_auth::login_failed(std::int64_t now_seconds) const {
    if (now_seconds - window_start_ >= 60) {
        window_start_ = now_seconds;
        failures_in_window_ = 0;
    }
    ++failures_in_window_;
}

} // namespace cxos::bot
