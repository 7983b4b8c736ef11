#pragma once
// Runs an io_context like run(), but when it runs out of ready work it polls for up to a budget
// before it sleeps in epoll. Under load the next request or commit outcome arrives within tens of
// microseconds, and a sleep costs more than that: the thread that finds work has to wake this one
// (an inter-processor interrupt, a context switch on each side), which on a 2-core VM measured
// ~4 requests per wake and a sixth of the I/O thread's time in the scheduler. Spinning only pays
// while it finds work, so it adapts: polls that keep coming back empty (a server at a few requests
// a second, or at a steady 5,000 with a commit's fsync between them) turn it off, and while off
// one idle moment in 64 still probes; a probe that finds work turns it back on. Off by default
// (server.busy_poll_us 0): +3 to +6 % req/s in the session that added it, nothing measurable over
// 32 alternating pairs in the next, fixed budget or adaptive.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>

namespace cxos::bot {

class busy_poll {
  public:
    // `budget` zero: plain io_context::run().
    explicit busy_poll(std::chrono::microseconds budget) : budget_(budget) {}

    // Returns when the context is stopped or out of work; a handler's exception propagates as
    // from run().
    void run(boost::asio::io_context& io);

    // Whether the next idle moment spins, and the score it keeps (for tests).
    bool spinning() const { return score_ >= 0; }
    // One idle moment's outcome: found work within the budget or not.
    void note(bool found_work);

  private:
    bool spin_for_work(boost::asio::io_context& io);

    std::chrono::microseconds budget_;
    int score_ = 0;               // -limit..limit: spins that found work minus those that did not
    std::uint32_t idle_moments_ = 0; // counts sleeps while off, to probe every so often
};

} // namespace cxos::bot
