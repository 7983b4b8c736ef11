// The storage thread's cost per report: the same /friction report (bench/common.sh's) recorded
// through the commit queue as the server records it (one job per report, a savepoint each, one
// transaction and one fdatasync per batch), BATCH reports submitted at a time as the closed loop's
// connections deliver them. Prints the process's CPU time per report (the storage thread's work:
// the submitting thread only waits) and wall time, so a change to the statements per report shows
// here without the noise of a closed-loop run over loopback.
//
//   cxos_intake_bench [--postgres URL] [REPORTS [BATCH]]      (default 100,000 in batches of 20)
//
// CXOS_BENCH_SQL, when set, is run on the database before the reports (from another connection,
// after the migrations): "DROP INDEX signals_by_time" prices one index per report.
#include "bench/bench_request.hpp"
#include "bot/services/intake.hpp"
#include "commands/grammar.hpp"
#include "commands/handlers.hpp"
#include "storage/commit_queue.hpp"
#include "tests/support/scratch_database.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include <sys/resource.h>

using namespace cxos;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

signal bench_report(const journey_config& journey) {
    const auto parsed = parse_command("the invoice shows the wrong currency !high", journey);
    const auto* log = std::get_if<log_command>(&parsed);
    if (!log) {
        std::fprintf(stderr, "the bench text did not parse as a report\n");
        std::exit(1);
    }
    const auto from = bench::bench_reporter();
    return plan_signal(journey, *log, from, 1700000000000);
}

// Records `reports` reports, `batch` in flight at a time; returns {CPU, wall} seconds.
std::pair<double, double> record(storage::commit_queue& queue, const journey_config& journey, const signal& report,
                                 int reports, int batch) {
    std::mutex m;
    std::condition_variable cv;
    int done = 0, failed = 0;
    const auto cpu0 = cpu_seconds();
    const auto wall0 = std::chrono::steady_clock::now();
    for (int sent = 0; sent < reports;) {
        const int n = std::min(batch, reports - sent);
        {
            std::lock_guard lock(m);
            done = 0;
        }
        for (int i = 0; i < n; ++i) {
            const millis now = 1700000000000 + sent + i;
            storage::store_job job{[&, now](storage::store& st) { bot::record_signal(st, journey, report, now); },
                                   [&, n](std::exception_ptr e) {
                                       // One wake-up per batch, as the server's completion runner
                                       // gives its I/O thread.
                                       std::lock_guard lock(m);
                                       failed += e ? 1 : 0;
                                       if (++done == n) cv.notify_one();
                                   }};
            while (!queue.submit(std::move(job))) std::this_thread::yield(); // a refused job stays here
        }
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return done == n; });
        sent += n;
    }
    if (failed > 0) {
        std::fprintf(stderr, "%d reports failed to record\n", failed);
        std::exit(1);
    }
    return {cpu_seconds() - cpu0, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count()};
}

} // namespace

int main(int argc, char** argv) {
    std::string backend = "sqlite";
    int first = 1;
    if (argc > 2 && std::string(argv[1]) == "--postgres") {
        setenv("CXOS_TEST_POSTGRES_URL", argv[2], 1);
        backend = "postgresql";
        first = 3;
    }
    const int reports = argc > first ? std::atoi(argv[first]) : 100000;
    const int batch = argc > first + 1 ? std::atoi(argv[first + 1]) : 20;
    if (reports <= 0 || batch <= 0) {
        std::fprintf(stderr, "usage: cxos_intake_bench [--postgres URL] [REPORTS [BATCH]]\n");
        return 2;
    }
    const auto journey = bench::bench_journey();
    const auto report = bench_report(journey);
    test::scratch_database db(backend);
    auto opened = db.open();
    if (const char* sql = std::getenv("CXOS_BENCH_SQL")) db.exec(sql);
    storage::commit_queue queue(std::move(opened), static_cast<std::size_t>(batch));
    record(queue, journey, report, std::min(reports, 2000), batch); // the item exists, the caches are warm
    const auto commits0 = queue.batches();
    const auto [cpu, wall] = record(queue, journey, report, reports, batch);
    const auto commits = queue.batches() - commits0;
    std::printf("%s, %d reports of one item in batches of %d: CPU %.2f us per report, wall %.2f us, %.1f reports "
                "per commit\n",
                backend.c_str(), reports, batch, cpu * 1e6 / reports, wall * 1e6 / reports,
                static_cast<double>(reports) / static_cast<double>(commits));
}
