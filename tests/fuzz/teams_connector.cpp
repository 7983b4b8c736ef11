// What Microsoft's servers answer: the token endpoint and the Bot Connector. The first byte picks
// the reader, the next two the HTTP status, the fourth the length of a Retry-After header that
// follows; the rest is the body. A token is usable and expires within a day of now; every outcome
// is UTF-8 (it is logged and kept on the row), and only a rate limit names a wait.
#include "adapters/teams/connector.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    if (size < 4) return 0;
    const unsigned status = (static_cast<unsigned>(data[1]) << 8 | data[2]) % 600;
    const std::size_t header_size = std::min<std::size_t>(data[3] % 24, size - 4);
    const auto retry_after = fuzz::as_text(data + 4, header_size);
    const auto body = fuzz::as_text(data + 4 + header_size, size - 4 - header_size);
    if (data[0] % 2 == 0) {
        constexpr std::int64_t now = 1'700'000'000;
        std::string error;
        auto token = teams::parse_token_response(status, body, now, error);
        if (token) {
            fuzz::require(!token->access_token.empty(), "a token is not empty");
            fuzz::require(token->expires_at > now && token->expires_at <= now + 24 * 3600, "a token expires within a day");
            fuzz::require_utf8({token->access_token}, "a token is UTF-8");
        } else {
            fuzz::require(!error.empty(), "a refused token says why");
            fuzz::require_utf8({error}, "the token endpoint's error is UTF-8");
        }
        return 0;
    }
    const auto r = teams::classify_connector_response(status, retry_after, body, "19:channel@thread.tacv2");
    fuzz::require_utf8({r.id, r.activity_id, r.error}, "a connector outcome is UTF-8");
    fuzz::require(r.retry_after_seconds >= 0, "no negative wait");
    if (r.outcome != teams::connector_outcome::rate_limited) fuzz::require(r.retry_after_seconds == 0, "only a 429 waits");
    if (r.outcome == teams::connector_outcome::sent) fuzz::require(r.error.empty(), "a sent activity names no error");
    else fuzz::require(!r.error.empty(), "a failure says why");
    return 0;
}
