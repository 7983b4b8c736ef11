#include "adapters/slack/response_url.hpp"

#include <boost/url/parse.hpp>

namespace cxos::slack {

std::optional<std::string> response_url_target(const hooks_origin& hooks, std::string_view response_url) {
    auto url = boost::urls::parse_absolute_uri(response_url);
    if (!url || url->has_userinfo() || url->has_fragment()) return std::nullopt;
    const std::string port = url->has_port() ? std::string(url->port()) : url->scheme() == "https" ? "443" : "80";
    if (url->scheme() != hooks.scheme || url->host_address() != hooks.host || port != hooks.port)
        return std::nullopt;
    // Dot segments would climb out of hooks.path once a server normalised them.
    for (auto segment : url->segments())
        if (segment == "." || segment == "..") return std::nullopt;
    std::string target(url->encoded_path());
    if (!target.starts_with(hooks.path + "/")) return std::nullopt;
    if (url->has_query()) target += "?" + std::string(url->encoded_query());
    return target;
}

} // namespace cxos::slack
