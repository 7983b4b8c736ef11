#include "bot/server/busy_poll.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <thread>

using namespace cxos;

TEST_CASE("busy polling stops when its polls come back empty and resumes once they find work", "[busy_poll]") {
    bot::busy_poll poll(std::chrono::microseconds(50));
    CHECK(poll.spinning()); // a server starts out expecting work
    poll.note(false);
    CHECK_FALSE(poll.spinning()); // an idle server stops burning a core at once
    for (int i = 0; i < 100; ++i) poll.note(false);
    poll.note(true); // however long it was idle, one probe that finds work turns it back on
    CHECK(poll.spinning());
    // A long busy spell does not keep it spinning through a long idle one.
    for (int i = 0; i < 100; ++i) poll.note(true);
    for (int i = 0; i < 5; ++i) poll.note(false);
    CHECK_FALSE(poll.spinning());
    poll.note(true);
    poll.note(true);
    poll.note(false); // work two times in three keeps it on
    CHECK(poll.spinning());
}

TEST_CASE("a busy-polled context runs what is posted to it, from any thread, until it is stopped", "[busy_poll]") {
    const auto budget = GENERATE(0, 50);
    INFO("budget " << budget << " us");
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    int ran = 0;
    // From another thread while it sleeps or spins: the wake-up path, and the poll that finds it.
    std::thread other([&] {
        for (int i = 0; i < 100; ++i) boost::asio::post(io, [&] { ++ran; });
        boost::asio::post(io, [&] { io.stop(); });
    });
    bot::busy_poll(std::chrono::microseconds(budget)).run(io);
    other.join();
    CHECK(ran == 100);
}

TEST_CASE("a busy-polled context returns once it runs out of work, timers included", "[busy_poll]") {
    boost::asio::io_context io;
    boost::asio::steady_timer timer(io, std::chrono::milliseconds(5));
    bool fired = false;
    timer.async_wait([&](boost::system::error_code ec) { fired = !ec; });
    bot::busy_poll(std::chrono::microseconds(50)).run(io);
    CHECK(fired);
}
