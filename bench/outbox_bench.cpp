// The outbox's poll under a backlog: the milliseconds one store::look_ahead and one
// store::claim_due_heads take (what the outbox worker asks on every poll, on the storage thread)
// with N queued deliveries spread over C channels, as during a Slack outage or with channels
// paused by rate limits.
//
//   cxos_outbox_bench [--postgres URL] [ROWS CHANNELS]...
// Without pairs: 0/1, 20,000/20, 20,000/2,000. Each scenario gets a fresh database: a SQLite file
// in a temporary directory, and with --postgres (a superuser URL, e.g. CXOS_TEST_POSTGRES_URL
// from scripts/test-postgres.sh) a schema of its own on that server, dropped afterwards.
#include "storage/store.hpp"
#include "tests/support/scratch_database.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace cxos;

namespace {

struct scenario {
    int rows;
    int channels;
};

// The backlog: every row due, every channel paced (its slot taken until 1000), as a backlog
// drains at the channels' pace; inserted round robin so each channel's rows are interleaved with
// the others' as when reports arrive.
void queue_backlog(storage::store& st, const scenario& s) {
    st.begin();
    for (int c = 0; c < s.channels; ++c) st.reserve_channel_slot("slack", "C" + std::to_string(c), 0, {1000, 1});
    for (int i = 0; i < s.rows; ++i) {
        delivery d;
        d.kind = delivery_kind::notice;
        d.platform = "slack";
        d.channel = "C" + std::to_string(i % s.channels);
        st.insert_delivery(d);
    }
    st.commit();
}

// The median of `runs` calls, after enough warm-up runs for PostgreSQL to settle on the generic
// plan of the prepared statement (its sixth run).
template <class Call>
double median_ms(Call call, int runs = 21) {
    for (int i = 0; i < 6; ++i) call();
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto started = std::chrono::steady_clock::now();
        call();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    }
    std::nth_element(ms.begin(), ms.begin() + runs / 2, ms.end());
    return ms[runs / 2];
}

struct poll_ms {
    double look_ahead, claim;
};

// A poll's two reads of the heads: the look-ahead, and a claim that finds every head paced (its
// slot taken, so nothing is claimed and the next run sees the same rows).
poll_ms time_poll(storage::store& st) {
    return {median_ms([&] { st.look_ahead(0, {}); }),
            median_ms([&] { st.claim_due_heads("bench", 0, 30'000, 10, {}); })};
}

void run(bool postgres, const scenario& s) {
    test::scratch_database db(postgres ? "postgresql" : "sqlite");
    auto st = db.open();
    // One poll while the outbox is empty first, as a server does at start: the plan PostgreSQL
    // caches then is the one a later backlog meets.
    st->look_ahead(0, {});
    queue_backlog(*st, s);
    const auto fresh = time_poll(*st);
    // PostgreSQL's statistics as autovacuum would leave them some time after the burst.
    if (db.postgres()) db.exec("ANALYZE deliveries");
    const auto analysed_store = db.open(); // a new session plans again
    const auto analysed = time_poll(*analysed_store);
    std::printf("%-10s %7d rows %5d channels  ms per look-ahead %8.3f (%8.3f after ANALYZE)  "
                "per claim %8.3f (%8.3f)\n",
                db.backend().c_str(), s.rows, s.channels, fresh.look_ahead, analysed.look_ahead, fresh.claim,
                analysed.claim);
}

} // namespace

int main(int argc, char** argv) {
    bool postgres = false;
    std::vector<scenario> scenarios;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--postgres" && i + 1 < argc) {
            // The scratch databases are the test suite's, made on the server it is pointed at.
            ::setenv("CXOS_TEST_POSTGRES_URL", argv[++i], 1);
            postgres = true;
        } else if (i + 1 < argc) {
            scenarios.push_back({std::stoi(arg), std::stoi(argv[++i])});
        } else {
            std::fprintf(stderr, "usage: cxos_outbox_bench [--postgres URL] [ROWS CHANNELS]...\n");
            return 2;
        }
    }
    if (scenarios.empty()) scenarios = {{0, 1}, {20'000, 20}, {20'000, 2'000}};
    for (const auto& s : scenarios) run(postgres, s);
}
