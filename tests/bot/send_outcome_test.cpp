// The outbox's pause for a rate-limited channel, whatever the platform asked for.
#include "bot/workers/sender.hpp"

#include <catch2/catch.hpp>

#include <limits>

using cxos::bot::send_outcome;

TEST_CASE("a rate-limited channel waits what the platform asked, from a second to an hour", "[outbox]") {
    send_outcome asked;
    asked.outcome = send_outcome::kind::rate_limited;
    asked.retry_after_seconds = 30;
    CHECK(asked.pause() == 30'000);
    // No Retry-After (or 0): the minimum, not a busy loop.
    asked.retry_after_seconds = 0;
    CHECK(asked.pause() == 1'000);
    // A wild header neither parks the channel for years nor overflows the deadline.
    asked.retry_after_seconds = 86'400;
    CHECK(asked.pause() == 3'600'000);
    asked.retry_after_seconds = std::numeric_limits<std::int64_t>::max();
    CHECK(asked.pause() == 3'600'000);
}
