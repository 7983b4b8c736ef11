// Slack Events API bodies: url_verification and event callbacks (reactions are what cxos acts on).
#include "adapters/slack/inbound.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/slack_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    fuzz::require_slack_request_renders(slack::decode("application/json", fuzz::as_text(data, size)));
    return 0;
}
