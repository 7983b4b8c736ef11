#include "bot/slack/slack_install_endpoint.hpp"

#include "adapters/oauth/authorization_code.hpp"
#include "adapters/slack/oauth.hpp"
#include "bot/core/log.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view purpose = "slack_install";

http_response page(unsigned status, const std::string& title, const std::string& body_html) {
    auto res = make_response(status, "text/html; charset=utf-8",
                             "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_text(title) +
                                 "</title><meta name=\"viewport\" content=\"width=device-width\"></head><body><h1>" +
                                 html_text(title) + "</h1>" + body_html + "</body></html>\n");
    // Nothing here runs code or loads anything; the page must not be framed or cached.
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    return res;
}

http_response refused(unsigned status, const std::string& title, const std::string& why) {
    return page(status, title,
                "<p>" + html_text(why) + "</p><p>Nothing was installed. <a href=\"/slack/install\">Start again</a>.</p>");
}

std::string cookie(const http_request& req, std::string_view value, millis max_age_ms) {
    const bool secure = req["X-Forwarded-Proto"] == "https";
    // Lax, not Strict: the browser comes back from slack.com, a top-level navigation from
    // another site, and must bring the cookie along.
    return std::string(slack_install_cookie) + "=" + std::string(value) + "; HttpOnly; SameSite=Lax; Path=/slack; Max-Age=" +
           std::to_string(max_age_ms / 1000) + (secure ? "; Secure" : "");
}

} // namespace

std::string slack_install_endpoint::redirect_uri(const app_config& config) const {
    return config.public_url.empty() ? std::string() : config.public_url + "/slack/oauth_redirect";
}

boost::asio::awaitable<http_response> slack_install_endpoint::handle(http_request& req) {
    const auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    if (path == "/slack/install") {
        auto res = co_await start(req);
        co_return res;
    }
    auto res = co_await finish(req);
    co_return res;
}

boost::asio::awaitable<http_response> slack_install_endpoint::start(const http_request& req) {
    const std::string for_purpose(purpose);
    const millis now = clock_();
    auto flow = co_await start_oauth_flow(queue_, for_purpose, now);
    const auto config = config_.get();
    const auto link = slack::authorize_link(config->slack_install.authorize_url, workspaces_.client_id(),
                                            config->slack_install.scopes, flow.state, redirect_uri(*config));
    auto res = page(200, "Add cxos to Slack",
                    "<p>cxos captures customer friction where your team talks and routes it to the team that owns it. "
                    "Install it into your workspace: Slack asks you to allow what it needs, then sends you back here.</p>"
                    "<p><a id=\"add-to-slack\" href=\"" + html_text(link) + "\">Add to Slack</a></p>"
                    "<p><small>The link works once, in this browser, for 10 minutes.</small></p>");
    res.set(http::field::set_cookie, cookie(req, flow.browser, oauth_flow_lifetime));
    co_return res;
}

boost::asio::awaitable<http_response> slack_install_endpoint::finish(const http_request& req) {
    const auto target = std::string_view(req.target());
    const auto q = target.find('?');
    const auto query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    auto decoded = oauth::decode_authorization_redirect(query);
    if (auto* problem = std::get_if<std::string>(&decoded)) {
        log_warn("Slack install redirect refused", {{"reason", *problem}});
        co_return refused(400, "This is not a link Slack sent", "The address is not one Slack sends back (" + *problem + ").");
    }
    const auto redirect = std::get<oauth::authorization_redirect>(decoded);
    // The state is used up by this request whatever follows, so it can never be tried twice.
    const std::string for_purpose(purpose);
    const auto browser = cookie_value(req[http::field::cookie], slack_install_cookie);
    const millis now = clock_();
    const auto check = co_await finish_oauth_flow(queue_, redirect.state, for_purpose, browser, now);
    std::string problem;
    if (check == flow_check::unknown)
        problem = "This install link was not started here: its state is unknown to cxos (forged, or older than a day).";
    else if (check == flow_check::used)
        problem = "This install link was used already. Each link installs once.";
    else if (check == flow_check::expired)
        problem = "This install link expired: it is valid for 10 minutes.";
    else if (check == flow_check::other_browser)
        problem = "This install was started in another browser (or its cookie was blocked).";
    if (!problem.empty()) {
        log_warn("Slack install refused: bad state", {{"reason", problem}});
        auto res = refused(403, "Installation refused", problem);
        res.set(http::field::set_cookie, cookie(req, "", 0));
        co_return res;
    }
    if (!redirect.error.empty()) {
        log_info("Slack install cancelled", {{"error", redirect.error}});
        auto res = refused(200, "Installation cancelled", "Slack says: " + redirect.error + ".");
        res.set(http::field::set_cookie, cookie(req, "", 0));
        co_return res;
    }
    const auto config = config_.get();
    const auto uri = redirect_uri(*config);
    const auto& allowed = config->slack_install.allowed_teams;
    auto installed = co_await workspaces_.install(redirect.code, uri, allowed);
    http_response res;
    if (auto* refused_here = std::get_if<slack_workspaces::not_allowed>(&installed)) {
        const auto name = refused_here->team_name.empty() ? refused_here->workspace : refused_here->team_name;
        res = refused(403, "Installation refused",
                      "cxos is not installed in " + name + " (" + refused_here->workspace +
                          "): this cxos serves only the workspaces its operator listed in slack.install.allowed_teams. "
                          "Nothing was stored, and the token Slack issued was revoked.");
    } else if (auto* error = std::get_if<std::string>(&installed)) {
        log_warn("Slack install failed", {{"error", *error}});
        res = refused(502, "Installation failed", "Slack did not hand over the workspace's token: " + *error + ".");
    } else {
        const auto& bot = std::get<slack::installed_bot>(installed);
        log_info("installed into a Slack workspace", {{"workspace", bot.workspace()}, {"team", bot.team_name},
                                                     {"enterprise", bot.enterprise_id}, {"by", bot.installed_by},
                                                     {"rotating", !bot.refresh_token.empty()}});
        const auto name = bot.team_name.empty() ? bot.workspace() : bot.team_name;
        res = page(200, "cxos is installed",
                   "<p>cxos is installed in <strong>" + html_text(name) + "</strong> (" + html_text(bot.workspace()) +
                       "). Type <code>" + html_text(config->slack_command) + " help</code> in any channel to begin.</p>"
                       "<p>Owner channels in this workspace are named in the cxos config as <code>" +
                       html_text(bot.workspace()) + ":C…</code>.</p>");
    }
    res.set(http::field::set_cookie, cookie(req, "", 0));
    co_return res;
}

} // namespace cxos::bot
