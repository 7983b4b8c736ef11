#pragma once
// Asks `holds` until it is true or `timeout` passes: for state cxos only shows when asked (an
// HTTP answer, a log line). Waits on the condition, never a fixed time; true when it held.
#include <chrono>
#include <thread>

namespace cxos::test {

template <class Predicate>
bool eventually(Predicate holds, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (auto pause = std::chrono::milliseconds(2);; pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
        if (holds()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(pause);
    }
}

} // namespace cxos::test
