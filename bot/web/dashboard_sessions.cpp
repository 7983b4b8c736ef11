#include "bot/web/dashboard_sessions.hpp"

#include "bot/core/secret_box.hpp"
#include "bot/core/store_call.hpp"
#include "bot/server/oauth_flow.hpp"

namespace cxos::bot {

namespace {
constexpr millis hour = 60 * 60 * 1000;
} // namespace

bool served_securely(const http_request& req, const app_config& config) {
    return req["X-Forwarded-Proto"] == "https" || config.public_url.rfind("https://", 0) == 0;
}

std::string dashboard_sessions::cookie(const http_request& req, std::string_view id, millis max_age) const {
    return std::string(dashboard_session_cookie) + "=" + std::string(id) + "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" +
           std::to_string(max_age / 1000) + (served_securely(req, config_) ? "; Secure" : "");
}

boost::asio::awaitable<std::optional<storage::dashboard_session>> dashboard_sessions::find(const http_request& req) {
    const auto id = cookie_value(req[boost::beast::http::field::cookie], dashboard_session_cookie);
    if (id.empty() || id.size() > 64) co_return std::nullopt;
    auto use = store_call(queue_, [hash = sha256_hex(id), now = clock_(),
                                   idle = config_.dashboard.session_idle_hours * hour](storage::store& st) {
        return st.use_dashboard_session(hash, now, idle);
    });
    auto session = co_await std::move(use);
    co_return session;
}

boost::asio::awaitable<std::string> dashboard_sessions::start(const http_request& req, const storage::dashboard_session& who) {
    auto person = who;
    const auto id = random_token();
    const millis now = clock_(), lifetime = config_.dashboard.session_days * 24 * hour;
    person.id_hash = sha256_hex(id);
    person.created_at = person.last_seen_at = now;
    person.expires_at = now + lifetime;
    auto insert = store_call(queue_, [person](storage::store& st) {
        st.insert_dashboard_session(person);
        return true;
    });
    co_await std::move(insert);
    co_return cookie(req, id, lifetime);
}

boost::asio::awaitable<std::string> dashboard_sessions::end(const http_request& req) {
    const auto id = cookie_value(req[boost::beast::http::field::cookie], dashboard_session_cookie);
    if (!id.empty() && id.size() <= 64) {
        auto forget = store_call(queue_, [hash = sha256_hex(id)](storage::store& st) { return st.delete_dashboard_session(hash); });
        co_await std::move(forget);
    }
    co_return cookie(req, "", 0);
}

boost::asio::awaitable<dashboard_sessions::everywhere> dashboard_sessions::everywhere_of(const http_request& req, bool end) {
    everywhere out;
    const auto id = cookie_value(req[boost::beast::http::field::cookie], dashboard_session_cookie);
    if (!id.empty() && id.size() <= 64) {
        // One batch: the session is checked live and its person's sessions are counted and end
        // together, so a session that ended a moment ago (idle, revoked) cannot sign anyone out,
        // and the count is the live sessions the confirm page promised (not rows left idle).
        auto batch = store_call(queue_, [hash = sha256_hex(id), now = clock_(),
                                         idle = config_.dashboard.session_idle_hours * hour, end](storage::store& st) {
            everywhere found;
            found.who = st.use_dashboard_session(hash, now, idle);
            if (!found.who) return found;
            found.sessions = st.live_dashboard_sessions_of(found.who->platform, found.who->user_id, now, idle);
            if (end) st.end_dashboard_sessions_of(found.who->platform, found.who->user_id);
            return found;
        });
        out = co_await std::move(batch);
    }
    if (end) out.cleared_cookie = cookie(req, "", 0);
    co_return out;
}

} // namespace cxos::bot
