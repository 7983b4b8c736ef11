#include "storage/commit_queue.hpp"

#include "tests/support/commit_queue_waits.hpp"
#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <vector>
#include <stdexcept>

using namespace cxos;

namespace {

signal sample(std::string text) {
    signal s;
    s.source.platform = "slack";
    s.description = std::move(text);
    s.route = {"triage", "", "no rule matched"};
    return s;
}

// Submits one job and returns once its outcome is heard (its batch committed or failed).
void run(storage::commit_queue& queue, std::function<void(storage::store&)> work) {
    std::promise<void> done;
    REQUIRE(queue.submit({std::move(work), [&](std::exception_ptr) { done.set_value(); }}));
    done.get_future().wait();
}

} // namespace

TEST_CASE("a failing job is rolled back alone, its batch neighbours commit", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    std::promise<void> hold;
    auto gate = hold.get_future().share();
    // Block the thread so the next three jobs are taken as one batch.
    queue.submit({[gate](storage::store&) { gate.wait(); }, nullptr});

    std::promise<std::exception_ptr> a, b, c;
    std::int64_t id_a = 0, id_c = 0;
    queue.submit({[&](storage::store& s) { id_a = s.insert_signal(sample("a")); },
                  [&](std::exception_ptr e) { a.set_value(e); }});
    queue.submit({[&](storage::store& s) {
                      s.insert_signal(sample("b"));
                      throw std::runtime_error("b fails after writing");
                  },
                  [&](std::exception_ptr e) { b.set_value(e); }});
    queue.submit({[&](storage::store& s) { id_c = s.insert_signal(sample("c")); },
                  [&](std::exception_ptr e) { c.set_value(e); }});
    hold.set_value();

    CHECK_FALSE(a.get_future().get());
    CHECK(b.get_future().get());
    CHECK_FALSE(c.get_future().get());
    CHECK(queue.batches() <= 3);

    std::promise<std::vector<std::string>> seen;
    queue.submit({[&](storage::store& s) {
                      std::vector<std::string> texts;
                      for (std::int64_t id = 1; id <= id_c; ++id)
                          if (auto sig = s.find_signal(id)) texts.push_back(sig->description);
                      seen.set_value(texts);
                  },
                  nullptr});
    CHECK(seen.get_future().get() == std::vector<std::string>{"a", "c"});
    CHECK(id_a < id_c);
}

TEST_CASE("stop drains what was queued and refuses more", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    int done = 0;
    for (int i = 0; i < 100; ++i)
        REQUIRE(queue.submit({[](storage::store& s) { s.insert_signal(sample("x")); },
                              [&](std::exception_ptr e) { if (!e) ++done; }}));
    queue.stop();
    CHECK(done == 100);
    CHECK(queue.jobs() == 100);
    CHECK_FALSE(queue.submit({[](storage::store&) {}, nullptr}));
}

TEST_CASE("a full queue refuses instead of growing without bound", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open(), 16, 4);
    std::promise<void> started, hold;
    auto gate = hold.get_future().share();
    queue.submit({[&started, gate](storage::store&) {
                      started.set_value();
                      gate.wait();
                  },
                  nullptr});
    started.get_future().wait(); // the blocker is off the queue: four places are free
    for (int i = 0; i < 4; ++i) CHECK(queue.submit({[](storage::store&) {}, nullptr}));
    CHECK_FALSE(queue.submit({[](storage::store&) {}, nullptr}));
    hold.set_value();
}

TEST_CASE("a write the store refuses is remembered for health checks, a job's own error is not", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    CHECK_FALSE(queue.last_write_failure());
    run(queue, [](storage::store&) { throw std::runtime_error("a handler bug, not the disk"); });
    CHECK_FALSE(queue.last_write_failure());
    const auto before = std::chrono::steady_clock::now();
    run(queue, [](storage::store&) { throw storage::store_error("SQLite step: database or disk is full"); });
    auto failure = queue.last_write_failure();
    REQUIRE(failure);
    CHECK(failure->error == "SQLite step: database or disk is full");
    CHECK(failure->at >= before);
}

TEST_CASE("a failure that rolls the whole transaction back fails the whole batch with its own error", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    std::promise<void> hold;
    auto gate = hold.get_future().share();
    queue.submit({[gate](storage::store&) { gate.wait(); }, nullptr});

    std::promise<std::exception_ptr> a, b, c;
    std::int64_t id_a = 0;
    queue.submit({[&](storage::store& s) { id_a = s.insert_signal(sample("a")); },
                  [&](std::exception_ptr e) { a.set_value(e); }});
    // As SQLite does on a full disk: the whole transaction is gone, then the statement fails.
    queue.submit({[&](storage::store& s) {
                      s.rollback();
                      throw storage::store_error("SQLite step: database or disk is full");
                  },
                  [&](std::exception_ptr e) { b.set_value(e); }});
    queue.submit({[&](storage::store& s) { s.insert_signal(sample("c")); },
                  [&](std::exception_ptr e) { c.set_value(e); }});
    hold.set_value();

    auto message = [](std::exception_ptr e) -> std::string {
        if (!e) return "no error";
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            return ex.what();
        }
    };
    // Nobody is told their write is stored: a's was rolled back with the rest, c never ran.
    CHECK(message(a.get_future().get()) == "SQLite step: database or disk is full");
    CHECK(message(b.get_future().get()) == "SQLite step: database or disk is full");
    CHECK(message(c.get_future().get()) == "SQLite step: database or disk is full");
    std::promise<bool> found;
    queue.submit({[&](storage::store& s) { found.set_value(s.find_signal(id_a).has_value()); }, nullptr});
    CHECK_FALSE(found.get_future().get());
    REQUIRE(queue.last_write_failure());
    CHECK(queue.last_write_failure()->error == "SQLite step: database or disk is full");
}

TEST_CASE("a batch's outcomes reach the completion runner in one call, committed or not", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    // The runner stands in for a server's I/O thread: it keeps each hand-over to run later.
    std::mutex handed_mutex;
    std::vector<std::function<void()>> handed;
    queue.run_completions_with([&](std::function<void()> outcomes) {
        std::lock_guard lock(handed_mutex);
        handed.push_back(std::move(outcomes));
    });
    std::promise<void> hold;
    auto gate = hold.get_future().share();
    queue.submit({[gate](storage::store&) { gate.wait(); }, nullptr}); // the next jobs queue up behind it
    std::vector<std::exception_ptr> heard(4);
    std::vector<int> heard_count(4, 0);
    for (int i = 0; i < 4; ++i)
        queue.submit({[i](storage::store& s) {
                          s.insert_signal(sample("report " + std::to_string(i)));
                          if (i == 2) throw std::runtime_error("job 2 fails");
                      },
                      [&heard, &heard_count, i](std::exception_ptr e) {
                          heard[static_cast<std::size_t>(i)] = e;
                          ++heard_count[static_cast<std::size_t>(i)];
                      }});
    hold.set_value();
    queue.stop(); // the four jobs ran as one batch
    REQUIRE(handed.size() == 1); // the blocking job has no outcome to hand over; the batch one call
    CHECK(heard_count == std::vector<int>{0, 0, 0, 0}); // nothing heard on the storage thread
    handed.front()();
    CHECK(heard_count == std::vector<int>{1, 1, 1, 1});
    CHECK_FALSE(heard[0]);
    CHECK_FALSE(heard[1]);
    CHECK(heard[2]);
    CHECK_FALSE(heard[3]);
}

TEST_CASE("jobs nobody waits for are never handed to the completion runner", "[commit_queue]") {
    // A server submits such jobs (loading the grouping index) before its I/O context runs, and
    // may unwind without one: a hand-over would post into an I/O context that is gone.
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    std::atomic<int> handed{0};
    queue.run_completions_with([&](std::function<void()>) { ++handed; });
    std::promise<void> ran;
    queue.submit({[&ran](storage::store&) { ran.set_value(); }, nullptr});
    ran.get_future().wait();
    queue.submit({[](storage::store& s) { s.insert_signal(sample("kept, unheard")); }, nullptr});
    queue.stop(); // both batches are over
    CHECK(handed == 0);
}

using test::wait_until_idle;

TEST_CASE("a burst submitted deferred wakes an idle storage thread once and commits as one batch", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    wait_until_idle(queue);
    const auto batches_before = queue.batches();
    std::vector<std::promise<std::exception_ptr>> heard(5);
    for (std::size_t i = 0; i < heard.size(); ++i) {
        const auto queued = queue.submit_deferred(
            {[i](storage::store& s) { s.insert_signal(sample("burst " + std::to_string(i))); },
             [&heard, i](std::exception_ptr e) { heard[i].set_value(e); }});
        // Only the first job of the burst asks its submitter for the wake.
        CHECK(queued == (i == 0 ? storage::commit_queue::deferred::wake_needed
                                : storage::commit_queue::deferred::queued));
    }
    REQUIRE(test::round_trip_on_another_storage_thread());
    CHECK(queue.idle()); // nothing woke it: the burst waits for its submitter's wake
    CHECK(queue.jobs() == 0);
    queue.wake();
    for (auto& h : heard) CHECK_FALSE(h.get_future().get());
    CHECK(queue.batches() - batches_before == 1); // woken once, for the whole burst
    CHECK(queue.jobs() == 5);
    // The next burst asks for its own wake.
    std::promise<void> next;
    CHECK(queue.submit_deferred({[](storage::store&) {}, [&next](std::exception_ptr) { next.set_value(); }}) ==
          storage::commit_queue::deferred::wake_needed);
    queue.wake();
    next.get_future().wait();
}

TEST_CASE("deferred jobs whose wake never comes still commit when the queue stops", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    std::int64_t stored = 0;
    {
        storage::commit_queue queue(db.open());
        wait_until_idle(queue);
        std::promise<std::exception_ptr> heard;
        REQUIRE(queue.submit_deferred({[&stored](storage::store& s) { stored = s.insert_signal(sample("kept")); },
                                       [&heard](std::exception_ptr e) { heard.set_value(e); }}) ==
                storage::commit_queue::deferred::wake_needed);
        queue.stop(); // a server that unwinds before its I/O thread posts the wake loses nothing
        auto outcome = heard.get_future();
        REQUIRE(outcome.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        CHECK_FALSE(outcome.get());
        CHECK(queue.submit_deferred({[](storage::store&) {}, nullptr}) == storage::commit_queue::deferred::refused);
    }
    CHECK(db.open()->find_signal(stored));
}

TEST_CASE("each commit is timed for the metrics, a batch that never reached its commit is not", "[commit_queue]") {
    CXOS_EACH_BACKEND(db);
    storage::commit_queue queue(db.open());
    std::mutex seen_mutex;
    std::vector<std::chrono::nanoseconds> seen;
    queue.observe_commits_with([&](std::chrono::nanoseconds took) {
        std::lock_guard lock(seen_mutex);
        seen.push_back(took);
    });
    run(queue, [](storage::store& s) { s.insert_signal(sample("a")); });
    run(queue, [](storage::store& s) { s.insert_signal(sample("b")); });
    // The whole transaction gone, as on a full disk: the batch ends without a commit.
    run(queue, [](storage::store& s) {
        s.rollback();
        throw storage::store_error("SQLite step: database or disk is full");
    });
    queue.stop();
    CHECK(queue.batches() == 3);
    REQUIRE(seen.size() == 2);
    for (auto took : seen) CHECK(took > std::chrono::nanoseconds::zero());
}
