#include "bot/signin/signin_endpoint.hpp"

#include "adapters/oauth/authorization_code.hpp"
#include "adapters/oauth/openid.hpp"
#include "bot/core/log.hpp"
#include "bot/core/secret_box.hpp"
#include "bot/server/oauth_flow.hpp"
#include "bot/web/dashboard_page.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view flow_cookie = "cxos_signin";
constexpr std::string_view prefix = "/dashboard/signin/";

endpoint_url url_or_empty(const std::string& text) {
    endpoint_url at;
    return parse_endpoint_url(text, at).empty() ? at : endpoint_url{};
}

// The id_token must carry this back: only the browser that started the sign-in knows `browser`.
std::string nonce_for(std::string_view browser) { return sha256_hex("cxos dashboard nonce " + std::string(browser)); }

} // namespace

signin_provider slack_signin_provider(const app_config& config, std::string client_id, std::string client_secret) {
    signin_provider p;
    p.name = p.platform = "slack";
    p.label = "Sign in with Slack";
    p.authorize_url = config.dashboard.slack_openid_url + "/authorize";
    p.token_url = config.slack_api;
    p.token_url.path += "/openid.connect.token";
    p.keys_url = url_or_empty(config.dashboard.slack_openid_url + "/keys");
    p.issuer = "https://slack.com";
    p.client_id = std::move(client_id);
    p.client_secret = std::move(client_secret);
    return p;
}

signin_provider microsoft_signin_provider(const app_config& config, std::string client_id, std::string client_secret,
                                          const std::string& app_tenant) {
    signin_provider p;
    p.name = "microsoft";
    p.platform = "teams";
    p.label = "Sign in with Microsoft";
    if (!app_tenant.empty()) p.tenants.insert(app_tenant);
    p.tenants.insert(config.dashboard.microsoft_tenants.begin(), config.dashboard.microsoft_tenants.end());
    // One tenant: its own endpoints; several: "organizations", and the tid claim decides.
    const std::string tenant = p.tenants.size() == 1 ? *p.tenants.begin() : "organizations";
    const auto base = config.dashboard.microsoft_login_url + "/" + tenant;
    p.authorize_url = base + "/oauth2/v2.0/authorize";
    p.token_url = url_or_empty(base + "/oauth2/v2.0/token");
    p.keys_url = url_or_empty(base + "/discovery/v2.0/keys");
    p.issuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
    p.client_id = std::move(client_id);
    p.client_secret = std::move(client_secret);
    return p;
}

signin_endpoint::signin_endpoint(std::vector<signin_provider> providers, dashboard_sessions& sessions,
                                 dashboard_access& access, http_client& client, const app_config& config,
                                 storage::commit_queue& queue, std::function<millis()> clock)
    : providers_(std::move(providers)), sessions_(sessions), access_(access), client_(client), config_(config),
      queue_(queue), clock_(std::move(clock)) {}

std::string signin_endpoint::redirect_uri(const signin_provider& p) const {
    return config_.public_url.empty() ? std::string() : config_.public_url + std::string(prefix) + p.name + "/callback";
}

boost::asio::awaitable<http_response> signin_endpoint::handle(http_request& req) {
    const auto target = std::string_view(req.target());
    auto rest = target.substr(prefix.size(), target.find('?') - prefix.size());
    const bool callback = rest.size() > 9 && rest.substr(rest.size() - 9) == "/callback";
    if (callback) rest.remove_suffix(9);
    for (auto& p : providers_) {
        if (p.name != rest) continue;
        if (callback) {
            auto res = co_await finish(req, p);
            co_return res;
        }
        auto res = co_await start(req, p);
        co_return res;
    }
    co_return text_response(404, "not found\n");
}

namespace {

http_response page(unsigned status, const std::string& message, bool again) {
    std::vector<signin_link> links;
    if (again) links.push_back({"signin-again", "/dashboard/login", "Sign in again"});
    auto res = make_response(status, "text/html; charset=utf-8", dashboard_signin_html(links, message));
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    return res;
}

} // namespace

boost::asio::awaitable<http_response> signin_endpoint::start(const http_request& req, const signin_provider& p) {
    const std::string purpose = "signin_" + p.name;
    const millis now = clock_();
    auto flow = co_await start_oauth_flow(queue_, purpose, now);
    auto res = page(303, "", false);
    res.set(http::field::location,
            oauth::openid_authorize_link(p.authorize_url, p.client_id, redirect_uri(p), flow.state, nonce_for(flow.browser)));
    // Lax: the browser comes back from the provider, a top-level navigation from another site.
    res.set(http::field::set_cookie, std::string(flow_cookie) + "=" + flow.browser + "; HttpOnly; SameSite=Lax; Path=" +
                                         std::string(prefix) + "; Max-Age=" + std::to_string(oauth_flow_lifetime / 1000) +
                                         (served_securely(req, config_) ? "; Secure" : ""));
    co_return res;
}

boost::asio::awaitable<void> signin_endpoint::refresh_keys(const signin_provider& p) {
    outbound_request get;
    get.method = http::verb::get;
    get.target = p.keys_url.path.empty() ? "/" : p.keys_url.path;
    get.timeout = std::chrono::milliseconds(5000);
    auto answer = co_await client_.send(p.keys_url, get);
    auto& cache = keys_[p.name];
    const std::int64_t now_s = clock_() / 1000;
    auto keys = answer.error.empty() && answer.status == 200 ? jwt::parse_jwks(answer.body)
                                                             : std::vector<jwt::signing_key>{};
    if (keys.empty()) {
        log_warn("sign-in keys could not be fetched", {{"provider", p.name}, {"error", answer.error}, {"status", answer.status}});
        cache.refresh_failed(now_s);
    } else {
        cache.refreshed(std::move(keys), now_s);
    }
}

boost::asio::awaitable<jwt::jwt_verdict> signin_endpoint::verify(signin_provider& p, const std::string& id_token,
                                                                 const std::string& nonce) {
    const std::int64_t now_s = clock_() / 1000;
    if (keys_[p.name].refresh_due(now_s)) co_await refresh_keys(p);
    const oauth::openid_expectations expect{p.issuer, p.client_id, nonce, now_s, 300};
    auto verdict = oauth::verify_openid_token(id_token, keys_[p.name].keys(), expect);
    // A key rolled over since the last fetch: fetch once more (at most hourly), then decide.
    if (verdict.failure == jwt::jwt_failure::unknown_key && keys_[p.name].may_refresh_for_unknown_kid(now_s)) {
        co_await refresh_keys(p);
        verdict = oauth::verify_openid_token(id_token, keys_[p.name].keys(), expect);
    }
    co_return verdict;
}

boost::asio::awaitable<http_response> signin_endpoint::finish(const http_request& req, signin_provider& p) {
    const auto target = std::string_view(req.target());
    const auto q = target.find('?');
    const auto query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    auto decoded = oauth::decode_authorization_redirect(query);
    const std::string clear_flow = std::string(flow_cookie) + "=; HttpOnly; SameSite=Lax; Path=" + std::string(prefix) + "; Max-Age=0";
    if (auto* problem = std::get_if<std::string>(&decoded)) {
        log_warn("dashboard sign-in redirect refused", {{"provider", p.name}, {"reason", *problem}});
        co_return page(400, "This is not an address a sign-in sends back (" + *problem + ").", true);
    }
    const auto redirect = std::get<oauth::authorization_redirect>(decoded);
    const std::string purpose = "signin_" + p.name;
    const auto browser = cookie_value(req[http::field::cookie], flow_cookie);
    const millis now = clock_();
    const auto check = co_await finish_oauth_flow(queue_, redirect.state, purpose, browser, now);
    std::string problem;
    if (check == flow_check::unknown) problem = "This sign-in was not started here: its state is unknown to cxos.";
    else if (check == flow_check::used) problem = "This sign-in link was used already. Each works once.";
    else if (check == flow_check::expired) problem = "This sign-in took longer than 10 minutes.";
    else if (check == flow_check::other_browser) problem = "This sign-in was started in another browser (or its cookie was blocked).";
    if (problem.empty() && !redirect.error.empty()) problem = "The sign-in was cancelled (" + redirect.error + ").";
    if (!problem.empty()) {
        log_warn("dashboard sign-in refused", {{"provider", p.name}, {"reason", problem}});
        auto res = page(403, problem, true);
        res.set(http::field::set_cookie, clear_flow);
        co_return res;
    }

    outbound_request exchange;
    exchange.target = p.token_url.path.empty() ? "/" : p.token_url.path;
    exchange.content_type = "application/x-www-form-urlencoded";
    exchange.body = oauth::authorization_code_body(p.client_id, p.client_secret, redirect.code, redirect_uri(p));
    auto answer = co_await client_.send(p.token_url, exchange);
    auto token = answer.error.empty() ? oauth::read_openid_token(answer.status, answer.body)
                                      : std::variant<std::string, std::string>(std::in_place_index<1>, answer.error);
    if (!oauth::is_id_token(token)) {
        log_warn("dashboard sign-in: no id_token", {{"provider", p.name}, {"error", std::get<1>(token)}});
        auto res = page(502, "The sign-in could not be completed: " + std::get<1>(token) + ".", true);
        res.set(http::field::set_cookie, clear_flow);
        co_return res;
    }
    const std::string id_token = std::get<0>(token), nonce = nonce_for(browser);
    auto verdict = co_await verify(p, id_token, nonce);
    const auto person = oauth::openid_person_of(p.platform, verdict.claims);
    std::string refusal;
    if (!verdict.ok()) refusal = "The identity the sign-in returned could not be verified (" + std::string(jwt::to_string(verdict.failure)) + ").";
    else if (!person.complete()) refusal = "The identity the sign-in returned names no person.";
    else if (!p.tenants.empty() && !p.tenants.count(person.team_id)) refusal = "Your organisation is not one this cxos serves.";
    if (!refusal.empty()) {
        log_warn("dashboard sign-in refused", {{"provider", p.name}, {"reason", refusal}, {"team", person.team_id}});
        auto res = page(403, refusal, true);
        res.set(http::field::set_cookie, clear_flow);
        co_return res;
    }

    const actor who{p.platform, person.team_id, person.user_id, person.name, ""};
    auto access = co_await access_.may_see(who);
    if (!access.allowed) {
        log_info("dashboard sign-in: not in an allowed channel",
                 {{"provider", p.name}, {"team", person.team_id}, {"user", person.user_id}, {"error", access.error}});
        auto res = access.error.empty()
                       ? page(403, "You are signed in as " + (person.name.empty() ? person.user_id : person.name) +
                                       ", but you are not in any of the allowed channels (" + access_.channels_text() +
                                       "). Ask to be added to one of them.", false)
                       : page(503, "cxos could not ask whether you are in an allowed channel (" + access.error +
                                       "). Try again in a moment.", true);
        res.set(http::field::set_cookie, clear_flow);
        co_return res;
    }
    storage::dashboard_session session;
    session.platform = p.platform;
    session.team_id = person.team_id;
    session.user_id = person.user_id;
    session.user_name = person.name;
    auto cookie = co_await sessions_.start(req, session);
    log_info("signed in to the dashboard", {{"provider", p.name}, {"team", person.team_id}, {"user", person.user_id}});
    auto res = page(303, "", false);
    res.set(http::field::location, "/dashboard");
    res.set(http::field::set_cookie, clear_flow);
    res.insert(http::field::set_cookie, cookie);
    co_return res;
}

} // namespace cxos::bot
