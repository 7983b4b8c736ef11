// Whether a sign-out came from the dashboard's own page: the browser's Fetch Metadata when it
// sends it, else the origin it names (Origin, or Referer) against public_url's or the Host's.
#include "bot/web/request_origin.hpp"

#include <catch2/catch.hpp>

#include <map>

using cxos::bot::from_another_page;
using cxos::bot::http_request;

namespace {

http_request signout(const std::map<std::string, std::string>& headers) {
    http_request req{boost::beast::http::verb::post, "/dashboard/signout", 11};
    for (const auto& [name, value] : headers) req.set(name, value);
    return req;
}

bool refused(const std::map<std::string, std::string>& headers, std::string_view public_url = "") {
    return from_another_page(signout(headers), public_url);
}

} // namespace

TEST_CASE("Fetch Metadata decides when the browser sends it", "[dashboard][origin]") {
    CHECK(refused({{"Sec-Fetch-Site", "cross-site"}}));
    CHECK(refused({{"Sec-Fetch-Site", "same-site"}, {"Origin", "http://cxos.example.com"}, {"Host", "cxos.example.com"}}));
    CHECK_FALSE(refused({{"Sec-Fetch-Site", "same-origin"}}));
    CHECK_FALSE(refused({{"Sec-Fetch-Site", "none"}}));
}

TEST_CASE("without Fetch Metadata the Origin must be the Host's", "[dashboard][origin]") {
    CHECK_FALSE(refused({{"Origin", "http://127.0.0.1:8080"}, {"Host", "127.0.0.1:8080"}}));
    CHECK_FALSE(refused({{"Origin", "https://CXOS.example.com"}, {"Host", "cxos.example.com"}}));
    CHECK_FALSE(refused({{"Origin", "https://cxos.example.com"}, {"Host", "cxos.example.com:443"}}));
    CHECK(refused({{"Origin", "https://evil.example"}, {"Host", "cxos.example.com"}}));
    CHECK(refused({{"Origin", "https://reports.example.com"}, {"Host", "cxos.example.com"}})); // a sibling
    CHECK(refused({{"Origin", "http://cxos.example.com:8081"}, {"Host", "cxos.example.com:8080"}}));
    CHECK(refused({{"Origin", "http://cxos.example.com"}, {"Host", "cxos.example.com:8080"}}));
    // A sandboxed frame, a redirect across sites or a page under no-referrer: no origin to trust.
    CHECK(refused({{"Origin", "null"}, {"Host", "cxos.example.com"}}));
    CHECK(refused({{"Origin", "not a url"}, {"Host", "cxos.example.com"}}));
    CHECK(refused({{"Origin", "https://cxos.example.com"}})); // no Host to compare with
}

TEST_CASE("without an Origin the Referer's origin must be the Host's", "[dashboard][origin]") {
    CHECK_FALSE(refused({{"Referer", "http://127.0.0.1:8080/dashboard?owner=billing"}, {"Host", "127.0.0.1:8080"}}));
    CHECK(refused({{"Referer", "https://evil.example/cxos.example.com/dashboard"}, {"Host", "cxos.example.com"}}));
    CHECK(refused({{"Referer", "https://cxos.example.com@evil.example/"}, {"Host", "cxos.example.com"}}));
    // The Origin wins over the Referer.
    CHECK(refused({{"Origin", "https://evil.example"}, {"Referer", "https://cxos.example.com/dashboard"},
                   {"Host", "cxos.example.com"}}));
}

TEST_CASE("with public_url set its origin is the dashboard's, whatever Host a proxy sends", "[dashboard][origin]") {
    const std::string_view public_url = "https://cxos.example.com";
    CHECK_FALSE(refused({{"Origin", "https://cxos.example.com"}, {"Host", "127.0.0.1:8080"}}, public_url));
    CHECK_FALSE(refused({{"Referer", "https://cxos.example.com/dashboard"}, {"Host", "127.0.0.1:8080"}}, public_url));
    CHECK_FALSE(refused({{"Origin", "https://cxos.example.com"}}, "https://cxos.example.com:443/cx"));
    CHECK(refused({{"Origin", "http://127.0.0.1:8080"}, {"Host", "127.0.0.1:8080"}}, public_url));
    CHECK(refused({{"Origin", "http://cxos.example.com"}, {"Host", "cxos.example.com"}}, public_url)); // the scheme too
    CHECK(refused({{"Origin", "https://cxos.example.com:8443"}}, public_url));
}

TEST_CASE("a request that names no origin at all is not refused", "[dashboard][origin]") {
    // curl, scripts, old clients: the session cookie's SameSite=Lax still keeps other sites' forms out.
    CHECK_FALSE(refused({}));
    CHECK_FALSE(refused({{"Host", "cxos.example.com"}}));
    CHECK_FALSE(refused({{"Host", "cxos.example.com"}}, "https://cxos.example.com"));
}
