// Slack's interactivity payloads (block actions, the message shortcut, view submissions): the
// input is the payload's JSON, form-encoded here as Slack sends it, so mutations work on JSON.
#include "adapters/slack/inbound.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/slack_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string body = "payload=";
    for (unsigned char c : fuzz::as_text(data, size)) {
        body += '%';
        body += hex[c >> 4];
        body += hex[c & 15];
    }
    fuzz::require_slack_request_renders(slack::decode("application/x-www-form-urlencoded", body));
    return 0;
}
