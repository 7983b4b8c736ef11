// The origins a sign-out names, as they come off the wire: the input's lines are the Origin, the
// Referer, the Host and public_url. Whatever they hold, the decision is made without a crash; a
// request that names no origin is never refused, and `Origin: null` always is.
#include "bot/web/request_origin.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    auto text = fuzz::as_text(data, size);
    // A header value holds no line break (the HTTP parser ends it there).
    std::array<std::string, 4> lines;
    for (std::size_t i = 0; i < lines.size() && !text.empty(); ++i) {
        const auto end = text.find_first_of("\r\n");
        lines[i] = std::string(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    const auto& [origin, referer, host, public_url] = lines;
    bot::http_request req{boost::beast::http::verb::post, "/dashboard/signout", 11};
    if (!origin.empty()) req.set(boost::beast::http::field::origin, origin);
    if (!referer.empty()) req.set(boost::beast::http::field::referer, referer);
    if (!host.empty()) req.set(boost::beast::http::field::host, host);
    const bool refused = bot::from_another_page(req, public_url);
    if (origin.empty() && referer.empty()) fuzz::require(!refused, "no origin named: not refused");
    if (origin == "null") fuzz::require(refused, "Origin: null is another page");
    req.set("Sec-Fetch-Site", "same-origin");
    fuzz::require(!bot::from_another_page(req, public_url), "Fetch Metadata decides when sent");
    return 0;
}
