// The Slack Request URL's form-encoded bodies: slash commands and `payload=` interactions, as
// signed requests deliver them after the signature check. parse_form must also agree, body for
// body, with the Boost.URL decoder it replaced (tests/support/boost_url_form): the same bodies
// refused, the same fields from the rest.
#include "adapters/slack/inbound.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/slack_checks.hpp"
#include "tests/support/boost_url_form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto body = fuzz::as_text(data, size);
    for (const auto repeats : {oauth::repeated_field::first_wins, oauth::repeated_field::refused})
        fuzz::require(oauth::parse_form(body, repeats) == testing::parse_form_with_boost_url(body, repeats),
                      "parse_form decodes as Boost.URL's parse_query did");
    (void)slack::is_ssl_check("application/x-www-form-urlencoded", body);
    fuzz::require_slack_request_renders(slack::decode("application/x-www-form-urlencoded", body));
    return 0;
}
