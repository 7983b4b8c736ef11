#pragma once
// The one source of "now" for the server. Production reads the system clock; a test run
// (`cxos serve --test-clock`) starts at a chosen instant and can be moved, so the council's
// schedule is testable across weeks and DST changes. Config can never select the test clock.
#include "commands/domain.hpp"

#include <atomic>
#include <chrono>

namespace cxos::bot {

class clock_source {
  public:
    static millis system_now() {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }

    clock_source() = default;
    // A test clock reading `start` now and advancing in real time from there.
    static clock_source test_clock(millis start) {
        clock_source c;
        c.test_ = true;
        c.offset_ = start - system_now();
        return c;
    }
    clock_source(const clock_source& o) : offset_(o.offset_.load()), test_(o.test_) {}

    millis now() const { return system_now() + offset_.load(std::memory_order_relaxed); }
    bool is_test() const { return test_; }
    // Moves a test clock to `at`; returns false (and changes nothing) on the system clock.
    bool set(millis at) {
        if (!test_) return false;
        offset_ = at - system_now();
        return true;
    }

  private:
    std::atomic<millis> offset_{0};
    bool test_ = false;
};

} // namespace cxos::bot
