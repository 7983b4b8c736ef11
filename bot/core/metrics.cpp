#include "bot/core/metrics.hpp"

#include <cstdio>
#include <stdexcept>

namespace cxos::bot {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// Label values are config words today, but a stage could hold a quote: escape as the format asks.
std::string escaped(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') out += "\\n";
        else out.push_back(c);
    }
    return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, const std::string& value) {
    out.append(name);
    if (!labels.empty()) out.append("{").append(labels).append("}");
    out.append(" ").append(value).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
    sample(out, name, labels, std::to_string(value));
}

std::string endpoint_label(std::string_view label) { return "endpoint=\"" + escaped(label) + "\""; }

} // namespace

void latency_histogram::observe(std::chrono::nanoseconds elapsed) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::size_t i = 0;
    while (i < bounds.size() && seconds > bounds[i]) ++i;
    buckets_[i].fetch_add(1, relaxed);
    sum_nanos_.fetch_add(static_cast<std::uint64_t>(elapsed.count() > 0 ? elapsed.count() : 0), relaxed);
}

void latency_histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string bucket = std::string(name) + "_bucket";
    const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        cumulative += buckets_[i].load(relaxed);
        sample(out, bucket, prefix + "le=\"" + number(bounds[i]) + "\"", cumulative);
    }
    cumulative += buckets_[bounds.size()].load(relaxed);
    sample(out, bucket, prefix + "le=\"+Inf\"", cumulative);
    sample(out, std::string(name) + "_sum", labels, number(static_cast<double>(sum_nanos_.load(relaxed)) / 1e9));
    sample(out, std::string(name) + "_count", labels, cumulative);
}

metrics_registry::metrics_registry() { set_stages({}); }

void metrics_registry::set_stages(const std::vector<std::string>& stages) {
    stages_ = stages;
    signals_by_stage_ = std::make_unique<std::atomic<std::uint64_t>[]>(stages_.size() + 1);
}

endpoint_id metrics_registry::add_endpoint(const endpoint_info& info) {
    for (endpoint_id i = 0; i < endpoints_.size(); ++i)
        if (endpoints_[i].label == info.label) return i;
    if (endpoints_.size() == max_endpoints) throw std::logic_error("more endpoints than metrics can count");
    endpoints_.push_back(info);
    return endpoints_.size() - 1;
}

void metrics_registry::count_request(endpoint_id e, unsigned status, std::chrono::nanoseconds ack_latency) {
    if (status < min_status || status > max_status) status = 500;
    if (e >= endpoints_.size()) e = other_endpoint;
    bump(requests_[e][status - min_status]);
    if (endpoints_[e].acknowledges) ack_latency_[e].observe(ack_latency);
}

void metrics_registry::count_signal(std::string_view stage) {
    std::size_t i = 0;
    while (i < stages_.size() && stages_[i] != stage) ++i; // a handful of stages: a scan is cheapest
    bump(signals_by_stage_[i]);
}

std::string metrics_registry::render(const outbox_gauges& outbox) const {
    std::string out;
    out.reserve(8 * 1024);

    header(out, "cxos_build_info", "gauge", "The running cxos build; always 1.");
    sample(out, "cxos_build_info", "version=\"" + escaped(CXOS_VERSION) + "\"", std::uint64_t{1});

    header(out, "cxos_http_requests_total", "counter", "HTTP requests answered, by endpoint and status code.");
    for (endpoint_id e = 0; e < endpoints_.size(); ++e)
        for (unsigned code = min_status; code <= max_status; ++code)
            if (auto n = requests_[e][code - min_status].load(relaxed); n > 0)
                sample(out, "cxos_http_requests_total",
                       endpoint_label(endpoints_[e].label) + ",status=\"" + std::to_string(code) + "\"", n);

    header(out, "cxos_ack_latency_seconds", "histogram",
           "Time from a chat or ingest request read to its acknowledgement ready, by endpoint (Slack needs an ack "
           "within 3 s).");
    for (endpoint_id e = 0; e < endpoints_.size(); ++e)
        if (endpoints_[e].acknowledges)
            ack_latency_[e].render(out, "cxos_ack_latency_seconds", endpoint_label(endpoints_[e].label));

    header(out, "cxos_verification_failures_total", "counter",
           "Requests refused because their signature or token did not verify, by endpoint.");
    for (endpoint_id e = 0; e < endpoints_.size(); ++e)
        if (endpoints_[e].verifies)
            sample(out, "cxos_verification_failures_total", endpoint_label(endpoints_[e].label),
                   verification_failures_[e].load(relaxed));

    header(out, "cxos_signals_total", "counter", "Signals logged since start, by journey stage (\"none\" when not set).");
    for (std::size_t i = 0; i <= stages_.size(); ++i)
        sample(out, "cxos_signals_total", "stage=\"" + (i < stages_.size() ? escaped(stages_[i]) : "none") + "\"",
               signals_by_stage_[i].load(relaxed));

    header(out, "cxos_ingested_signals_total", "counter",
           "Signals received on /ingest/v1/signals, by result (a duplicate is a replay of a known external id).");
    sample(out, "cxos_ingested_signals_total", "result=\"created\"", ingest_created_.load(relaxed));
    sample(out, "cxos_ingested_signals_total", "result=\"duplicate\"", ingest_duplicates_.load(relaxed));

    header(out, "cxos_outbox_depth", "gauge", "Outbox rows not yet delivered (pending or sending).");
    sample(out, "cxos_outbox_depth", "", std::to_string(outbox.depth));
    header(out, "cxos_outbox_oldest_age_seconds", "gauge",
           "How long the oldest undelivered outbox row has waited since it was queued (0 when none).");
    sample(out, "cxos_outbox_oldest_age_seconds", "", number(outbox.oldest_age_seconds));
    header(out, "cxos_outbox_dead_letters", "gauge", "Outbox rows given up on, kept in the store.");
    sample(out, "cxos_outbox_dead_letters", "", std::to_string(outbox.dead));
    header(out, "cxos_deliveries_held", "gauge",
           "1 while the platform refuses cxos's token and its deliveries wait for a working one.");
    for (const auto& [platform, held] : outbox.held)
        sample(out, "cxos_deliveries_held", "platform=\"" + escaped(platform) + "\"", held ? "1" : "0");
    header(out, "cxos_outbox_sent_total", "counter", "Outbox rows delivered since start.");
    sample(out, "cxos_outbox_sent_total", "", outbox_sent_.load(relaxed));
    header(out, "cxos_outbox_retries_total", "counter", "Delivery attempts that failed and were scheduled again.");
    sample(out, "cxos_outbox_retries_total", "", outbox_retries_.load(relaxed));
    header(out, "cxos_outbox_dead_letters_total", "counter", "Outbox rows dead-lettered since start.");
    sample(out, "cxos_outbox_dead_letters_total", "", outbox_dead_letters_.load(relaxed));

    header(out, "cxos_council_runs_total", "counter", "Experience Council agendas posted since start, by trigger.");
    sample(out, "cxos_council_runs_total", "trigger=\"scheduled\"", council_runs_scheduled_.load(relaxed));
    sample(out, "cxos_council_runs_total", "trigger=\"manual\"", council_runs_manual_.load(relaxed));

    header(out, "cxos_spike_alerts_total", "counter", "Spike alerts queued for owners' channels since start.");
    sample(out, "cxos_spike_alerts_total", "", spike_alerts_.load(relaxed));
    return out;
}

void render_commit_metrics(std::string& out, std::uint64_t commits, std::uint64_t jobs,
                           const latency_histogram& commit_latency) {
    header(out, "cxos_store_commits_total", "counter", "Transactions the storage thread committed (or tried to) since start.");
    sample(out, "cxos_store_commits_total", "", commits);
    header(out, "cxos_store_jobs_total", "counter",
           "Store jobs run since start (requests, workers' reads and writes); jobs per commit is the group-commit batch.");
    sample(out, "cxos_store_jobs_total", "", jobs);
    header(out, "cxos_store_commit_seconds", "histogram",
           "How long each commit of the storage thread took, failed ones included: mostly the disk's sync "
           "(SQLite: the WAL's write and sync, now and then a checkpoint; PostgreSQL: the round trip and the "
           "server's flush). Every ack of the batch waited for it.");
    commit_latency.render(out, "cxos_store_commit_seconds", "");
}

metrics_registry& metrics() {
    static metrics_registry registry;
    return registry;
}

} // namespace cxos::bot
