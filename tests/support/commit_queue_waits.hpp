#pragma once
// Waits a commit_queue test starts from or measures against: conditions, never lengths of time.
#include "storage/commit_queue.hpp"

#include <future>
#include <thread>

namespace cxos::test {

// Until the queue's storage thread is waiting for work: a known state to submit into.
inline void wait_until_idle(const storage::commit_queue& queue) {
    while (!queue.idle()) std::this_thread::yield();
}

// A yardstick for "had it been woken, it would have run by now": another storage thread woken,
// committing and answering. False if that queue refused the job (nothing was measured).
inline bool round_trip_on_another_storage_thread() {
    storage::commit_queue other(storage::open_store("sqlite://:memory:"));
    std::promise<void> done;
    if (!other.submit({[](storage::store&) {}, [&done](std::exception_ptr) { done.set_value(); }})) return false;
    done.get_future().wait();
    return true;
}

} // namespace cxos::test
