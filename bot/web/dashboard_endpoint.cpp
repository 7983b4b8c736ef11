#include "bot/web/dashboard_endpoint.hpp"

#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "bot/web/dashboard_page.hpp"
#include "bot/web/kpi_api.hpp"
#include "bot/web/outcome_api.hpp"
#include "bot/web/request_origin.hpp"
#include "commands/json_text.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>

namespace cxos::bot {

namespace http = boost::beast::http;

namespace {

// The pages run only the script and styles this server serves (no inline code, nothing from
// elsewhere) and talk only to this server.
void harden(http_response& res) {
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    // Other sites learn nothing of the page (no Referer), while the dashboard's own forms carry
    // its origin: under no-referrer a browser sends `Origin: null`, which is another page's.
    res.set("Referrer-Policy", "same-origin");
    res.set("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

http_response html_page(unsigned status, std::string body) {
    auto res = make_response(status, "text/html; charset=utf-8", std::move(body));
    harden(res);
    return res;
}

http_response api_answer(unsigned status, const nlohmann::json& body) {
    auto res = json_response(status, json_text(body) + (status == 200 ? "" : "\n"));
    harden(res);
    return res;
}

http_response api_error(unsigned status, const std::string& message) {
    return api_answer(status, nlohmann::json{{"error", message}});
}

// The login form's `token` field (application/x-www-form-urlencoded).
std::string token_of(std::string_view body) {
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    for (auto param : boost::urls::params_view(body, opts))
        if (param.key == "token") return std::string(param.value);
    return {};
}

} // namespace

http_response dashboard_endpoint::signin_page(unsigned status, const std::string& message) const {
    std::vector<signin_link> links;
    for (const auto& [provider, label] : auth_.signin_links())
        links.push_back({"signin-" + provider, "/dashboard/signin/" + provider, label});
    return html_page(status, dashboard_signin_html(links, message));
}

// Sign-in on only (the shared-token login has no per-person sessions, so there it is a sign-out).
// Without a live session it ends nothing and answers as /dashboard/signout does. The session
// cookie's SameSite=Lax keeps a cross-site form from carrying it here, as for /dashboard/signout.
boost::asio::awaitable<http_response> dashboard_endpoint::signout_everywhere(http_request& req) {
    auto done = co_await auth_.sessions()->end_everywhere(req);
    std::string message = "You are signed out.";
    if (done.who) {
        log_info("dashboard sessions ended everywhere by their person",
                 {{"platform", done.who->platform}, {"user_id", done.who->user_id}, {"sessions", done.sessions}});
        message = "Signed out of " + std::to_string(done.sessions) + (done.sessions == 1 ? " session." : " sessions.");
    }
    auto res = signin_page(200, message);
    res.set(http::field::set_cookie, done.cleared_cookie);
    co_return res;
}

// GET (sign-in on only): what signing out everywhere would end, and the one button, a POST to the
// same path, that ends it. Ending every session on every device is not one click away, and a
// link from anywhere may show this page but cannot act on it.
boost::asio::awaitable<http_response> dashboard_endpoint::confirm_signout_everywhere(http_request& req) {
    auto found = co_await auth_.sessions()->count_everywhere(req);
    if (!found.who) co_return signin_page(401, "You are not signed in, so there are no sessions to end.");
    const auto& who = found.who->user_name.empty() ? found.who->user_id : found.who->user_name;
    co_return html_page(200, dashboard_signout_everywhere_html(who, found.sessions));
}

boost::asio::awaitable<http_response> dashboard_endpoint::handle(http_request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    const bool everywhere = path == "/dashboard/signout-everywhere";
    // GET, and the HEAD the router lets through wherever GET goes, only ever show the confirm page.
    if (everywhere && req.method() != http::verb::post && auth_.sessions())
        co_return co_await confirm_signout_everywhere(req);
    // Only the dashboard's own page signs anyone out (request_origin.hpp says why and how).
    if ((path == "/dashboard/signout" || everywhere) && from_another_page(req, config_.get()->public_url))
        co_return signin_page(403, "A page that is not this dashboard asked to sign you out: nothing changed.");
    if (everywhere && auth_.sessions()) co_return co_await signout_everywhere(req);
    if (path == "/dashboard/signout" || everywhere) {
        auto res = auth_.signin() ? signin_page(200, "You are signed out.") : html_page(200, dashboard_login_html(false));
        if (auto* sessions = auth_.sessions()) {
            auto cleared = co_await sessions->end(req);
            res.set(http::field::set_cookie, cleared);
        } else {
            res.set(http::field::set_cookie, std::string(dashboard_cookie_name) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
        }
        co_return res;
    }
    if (path == "/dashboard/login" && auth_.signin()) {
        // Sign-in is on: the shared token opens the API only, never a browser session.
        if (req.method() == http::verb::post)
            co_return signin_page(403, "The shared token no longer opens the dashboard here: sign in as yourself.");
        co_return signin_page(200, "");
    }
    if (path == "/dashboard/login" && req.method() == http::verb::get) co_return html_page(200, dashboard_login_html(false));
    if (path == "/dashboard/login") {
        const std::int64_t now_s = clock_source::system_now() / 1000;
        if (auto wait = auth_.login_wait_seconds(now_s); wait > 0) {
            auto res = html_page(429, dashboard_login_html(true));
            res.set(http::field::retry_after, std::to_string(wait));
            co_return res;
        }
        if (!auth_.is_token(token_of(req.body()))) {
            auth_.login_failed(now_s);
            log_info("dashboard login refused");
            co_return html_page(401, dashboard_login_html(true));
        }
        auto res = html_page(303, "");
        res.set(http::field::location, "/dashboard");
        res.set(http::field::set_cookie, auth_.session_cookie(req["X-Forwarded-Proto"] == "https"));
        co_return res;
    }
    // The script and styles hold no figures: the login form needs the styles before any token.
    if (path == "/dashboard/app.js" || path == "/dashboard/item.js" || path == "/dashboard/app.css") {
        const bool script = path != "/dashboard/app.css";
        auto res = make_response(200, script ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
                                 std::string(path == "/dashboard/app.js" ? dashboard_js
                                             : script                    ? dashboard_item_js
                                                                         : dashboard_css));
        harden(res);
        co_return res;
    }
    // An item's page holds no figures either: its script reads them from /api/v1/items/<id>.
    const bool for_item = item_id_in_path(path, "/dashboard/items/").has_value();
    if (path != "/dashboard" && !for_item) co_return text_response(404, "not found\n");
    const bool admitted = co_await auth_.admits(req);
    if (!admitted) co_return auth_.signin() ? signin_page(401, "") : html_page(401, dashboard_login_html(false));
    co_return html_page(200, for_item ? std::string(dashboard_item_html) : dashboard_html(auth_.signin()));
}

http_response kpi_api_endpoint::unavailable(const service_failure& f) {
    auto res = api_error(503, f.busy ? "cxos is busy storing signals; ask again in a moment"
                                     : "cxos cannot read its store right now; ask again in a moment");
    res.set(http::field::retry_after, f.busy ? "1" : "30");
    return res;
}

boost::asio::awaitable<http_response> kpi_api_endpoint::handle(http_request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    const bool admitted = co_await auth_.admits(req);
    if (!admitted)
        co_return api_error(401, auth_.signin() ? "send Authorization: Bearer <CXOS_DASHBOARD_TOKEN> or sign in at /dashboard/login"
                                                : "send Authorization: Bearer <CXOS_DASHBOARD_TOKEN> or log in at /dashboard");
    const auto config = deps_.config.get();
    if (auto id = item_id_in_path(path, "/api/v1/items/")) {
        auto read = store_call(deps_.queue, [id = *id, config, now = deps_.clock()](storage::store& st) {
            std::optional<item_page> page;
            auto it = st.find_item(id);
            if (!it) return page;
            page.emplace();
            page->it = *it;
            for (const auto& k : std::vector{it->routed_delivery_id, it->mirror_delivery_id})
                if (auto d = k ? st.find_delivery(k) : std::nullopt; d && d->state == delivery_state::sent)
                    page->posts.push_back({d->platform, d->channel, d->platform_ref, ""});
            page->outcome = outcome_of_item(st, *it, *config, now);
            return page;
        });
        auto page = co_await std::move(read);
        if (!page) co_return api_error(404, "there is no item " + std::to_string(*id));
        co_return api_answer(200, item_page_json(*page, *config));
    }
    if (path != "/api/v1/kpis" && path != "/api/v1/items" && path != "/api/v1/export.csv")
        co_return api_error(404, "no such API; there are /api/v1/kpis, /api/v1/items, /api/v1/items/<id> and "
                                 "/api/v1/export.csv");
    auto parsed = parse_api_query(target, *config);
    if (auto* problem = std::get_if<std::string>(&parsed)) co_return api_error(400, *problem);
    const auto q = std::get<api_query>(parsed);
    auto read = read_kpis(deps_, q.filter, path == "/api/v1/export.csv");
    auto figures = co_await std::move(read);
    const auto& report = figures.report;
    if (path == "/api/v1/export.csv") {
        auto res = make_response(200, "text/csv; charset=utf-8",
                                 export_csv(report, figures.outcomes, figures.signals, q, *config));
        harden(res);
        res.set(http::field::content_disposition, "attachment; filename=\"cxos-" + q.rows + ".csv\"");
        co_return res;
    }
    co_return api_answer(200, path == "/api/v1/kpis" ? kpis_json(report, figures.outcomes, *config)
                                                     : items_json(report, figures.outcomes, q, *config));
}

} // namespace cxos::bot
