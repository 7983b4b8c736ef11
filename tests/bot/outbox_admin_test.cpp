// `cxos outbox … --since T`: dates and times are UTC; ages count back from now.
#include "bot/outbox_admin.hpp"

#include <catch2/catch.hpp>

using cxos::bot::parse_since;

TEST_CASE("outbox commands read their since option as a UTC date or time, or an age", "[outbox_admin]") {
    const cxos::millis now = 1'764'236'400'000; // 2025-11-27 09:40 UTC
    CHECK(parse_since("2026-11-27", now) == 1'795'737'600'000);
    CHECK(parse_since("2026-11-27T09:30", now) == 1'795'737'600'000 + (9 * 60 + 30) * 60'000LL);
    CHECK(parse_since("2026-11-27T09:30:15", now) == 1'795'737'600'000 + (9 * 60 + 30) * 60'000LL + 15'000);
    CHECK(parse_since("24h", now) == now - 24 * 3'600'000LL);
    CHECK(parse_since("90m", now) == now - 90 * 60'000LL);
    CHECK(parse_since("7d", now) == now - 7 * 86'400'000LL);
    for (auto bad : {"", "yesterday", "24", "h", "-3d", "2026-13-40", "2026-11-27 09:30"}) {
        INFO(bad);
        CHECK_FALSE(parse_since(bad, now));
    }
}
