// GET /dashboard, POST /dashboard/login and the JSON API under /api/v1/: all of it exists only
// when CXOS_DASHBOARD_TOKEN is set, and every answer but the login form needs the token.
#include "adapters/slack/form.hpp"
#include "commands/json_text.hpp"
#include "bot/app.hpp"
#include "bot/core/clock.hpp"
#include "bot/web/dashboard_page.hpp"
#include "bot/web/kpi_api.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

namespace {

// The pages run only the script and styles this server serves (no inline code, nothing from
// elsewhere) and talk only to this server.
void harden(http_response& res) {
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

http_response html_page(unsigned status, std::string body) {
    auto res = make_response(status, "text/html; charset=utf-8", std::move(body));
    harden(res);
    return res;
}

http_response api_error(unsigned status, const std::string& message) {
    auto res = json_response(status, json_text(nlohmann::json{{"error", message}}) + "\n");
    harden(res);
    return res;
}

} // namespace

boost::asio::awaitable<http_response> app::dashboard_route(http_request& req, std::string_view path) {
    if (!s_.dashboard) co_return text_response(404, "not found\n"); // off: no token configured
    const auto& auth = *s_.dashboard;
    if (path == "/dashboard/login") {
        if (req.method() != http::verb::post) co_return text_response(405, "use POST\n");
        const std::int64_t now_s = clock_source::system_now() / 1000;
        if (auto wait = auth.login_wait_seconds(now_s); wait > 0) {
            auto res = html_page(429, dashboard_login_html(true));
            res.set(http::field::retry_after, std::to_string(wait));
            co_return res;
        }
        auto form = slack::parse_form(req.body());
        auto token = form && form->count("token") ? form->at("token") : std::string();
        if (!auth.is_token(token)) {
            auth.login_failed(now_s);
            log_info("dashboard login refused");
            co_return html_page(401, dashboard_login_html(true));
        }
        auto res = html_page(303, "");
        res.set(http::field::location, "/dashboard");
        res.set(http::field::set_cookie, auth.session_cookie(req["X-Forwarded-Proto"] == "https"));
        co_return res;
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head) co_return text_response(405, "use GET\n");
    // The script and styles hold no figures: the login form needs the styles before any token.
    if (path == "/dashboard/app.js" || path == "/dashboard/app.css") {
        const bool script = path == "/dashboard/app.js";
        auto res = make_response(200, script ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
                                 std::string(script ? dashboard_js : dashboard_css));
        harden(res);
        co_return res;
    }
    if (path == "/dashboard") {
        if (!auth.allows(req)) co_return html_page(401, dashboard_login_html(false));
        co_return html_page(200, std::string(dashboard_html));
    }
    if (path.starts_with("/dashboard/")) co_return text_response(404, "not found\n");
    if (!auth.allows(req))
        co_return api_error(401, "send Authorization: Bearer <CXOS_DASHBOARD_TOKEN> or log in at /dashboard");
    if (path != "/api/v1/kpis" && path != "/api/v1/items" && path != "/api/v1/export.csv")
        co_return api_error(404, "no such API; there are /api/v1/kpis, /api/v1/items and /api/v1/export.csv");
    auto parsed = parse_api_query(std::string_view(req.target()), s_.config);
    if (auto* problem = std::get_if<std::string>(&parsed)) co_return api_error(400, *problem);
    const auto q = std::get<api_query>(parsed);
    auto read = read_kpis(q.filter, path == "/api/v1/export.csv");
    std::pair<kpi_report, std::vector<kpi_signal>> figures;
    try {
        figures = co_await std::move(read);
    } catch (const store_busy&) {
        co_return api_error(503, "cxos is busy storing signals; ask again in a moment");
    }
    auto& [report, signals] = figures;
    if (path == "/api/v1/export.csv") {
        auto res = make_response(200, "text/csv; charset=utf-8", export_csv(report, signals, q, s_.config));
        harden(res);
        res.set(http::field::content_disposition, "attachment; filename=\"cxos-" + q.rows + ".csv\"");
        co_return res;
    }
    auto body = path == "/api/v1/kpis" ? kpis_json(report, s_.config) : items_json(report, q, s_.config);
    auto res = json_answer(body);
    harden(res);
    co_return res;
}

} // namespace cxos::bot
