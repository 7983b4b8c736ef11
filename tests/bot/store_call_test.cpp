// store_call as a server uses it: a batch's outcomes handed to the I/O thread in one post, each
// waiting coroutine resumed there in place, in the order the reports were queued.
#include "bot/core/store_call.hpp"

#include "storage/store.hpp"
#include "tests/support/commit_queue_waits.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace cxos;
using namespace cxos::bot;
namespace asio = boost::asio;

TEST_CASE("stored results resume their coroutines on the I/O thread in queue order, a throwing one stopping none",
          "[store_call]") {
    asio::io_context io(1);
    storage::commit_queue queue(storage::open_store("sqlite://:memory:"));
    queue.run_completions_with([ex = io.get_executor()](std::function<void()> outcomes) {
        asio::post(ex, std::move(outcomes)); // as serve.cpp hands a batch over
    });
    // Hold the storage thread so that the three calls below share one batch.
    std::promise<void> hold;
    auto gate = hold.get_future().share();
    REQUIRE(queue.submit({[gate](storage::store&) { gate.wait(); }, nullptr}));

    std::vector<int> resumed;
    std::vector<std::thread::id> resumed_on;
    std::exception_ptr escaped;
    // Everything the coroutine uses is a parameter: a lambda's captures would die with the lambda.
    auto caller = [](storage::commit_queue& q, int i, std::vector<int>& values,
                     std::vector<std::thread::id>& threads) -> asio::awaitable<void> {
        auto stored = store_call(q, [i](storage::store&) { return i * 10; });
        const int value = co_await std::move(stored);
        values.push_back(value);
        threads.push_back(std::this_thread::get_id());
        if (i == 0) throw std::runtime_error("the first caller fails after its result");
    };
    for (int i = 0; i < 3; ++i)
        asio::co_spawn(io, caller(queue, i, resumed, resumed_on), [&escaped](std::exception_ptr e) {
            if (e) escaped = e;
        });
    io.poll(); // each caller queues its job and waits
    CHECK(resumed.empty());
    hold.set_value();
    while (resumed.size() < 3) io.run_one_for(std::chrono::milliseconds(50));
    queue.stop();

    CHECK(resumed == std::vector<int>{0, 10, 20});
    for (const auto& on : resumed_on) CHECK(on == std::this_thread::get_id()); // the thread running io
    CHECK(escaped); // heard by its own completion handler, after the others resumed
}

TEST_CASE("store calls made in one pass of the event loop wake the storage thread once, as one batch",
          "[store_call]") {
    asio::io_context io(1);
    storage::commit_queue queue(storage::open_store("sqlite://:memory:"));
    queue.run_completions_with([ex = io.get_executor()](std::function<void()> outcomes) {
        asio::post(ex, std::move(outcomes));
    });
    test::wait_until_idle(queue);
    const auto batches_before = queue.batches();
    int resumed = 0;
    auto caller = [](storage::commit_queue& q, int i, int& count) -> asio::awaitable<void> {
        auto stored = store_call(q, [i](storage::store&) { return i; });
        const int value = co_await std::move(stored);
        if (value == i) ++count;
    };
    // Eight callers start in one pass, as requests read from eight connections in one epoll wake
    // do: the storage thread is woken after the last has queued its job, not by the first. Halfway
    // through the pass, another storage thread's round trip gives a wrongly woken one time to
    // take the first four alone.
    for (int i = 0; i < 4; ++i) asio::co_spawn(io, caller(queue, i, resumed), asio::detached);
    bool measured = false;
    asio::post(io, [&measured] { measured = test::round_trip_on_another_storage_thread(); });
    for (int i = 4; i < 8; ++i) asio::co_spawn(io, caller(queue, i, resumed), asio::detached);
    while (resumed < 8) io.run_one_for(std::chrono::milliseconds(50));
    queue.stop();
    REQUIRE(measured);
    CHECK(resumed == 8);
    CHECK(queue.batches() - batches_before == 1);
}
