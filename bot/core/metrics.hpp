#pragma once
// Prometheus metrics: a fixed registry of relaxed atomic counters and fixed-bucket histograms,
// so the hot path never takes a lock. Labels come from small fixed sets (dispatch endpoints,
// status codes, configured stages) to keep cardinality bounded whatever clients send.
// Gauges that describe the store (outbox depth, age, dead letters) are read at scrape time.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxos::bot {

// The route table registers each endpoint at start-up and counts under the id it gets; anything
// no route serves is `other` (id 0). A fixed capacity keeps the counters lock-free arrays.
using endpoint_id = std::size_t;
inline constexpr endpoint_id other_endpoint = 0;
inline constexpr std::size_t max_endpoints = 32;

struct endpoint_info {
    std::string label;         // "/slack/events"
    bool acknowledges = false; // a chat or ingest ack (Slack wants it within 3 s): feeds the ack histogram
    bool verifies = false;     // authenticates requests: its verification failures are listed, 0 included
};

// Fixed buckets in seconds, cumulative at render time.
class latency_histogram {
  public:
    static constexpr std::array<double, 12> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    void observe(std::chrono::nanoseconds elapsed);
    // Appends `name_bucket{labels,le=…}`, `name_sum{labels}` and `name_count{labels}` lines.
    void render(std::string& out, std::string_view name, std::string_view labels) const;

  private:
    std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{}; // last: above every bound
    std::atomic<std::uint64_t> sum_nanos_{0};
};

// What the store says at scrape time.
struct outbox_gauges {
    std::int64_t depth = 0;           // rows pending or sending
    double oldest_age_seconds = 0;    // how long the oldest of them has waited since it was queued
    std::int64_t dead = 0;            // dead letters kept in the store
    // Each platform the outbox sends to, and whether the platform refuses cxos's token (its rows wait).
    std::vector<std::pair<std::string, bool>> held;
};

class metrics_registry {
  public:
    metrics_registry();

    // The journey's stages, known at start-up; signals with another (or no) stage count as "none".
    void set_stages(const std::vector<std::string>& stages);
    // Start-up only: an endpoint to count under its own label; the same label gets the same id.
    endpoint_id add_endpoint(const endpoint_info& info);

    void count_request(endpoint_id e, unsigned status, std::chrono::nanoseconds ack_latency);
    void count_verification_failure(endpoint_id e) { bump(verification_failures_[e]); }
    void count_signal(std::string_view stage);
    void count_outbox_sent() { bump(outbox_sent_); }
    void count_outbox_retry() { bump(outbox_retries_); }
    void count_outbox_dead_letter() { bump(outbox_dead_letters_); }
    void count_council_run(bool scheduled) { bump(scheduled ? council_runs_scheduled_ : council_runs_manual_); }
    void count_spike_alert() { bump(spike_alerts_); }
    void count_ingested(bool duplicate) { bump(duplicate ? ingest_duplicates_ : ingest_created_); }
    // The storage thread's commits, each timed from its start to the store's answer.
    void observe_commit(std::chrono::nanoseconds elapsed) { commit_latency_.observe(elapsed); }
    const latency_histogram& commit_latency() const { return commit_latency_; }

    // The Prometheus text exposition (format 0.0.4), with `cxos_build_info`; the process_*
    // families come from bot/metrics_process.
    std::string render(const outbox_gauges& outbox) const;

  private:
    static constexpr unsigned min_status = 100, max_status = 599;
    static void bump(std::atomic<std::uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

    std::vector<endpoint_info> endpoints_{{"other", false, false}}; // fixed before serving
    // One counter per status code per endpoint: 500 × 32 atomics, no lookup, no lock.
    std::array<std::array<std::atomic<std::uint64_t>, max_status - min_status + 1>, max_endpoints> requests_{};
    std::array<latency_histogram, max_endpoints> ack_latency_{};
    std::array<std::atomic<std::uint64_t>, max_endpoints> verification_failures_{};
    std::vector<std::string> stages_; // fixed after set_stages; the last counter is "none"
    std::unique_ptr<std::atomic<std::uint64_t>[]> signals_by_stage_;
    std::atomic<std::uint64_t> outbox_sent_{0}, outbox_retries_{0}, outbox_dead_letters_{0};
    std::atomic<std::uint64_t> council_runs_scheduled_{0}, council_runs_manual_{0};
    std::atomic<std::uint64_t> spike_alerts_{0};
    std::atomic<std::uint64_t> ingest_created_{0}, ingest_duplicates_{0};
    latency_histogram commit_latency_;
};

// The process's registry: hooks anywhere in the server count into it.
metrics_registry& metrics();

// The storage thread's group commit since start: jobs over commits is how many requests shared a
// transaction and its disk sync, the figure that says whether the disk or the CPU limits intake;
// the commits' durations say whether a slow ack waited for the disk.
void render_commit_metrics(std::string& out, std::uint64_t commits, std::uint64_t jobs,
                           const latency_histogram& commit_latency);

} // namespace cxos::bot
