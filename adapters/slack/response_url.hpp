#pragma once
// Which response_urls cxos answers a click through: those on Slack's hooks origin only, so a
// signed payload still never makes cxos call an address of its choosing.
#include <optional>
#include <string>
#include <string_view>

namespace cxos::slack {

// slack.hooks_url, taken apart: "https", "hooks.slack.com", "443", "" (no trailing slash).
struct hooks_origin {
    std::string scheme, host, port, path;
};

// The request target (path and query) of `response_url` when it is on `hooks` (same scheme,
// host and port, under its path, no user info, fragment or dot segments); nothing otherwise.
std::optional<std::string> response_url_target(const hooks_origin& hooks, std::string_view response_url);

} // namespace cxos::slack
