#include "bot/workers/channel_pacer.hpp"

#include <catch2/catch.hpp>

using cxos::bot::channel_pacer;

TEST_CASE("a channel may burst, then gets one post per second", "[pacer]") {
    channel_pacer p(1.0, 3.0);
    CHECK(p.reserve("C1", 0) == 0);
    CHECK(p.reserve("C1", 0) == 0);
    CHECK(p.reserve("C1", 0) == 0);
    auto wait = p.reserve("C1", 0);
    CHECK(wait > 900);
    CHECK(wait <= 1001);
    CHECK(p.reserve("C1", 1000) == 0);
}

TEST_CASE("a 429 pauses only its own channel", "[pacer]") {
    channel_pacer p(1.0, 5.0);
    p.pause("C1", 30000);
    CHECK(p.reserve("C1", 1000) == 29000);
    CHECK(p.reserve("C2", 1000) == 0);
    CHECK(p.reserve("C1", 30000) > 0);  // no burst saved up while paused
    CHECK(p.reserve("C1", 31001) == 0);
}
