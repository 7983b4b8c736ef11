// The outbox's pause for a rate-limited channel, whatever the platform asked for.
#include "bot/workers/sender.hpp"

#include <catch2/catch.hpp>

#include <limits>

using cxos::bot::send_outcome;

TEST_CASE("a rate-limited channel waits what the platform asked, from a second to an hour", "[outbox]") {
    const cxos::millis backoff = 7'000; // what the outbox would wait after this many failures
    send_outcome asked;
    asked.outcome = send_outcome::kind::rate_limited;
    asked.retry_after_seconds = 30;
    CHECK(asked.pause(backoff) == 30'000);
    // A wild header neither parks the channel for years nor overflows the deadline.
    asked.retry_after_seconds = 86'400;
    CHECK(asked.pause(backoff) == 3'600'000);
    asked.retry_after_seconds = std::numeric_limits<std::int64_t>::max();
    CHECK(asked.pause(backoff) == 3'600'000);
    // Not said (no Retry-After, or a date): backed off as after a failure, not retried each second.
    asked.retry_after_seconds = 0;
    CHECK(asked.pause(backoff) == backoff);
}
