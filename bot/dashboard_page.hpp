#pragma once
// The dashboard page and its login form: HTML with inline CSS and script, compiled into the
// binary (no files to deploy, no CDN, no build step).
#include <string>
#include <string_view>

namespace cxos::bot {

extern const std::string_view dashboard_html;
// The token form; `failed` adds "that token is not right".
std::string dashboard_login_html(bool failed);

} // namespace cxos::bot
