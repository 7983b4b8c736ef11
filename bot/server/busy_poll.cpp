#include "bot/server/busy_poll.hpp"

#include <algorithm>

namespace cxos::bot {
namespace {
constexpr int score_limit = 8;
constexpr std::uint32_t probe_every = 64; // while off, one idle moment in this many still spins
} // namespace

void busy_poll::note(bool found_work) {
    // One poll that finds work (a probe, while off) turns spinning back on at once; it takes
    // twice as many empty ones as fruitful ones to turn it off again.
    score_ = found_work ? std::min(std::max(score_, 0) + 1, score_limit) : std::max(score_ - 2, -score_limit);
}

bool busy_poll::spin_for_work(boost::asio::io_context& io) {
    const auto until = std::chrono::steady_clock::now() + budget_;
    do
        if (io.poll() > 0) return true;
    while (!io.stopped() && std::chrono::steady_clock::now() < until);
    return false;
}

void busy_poll::run(boost::asio::io_context& io) {
    if (budget_.count() <= 0) {
        io.run();
        return;
    }
    while (!io.stopped()) {
        if (io.poll() > 0) continue;
        if (io.stopped()) break;
        const bool try_spin = spinning() || ++idle_moments_ % probe_every == 0;
        if (try_spin) {
            const bool found = spin_for_work(io);
            note(found);
            if (found) continue;
        }
        io.run_one();
    }
}

} // namespace cxos::bot
