#include "bot/core/flight_gate.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>

using namespace cxos::bot;

TEST_CASE("requests waiting for one fetch sleep until it lands, then all go on", "[flight_gate]") {
    boost::asio::io_context io;
    flight_gate gate(io.get_executor());
    std::optional<flight_gate::ticket> fetching;
    fetching.emplace(gate);
    CHECK(gate.in_flight());
    int landed = 0;
    for (int i = 0; i < 3; ++i)
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
                auto waited = gate.wait();
                co_await std::move(waited);
                ++landed;
            },
            boost::asio::detached);
    io.poll();
    // Parked, not spinning: nothing is left to run while the fetch is in flight (waiters that
    // re-armed one shared timer woke each other without end).
    CHECK(io.poll() == 0);
    CHECK(landed == 0);
    fetching.reset();
    CHECK_FALSE(gate.in_flight());
    io.poll();
    CHECK(landed == 3);
}

TEST_CASE("with no fetch in flight a wait returns at once", "[flight_gate]") {
    boost::asio::io_context io;
    flight_gate gate(io.get_executor());
    bool done = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            auto waited = gate.wait();
            co_await std::move(waited);
            done = true;
        },
        boost::asio::detached);
    io.poll();
    CHECK(done);
}
