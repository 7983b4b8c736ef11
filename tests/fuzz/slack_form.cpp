// The Slack Request URL's form-encoded bodies: slash commands and `payload=` interactions, as
// signed requests deliver them after the signature check.
#include "adapters/slack/inbound.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/slack_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto body = fuzz::as_text(data, size);
    (void)slack::is_ssl_check("application/x-www-form-urlencoded", body);
    fuzz::require_slack_request_renders(slack::decode("application/x-www-form-urlencoded", body));
    return 0;
}
