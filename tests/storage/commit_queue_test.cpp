#include "storage/commit_queue.hpp"

#include <catch2/catch.hpp>

#include <future>
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

} // namespace

TEST_CASE("a failing job is rolled back alone; its batch neighbours commit", "[commit_queue]") {
    storage::commit_queue queue(storage::open_store("sqlite://:memory:"));
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
    storage::commit_queue queue(storage::open_store("sqlite://:memory:"));
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
    storage::commit_queue queue(storage::open_store("sqlite://:memory:"), 16, 4);
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
