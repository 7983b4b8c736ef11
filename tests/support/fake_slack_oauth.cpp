#include "tests/support/fake_slack_oauth.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>

namespace cxos::test {

using nlohmann::json;

namespace {

std::map<std::string, std::string> params_of(const boost::urls::url_view& u) {
    std::map<std::string, std::string> out;
    for (auto p : u.params()) out[p.key] = p.value;
    return out;
}

std::map<std::string, std::string> form_of(const std::string& body) {
    const std::string query = "?" + body; // the view below points into it
    auto u = boost::urls::parse_uri_reference(query);
    return u ? params_of(*u) : std::map<std::string, std::string>{};
}

std::string value(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? std::string() : it->second;
}

} // namespace

struct fake_slack_oauth::impl {
    std::string client_id, client_secret;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    bool held = false;
    struct pending_code {
        fake_workspace into;
        std::string redirect_uri, scope;
    };
    std::map<std::string, pending_code> codes;     // single use
    std::map<std::string, fake_workspace> refresh; // refresh token -> its workspace, as now
    std::map<std::string, std::string> current;    // team id -> bot token in use
    int next = 0;
    fake_oauth_state state;

    loopback_response refuse(const std::string& error) {
        state.errors.push_back(error);
        return loopback_response::with_json(200, {{"ok", false}, {"error", error}});
    }

    // Slack's oauth.v2.access answer for a bot install (or refresh) of `w`.
    json answer(const fake_workspace& w, const std::string& scope, std::string& refresh_token) {
        json out = {{"ok", true},
                    {"app_id", "A0CXOS"},
                    {"authed_user", {{"id", w.installer}}},
                    {"scope", scope},
                    {"token_type", "bot"},
                    {"access_token", w.bot_token},
                    {"bot_user_id", w.bot_user_id},
                    {"team", {{"id", w.team_id}, {"name", w.team_name}}},
                    {"enterprise", w.enterprise_id.empty() ? json(nullptr) : json{{"id", w.enterprise_id}, {"name", "Org"}}},
                    {"is_enterprise_install", false}};
        if (w.expires_in > 0) {
            refresh_token = "xoxe-1-refresh-" + w.team_id + "-" + std::to_string(++next);
            out["refresh_token"] = refresh_token;
            out["expires_in"] = w.expires_in;
        }
        return out;
    }
};

fake_slack_oauth::fake_slack_oauth(fake_slack& web, std::string client_id, std::string client_secret)
    : web_(web), impl_(std::make_shared<impl>()) {
    impl_->client_id = std::move(client_id);
    impl_->client_secret = std::move(client_secret);
    web_.serve_method("oauth.v2.access", [i = impl_, &web = web_](const loopback_request& req) {
        auto form = form_of(req.body);
        std::unique_lock lock(i->mutex);
        const bool refreshing = value(form, "grant_type") == "refresh_token";
        ++(refreshing ? i->state.refreshes : i->state.exchanges);
        i->changed.notify_all();
        if (refreshing) i->changed.wait(lock, [&] { return !i->held; });
        if (req.method != "POST") return i->refuse("invalid_request");
        if (value(form, "client_id") != i->client_id) return i->refuse("invalid_client_id");
        if (value(form, "client_secret") != i->client_secret) return i->refuse("bad_client_secret");
        std::string refresh_token;
        if (refreshing) {
            auto it = i->refresh.find(value(form, "refresh_token"));
            if (it == i->refresh.end()) return i->refuse("invalid_refresh_token");
            auto w = it->second;
            i->refresh.erase(it);
            web.accept_workspace_token(w.bot_token, false); // the old token stops at once here
            w.bot_token = "xoxe.xoxb-" + w.team_id + "-" + std::to_string(++i->next);
            w.expires_in = 12 * 3600; // as Slack's rotated tokens: twelve hours
            auto out = i->answer(w, "chat:write", refresh_token);
            i->refresh.emplace(refresh_token, w);
            i->current[w.team_id] = w.bot_token;
            web.accept_workspace_token(w.bot_token);
            return loopback_response::with_json(200, out);
        }
        auto it = i->codes.find(value(form, "code"));
        if (it == i->codes.end()) return i->refuse("invalid_code");
        auto pending = it->second;
        i->codes.erase(it);
        if (!pending.redirect_uri.empty() && value(form, "redirect_uri") != pending.redirect_uri)
            return i->refuse("bad_redirect_uri");
        auto out = i->answer(pending.into, pending.scope, refresh_token);
        if (!refresh_token.empty()) i->refresh.emplace(refresh_token, pending.into);
        i->current[pending.into.team_id] = pending.into.bot_token;
        web.accept_workspace_token(pending.into.bot_token);
        return loopback_response::with_json(200, out);
    });
    // auth.revoke: the token that calls it stops working (Slack answers revoked: true).
    web_.serve_method("auth.revoke", [i = impl_, &web = web_](const loopback_request& req) {
        const auto auth = req.header("authorization");
        const std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : value(form_of(req.body), "token");
        std::lock_guard lock(i->mutex);
        if (token.empty()) return i->refuse("not_authed");
        web.accept_workspace_token(token, false);
        i->state.revoked.push_back(token);
        i->changed.notify_all();
        return loopback_response::with_json(200, {{"ok", true}, {"revoked", true}});
    });
}

fake_slack_oauth::~fake_slack_oauth() {
    hold_refreshes(false); // a test that failed while holding must not leave a session waiting
    web_.serve_method("oauth.v2.access", {});
    web_.serve_method("auth.revoke", {});
}

fake_approval fake_slack_oauth::approve(const std::string& link, const fake_workspace& into) {
    auto u = boost::urls::parse_uri(link);
    if (!u || link.rfind(authorize_url() + "?", 0) != 0) throw std::runtime_error("not the authorize page: " + link);
    auto params = params_of(*u);
    std::lock_guard lock(impl_->mutex);
    if (value(params, "client_id") != impl_->client_id) throw std::runtime_error("another app's link: " + link);
    fake_approval out{"c." + std::to_string(++impl_->next) + "." + into.team_id, value(params, "state"),
                      value(params, "scope"), value(params, "redirect_uri")};
    impl_->codes[out.code] = impl::pending_code{into, out.redirect_uri, out.scope};
    return out;
}

bool fake_slack_oauth::wait_for(const std::function<bool(const fake_oauth_state&)>& pred,
                                std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->state); });
}

void fake_slack_oauth::hold_refreshes(bool held) {
    std::lock_guard lock(impl_->mutex);
    impl_->held = held;
    impl_->changed.notify_all();
}

fake_oauth_state fake_slack_oauth::state() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->state;
}

std::string fake_slack_oauth::current_token(const std::string& team_id) const {
    std::lock_guard lock(impl_->mutex);
    return value(impl_->current, team_id);
}

} // namespace cxos::test
