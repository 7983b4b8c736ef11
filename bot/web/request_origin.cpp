#include "bot/web/request_origin.hpp"

#include "commands/text_case.hpp"

#include <boost/url/authority_view.hpp>
#include <boost/url/parse.hpp>

#include <optional>
#include <string>

namespace cxos::bot {

namespace {

struct web_origin {
    std::string scheme, host, port;
    bool operator==(const web_origin&) const = default;
};

// An origin leaves out its scheme's default port while a configured URL may spell it out.
std::string port_or_default(std::string_view port, std::string_view scheme) {
    if (!port.empty()) return std::string(port);
    return scheme == "https" ? "443" : scheme == "http" ? "80" : "";
}

// scheme://host[:port] of an absolute URL (an Origin, a Referer, public_url); nothing for
// `null` or anything that is not one.
std::optional<web_origin> origin_of(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || !parsed->has_authority() || parsed->has_userinfo() || parsed->encoded_host().empty())
        return std::nullopt;
    const auto scheme = lower(parsed->scheme());
    return web_origin{scheme, lower(parsed->encoded_host()), port_or_default(parsed->port(), scheme)};
}

// The origin the browser reached when it asked for `Host`, in the scheme it says it came from.
std::optional<web_origin> host_origin(std::string_view host, const std::string& scheme) {
    auto parsed = boost::urls::parse_authority(host);
    if (host.empty() || !parsed || parsed->has_userinfo() || parsed->encoded_host().empty()) return std::nullopt;
    return web_origin{scheme, lower(parsed->encoded_host()), port_or_default(parsed->port(), scheme)};
}

} // namespace

bool from_another_page(const http_request& req, std::string_view public_url) {
    if (const auto site = req["Sec-Fetch-Site"]; !site.empty()) return site == "cross-site" || site == "same-site";
    auto named = req[boost::beast::http::field::origin];
    if (named.empty()) named = req[boost::beast::http::field::referer];
    if (named.empty()) return false;
    const auto from = origin_of(named);
    if (!from) return true;
    const auto own = public_url.empty() ? host_origin(req[boost::beast::http::field::host], from->scheme)
                                        : origin_of(public_url);
    return !own || *from != *own;
}

} // namespace cxos::bot
