#pragma once
// The dashboard page, its stylesheet and script, and the login form, compiled into the binary (no
// files to deploy, no CDN, no build step). Script and styles are served apart
// (/dashboard/app.js, /dashboard/app.css) so the pages need no inline code under their CSP.
#include <string>
#include <string_view>
#include <vector>

namespace cxos::bot {

// The dashboard page; with sign-in on (per-person sessions) its header also has "Sign out
// everywhere".
std::string dashboard_html(bool signin);
extern const std::string_view dashboard_css;
extern const std::string_view dashboard_js; // bot/dashboard_script.cpp
// One item's page (/dashboard/items/<id>): its thread, fix check, cost and savings.
extern const std::string_view dashboard_item_html;
extern const std::string_view dashboard_item_js; // bot/dashboard_item_script.cpp
// The token form; `failed` adds "that token is not right".
std::string dashboard_login_html(bool failed);
// The sign-in page (sign-in on): one link per provider, and why the person is here again
// (refused, signed out) when there is something to say.
struct signin_link {
    std::string id, href, label; // "signin-slack", "/dashboard/signin/slack", "Sign in with Slack"
};
std::string dashboard_signin_html(const std::vector<signin_link>& links, const std::string& message);
// "Sign out everywhere?": who is signed in, how many of their sessions would end, and the button
// that ends them (a POST to /dashboard/signout-everywhere).
std::string dashboard_signout_everywhere_html(const std::string& who, int sessions);

} // namespace cxos::bot
