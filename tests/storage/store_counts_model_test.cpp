// The SQLite store keeps two things in memory while the storage thread's transaction is open
// (sqlite_store.hpp): each item's report counts, written to the row only before the commit or
// before another statement, and the open item it last found by key. A job rolled back to its
// savepoint, a statement that changes a row and the end of a transaction must each put them
// right. store_items_test.cpp walks those paths one by one; this drives many random jobs through
// the commit queue as the server does (batches, savepoints, failing jobs, a full database) and
// checks that every read answers what a fresh query would. PostgreSQL keeps nothing in memory:
// there the same test checks the test.
#include "storage/commit_queue.hpp"
#include "storage/store.hpp"

#include "tests/storage/item_reports.hpp"
#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace cxos;
using namespace cxos::test;

namespace {

const std::array<std::string, 2> item_keys{"refund missing", "login loop"};

// What the test knows of each item, by id, without asking the store.
struct item_facts {
    std::string key;
    std::string title;
    bool open = true;
};
using item_model = std::map<std::int64_t, item_facts>;

// find_open_item's rule: of the open items with the key, the first one started.
std::optional<std::int64_t> first_open_item(const item_model& items, const std::string& key) {
    for (const auto& [id, facts] : items)
        if (facts.key == key && facts.open) return id;
    return std::nullopt;
}

// The counts the logging path's reads answer (find_item_summary leaves out the first reporter).
bool same_counts(const item_counts& a, const item_counts& b) {
    return a.reports == b.reports && a.reporters == b.reporters && a.customers == b.customers &&
           a.first_seen == b.first_seen && a.last_seen == b.last_seen;
}

std::string describe(const item_counts& c) {
    return std::to_string(c.reports) + " reports, " + std::to_string(c.reporters) + " reporters, " +
           std::to_string(c.customers) + " customers, seen " + std::to_string(c.first_seen) + "-" +
           std::to_string(c.last_seen);
}

// Thrown by a job after its writes, as a request failing halfway: its savepoint takes them back.
struct job_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One random job on the storage thread. Catch2 is not thread-safe, so what disagrees is written
// down for the test to check once the queue has stopped.
class random_job {
  public:
    random_job(storage::store& st, item_model items, unsigned seed, std::size_t padding,
               std::vector<std::string>& mismatches)
        : st_(st), items_(std::move(items)), rng_(seed), padding_(padding), mismatches_(mismatches) {}

    // The items as the job left them; throws job_failure (one job in four) or what the store threw.
    item_model run() {
        const int steps = 1 + roll(6);
        for (int i = 0; i < steps; ++i) {
            switch (roll(12)) {
            case 0: case 1: case 2: case 3: case 4: report_on_open_item(); break;
            case 5: add_reporter(); break;
            case 6: recount(); break;
            case 7: st_.move_signals(any_item(), any_item()); break; // a merge
            case 8: close_or_reopen(); break;
            case 9: retitle(); break;
            case 10: start_item_beside_open_one(); break;
            default:
                for (const auto& key : item_keys) open_item(key);
            }
        }
        if (roll(4) == 0) throw job_failure("the job fails after its writes");
        return std::move(items_);
    }

  private:
    int roll(int sides) { return static_cast<int>(rng_() % static_cast<unsigned>(sides)); }
    const std::string& any_key() { return item_keys[roll(static_cast<int>(item_keys.size()))]; }
    std::int64_t any_item() { return std::next(items_.begin(), roll(static_cast<int>(items_.size())))->first; }

    void mismatch(std::string what) {
        if (mismatches_.size() < 10) mismatches_.push_back(std::move(what));
    }

    // An item the model knows must be there; the job goes no further when it is not.
    item stored_item(std::int64_t id) {
        auto row = st_.find_item_summary(id);
        if (row) return *row;
        mismatch("item " + std::to_string(id) + " is gone");
        throw job_failure("an item is gone");
    }

    // find_open_item must be the row a fresh query finds, counts included: the first open item
    // with the key, as find_item_summary reads it now (that read has no cache).
    std::optional<item> open_item(const std::string& key) {
        auto found = st_.find_open_item(key);
        const auto expected = first_open_item(items_, key);
        if (!expected || !found || found->id != *expected) {
            if (expected || found)
                mismatch("open item '" + key + "': found " + (found ? std::to_string(found->id) : "none") +
                         ", expected " + (expected ? std::to_string(*expected) : "none"));
            return found;
        }
        const auto row = stored_item(*expected);
        if (found->title != row.title || found->status != row.status || !same_counts(found->counts, row.counts))
            mismatch("open item " + std::to_string(*expected) + " found as '" + found->title + "', " +
                     describe(found->counts) + "; its row '" + row.title + "', " + describe(row.counts));
        if (row.title != items_.at(*expected).title)
            mismatch("item " + std::to_string(*expected) + " titled '" + row.title + "'");
        return found;
    }

    std::int64_t start_item(const std::string& key) {
        const auto id = new_item(st_, key);
        items_[id] = {key, billing_item(key).title, true};
        return id;
    }

    // The logging path: the open item by key (a new one when there is none), then the report.
    void report_on_open_item() {
        const auto& key = any_key();
        const auto found = open_item(key);
        const auto id = found ? found->id : start_item(key);
        static const std::array<std::string, 5> customers{"", "Acme", "acme", "Globex", ""};
        auto s = report("U" + std::to_string(roll(7)), customers[roll(5)], 1 + roll(1000), id);
        s.description.append(padding_, '.');
        const auto counted = st_.insert_counted_signal(s);
        signals_.push_back(counted.id);
        const auto row = stored_item(id);
        if (!same_counts(counted.counts, row.counts))
            mismatch("report on item " + std::to_string(id) + " answered " + describe(counted.counts) +
                     ", its row " + describe(row.counts));
        open_item(key); // the read the next report of a hot item makes
    }

    void add_reporter() {
        if (signals_.empty()) return;
        st_.add_reporter(signals_[roll(static_cast<int>(signals_.size()))], "slack", "U" + std::to_string(roll(9)),
                         1 + roll(1200));
    }

    void recount() {
        const auto id = any_item();
        const auto summary = stored_item(id).counts;
        const auto full = st_.find_item(id).value_or(item{}).counts;
        st_.move_signals(id, id);
        const auto recounted = st_.find_item(id).value_or(item{}).counts;
        if (!same_counts(summary, full) || !same_counts(full, recounted))
            mismatch("item " + std::to_string(id) + ": summary " + describe(summary) + ", find_item " +
                     describe(full) + ", recounted " + describe(recounted));
    }

    void close_or_reopen() {
        const auto id = any_item();
        auto it = stored_item(id);
        const bool reopen = is_closed(it.status);
        it.status = reopen ? item_status::regressed : item_status::fixed;
        it.closed_at = reopen ? 0 : 2000;
        (reopen ? it.regressed_at : it.fixed_at) = 2000;
        st_.update_item(it);
        items_[id].open = reopen;
        open_item(it.key);
    }

    // Triage renames the item a hot key reports to.
    void retitle() {
        const auto& key = any_key();
        auto found = open_item(key);
        if (!found) return;
        found->title = "refund missing since #" + std::to_string(roll(100));
        st_.update_item(*found);
        items_[found->id].title = found->title;
        open_item(key);
    }

    // A second item with a key that has an open one: reports keep going to the first.
    void start_item_beside_open_one() {
        if (items_.size() >= 12) return;
        const auto& key = any_key();
        start_item(key);
        open_item(key);
    }

    storage::store& st_;
    item_model items_;
    std::mt19937 rng_; // its raw draws are the same everywhere, unlike the standard distributions'
    std::size_t padding_;
    std::vector<std::string>& mismatches_;
    std::vector<std::int64_t> signals_; // this job's, for reporters to join
};

struct random_run {
    item_model committed; // the items as the last commit left them
    std::vector<std::string> mismatches;
    int jobs_committed = 0, jobs_failed = 0, jobs_refused = 0;
};

// Each job starts from the items as the jobs before it left them. Which jobs a commit keeps
// depends on the batches, so the model follows the outcomes: a job's items count once it is
// committed, and any outcome resets the next jobs' start to what is committed.
random_run run_random_jobs(storage::commit_queue& queue, const item_model& items, unsigned seed, int jobs,
                           std::size_t padding) {
    random_run run;
    run.committed = items;
    item_model latest = items; // touched only on the storage thread until the queue stops
    std::mt19937 seeds(seed);
    // The storage thread waits in a first job until every job is queued, so that the batches after
    // it are full: many jobs, and their failures, share a transaction whatever the thread timing.
    std::promise<void> all_queued;
    std::shared_future<void> queued = all_queued.get_future().share();
    queue.submit({[queued](storage::store&) { queued.wait(); }, nullptr});
    for (int j = 0; j < jobs; ++j) {
        auto finished = std::make_shared<item_model>();
        const unsigned job_seed = seeds();
        const bool accepted = queue.submit(
            {[&, job_seed, finished](storage::store& st) {
                 *finished = random_job(st, latest, job_seed, padding, run.mismatches).run();
                 latest = *finished;
             },
             [&, finished](std::exception_ptr error) {
                 if (error) ++run.jobs_failed;
                 else {
                     run.committed = *finished;
                     ++run.jobs_committed;
                 }
                 latest = run.committed;
             }});
        if (!accepted) ++run.jobs_refused;
    }
    all_queued.set_value();
    queue.stop();
    return run;
}

// From a second connection after the last commit: the items as the model says, and counts that
// a full recount leaves as they are.
void check_stored_items(const scratch_database& db, const item_model& items) {
    auto st = db.open();
    for (const auto& [id, facts] : items) {
        INFO("item " << id);
        const auto stored = st->find_item(id);
        REQUIRE(stored);
        CHECK(stored->title == facts.title);
        CHECK(is_closed(stored->status) == !facts.open);
        st->move_signals(id, id);
        const auto recounted = counts_of(*st, id);
        INFO("stored " << describe(stored->counts) << ", recounted " << describe(recounted));
        CHECK(same_counts(stored->counts, recounted));
    }
    for (const auto& key : item_keys) {
        INFO("key " << key);
        const auto found = st->find_open_item(key);
        const auto expected = first_open_item(items, key);
        CHECK(found.has_value() == expected.has_value());
        if (found && expected) CHECK(found->id == *expected);
    }
}

// Two open items of one key (reports go to the first) and a closed one of the other.
item_model starting_items(storage::store& st) {
    item_model items;
    for (const auto& key : item_keys) {
        const auto id = new_item(st, key);
        items[id] = {key, billing_item(key).title, true};
    }
    const auto second = new_item(st, item_keys[0]);
    items[second] = {item_keys[0], billing_item(item_keys[0]).title, true};
    auto closed = billing_item(item_keys[1]);
    closed.status = item_status::fixed;
    items[st.insert_item(closed)] = {item_keys[1], closed.title, false};
    return items;
}

void check_run(const random_run& run) {
    std::string mismatches;
    for (const auto& m : run.mismatches) mismatches += m + "\n";
    INFO(mismatches);
    CHECK(run.mismatches.empty());
    CHECK(run.jobs_refused == 0);
    CHECK(run.jobs_committed > 0);
    CHECK(run.jobs_failed > 0);
}

} // namespace

TEST_CASE("random jobs through the commit queue read every item as a fresh query would", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    const auto items = starting_items(*db.open());
    storage::commit_queue queue(db.open(), 16);
    const auto run = run_random_jobs(queue, items, 42, 400, 0);
    check_run(run);
    check_stored_items(db, run.committed);
}

TEST_CASE("random jobs on a full database leave every item as a fresh query reads it", "[store][items]") {
    // Past the cap every write fails as on a full disk: jobs fail inside statements, and SQLite
    // may roll a whole batch back on its own or refuse its commit.
    scratch_database db("sqlite");
    const auto items = starting_items(*db.open());
    storage::commit_queue queue(db.open({1.0, false}), 16);
    const auto run = run_random_jobs(queue, items, 7, 400, 3000);
    CHECK(queue.last_write_failure());
    check_run(run);
    check_stored_items(db, run.committed);
}
