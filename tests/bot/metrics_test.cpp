// The Prometheus exposition: exact lines for counters, labels and the cumulative histogram.
#include "bot/core/metrics.hpp"
#include "bot/core/metrics_process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>

using namespace cxos::bot;
using namespace std::chrono_literals;

namespace {

// The endpoints a full deployment registers, as the route table does at start-up.
struct endpoints {
    endpoint_id slack, teams_messages, teams_webhook, ingest, healthz, metrics;
};
endpoints register_all(metrics_registry& m) {
    return {m.add_endpoint({"/slack/events", true, true}),      m.add_endpoint({"/api/messages", true, true}),
            m.add_endpoint({"/teams/webhook", true, true}),     m.add_endpoint({"/ingest/v1/signals", true, true}),
            m.add_endpoint({"/healthz", false, false}),         m.add_endpoint({"/metrics", false, true})};
}

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

} // namespace

TEST_CASE("metrics render requests by endpoint and status with HELP and TYPE lines", "[metrics]") {
    metrics_registry m;
    const auto e = register_all(m);
    m.count_request(e.slack, 200, 3ms);
    m.count_request(e.slack, 200, 40us);
    m.count_request(e.slack, 401, 1ms);
    m.count_request(other_endpoint, 404, 1ms);
    const auto text = m.render({});
    CHECK(has_line(text, "# TYPE cxos_http_requests_total counter"));
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"/slack/events\",status=\"200\"} 2"));
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"/slack/events\",status=\"401\"} 1"));
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"other\",status=\"404\"} 1"));
    // A code never answered is not a series.
    CHECK(text.find("status=\"500\"") == std::string::npos);
}

TEST_CASE("the ack latency histogram is cumulative with a sum and a count", "[metrics]") {
    metrics_registry m;
    const auto e = register_all(m);
    m.count_request(e.teams_webhook, 200, 400us); // <= 0.0005
    m.count_request(e.teams_webhook, 200, 3ms);   // <= 0.005
    m.count_request(e.teams_webhook, 200, 4s);    // above every bound
    const auto text = m.render({});
    CHECK(has_line(text, "# TYPE cxos_ack_latency_seconds histogram"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_bucket{endpoint=\"/teams/webhook\",le=\"0.0005\"} 1"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_bucket{endpoint=\"/teams/webhook\",le=\"0.0025\"} 1"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_bucket{endpoint=\"/teams/webhook\",le=\"0.005\"} 2"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_bucket{endpoint=\"/teams/webhook\",le=\"2.5\"} 2"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_bucket{endpoint=\"/teams/webhook\",le=\"+Inf\"} 3"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_sum{endpoint=\"/teams/webhook\"} 4.0034"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_count{endpoint=\"/teams/webhook\"} 3"));
}

TEST_CASE("signals count by configured stage and none, outbox and council figures render", "[metrics]") {
    metrics_registry m;
    const auto e = register_all(m);
    m.set_stages({"onboard", "renew"});
    m.count_signal("renew");
    m.count_signal("renew");
    m.count_signal("");
    m.count_signal("not-a-stage");
    m.count_verification_failure(e.slack);
    m.count_outbox_sent();
    m.count_outbox_retry();
    m.count_outbox_retry();
    m.count_outbox_dead_letter();
    m.count_council_run(true);
    m.count_spike_alert();
    m.count_ingested(true);
    const auto text = m.render({4, 12.5, 1, {}});
    CHECK(has_line(text, "cxos_signals_total{stage=\"onboard\"} 0"));
    CHECK(has_line(text, "cxos_signals_total{stage=\"renew\"} 2"));
    CHECK(has_line(text, "cxos_signals_total{stage=\"none\"} 2"));
    CHECK(has_line(text, "cxos_verification_failures_total{endpoint=\"/slack/events\"} 1"));
    CHECK(has_line(text, "cxos_verification_failures_total{endpoint=\"/ingest/v1/signals\"} 0"));
    CHECK(has_line(text, "# TYPE cxos_outbox_depth gauge"));
    CHECK(has_line(text, "cxos_outbox_depth 4"));
    CHECK(has_line(text, "cxos_outbox_oldest_age_seconds 12.5"));
    CHECK(has_line(text, "cxos_outbox_dead_letters 1"));
    CHECK(has_line(text, "cxos_outbox_sent_total 1"));
    CHECK(has_line(text, "cxos_outbox_retries_total 2"));
    CHECK(has_line(text, "cxos_outbox_dead_letters_total 1"));
    CHECK(has_line(text, "cxos_council_runs_total{trigger=\"scheduled\"} 1"));
    CHECK(has_line(text, "cxos_council_runs_total{trigger=\"manual\"} 0"));
    CHECK(has_line(text, "cxos_spike_alerts_total 1"));
    CHECK(has_line(text, "cxos_ingested_signals_total{result=\"duplicate\"} 1"));
    // Every sample belongs to a family declared with a TYPE line.
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("#", 0) == 0) continue;
        auto family = line.substr(0, line.find_first_of("{ "));
        if (family.rfind("cxos_ack_latency_seconds", 0) == 0) family = "cxos_ack_latency_seconds";
        INFO(line);
        CHECK(text.find("# TYPE " + family + " ") != std::string::npos);
    }
}

TEST_CASE("an endpoint registered under a label counts there, the same label twice is one series", "[metrics]") {
    metrics_registry m;
    const auto kpis = m.add_endpoint({"/api/v1/kpis", false, false});
    CHECK(m.add_endpoint({"/api/v1/kpis", false, false}) == kpis);
    CHECK(m.add_endpoint({"other", false, false}) == other_endpoint);
    m.count_request(kpis, 200, 2ms);
    m.count_request(kpis + 100, 200, 2ms); // never registered: counted as other
    const auto text = m.render({});
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"/api/v1/kpis\",status=\"200\"} 1"));
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"other\",status=\"200\"} 1"));
}

TEST_CASE("ack latency is recorded only for endpoints that acknowledge chat and ingest requests", "[metrics]") {
    metrics_registry m;
    const auto e = register_all(m);
    m.count_request(e.slack, 200, 2ms);
    m.count_request(e.metrics, 200, 2ms);
    m.count_request(e.healthz, 200, 2ms);
    m.count_request(m.add_endpoint({"/dashboard", false, false}), 200, 2ms);
    const auto text = m.render({});
    CHECK(has_line(text, "cxos_ack_latency_seconds_count{endpoint=\"/slack/events\"} 1"));
    CHECK(has_line(text, "cxos_ack_latency_seconds_count{endpoint=\"/ingest/v1/signals\"} 0"));
    CHECK(text.find("cxos_ack_latency_seconds_count{endpoint=\"/metrics\"}") == std::string::npos);
    CHECK(text.find("cxos_ack_latency_seconds_count{endpoint=\"/healthz\"}") == std::string::npos);
    CHECK(text.find("cxos_ack_latency_seconds_count{endpoint=\"/dashboard\"}") == std::string::npos);
    CHECK(text.find("cxos_ack_latency_seconds_count{endpoint=\"other\"}") == std::string::npos);
    // The requests themselves are still counted.
    CHECK(has_line(text, "cxos_http_requests_total{endpoint=\"/metrics\",status=\"200\"} 1"));
}

TEST_CASE("the build is described by cxos_build_info", "[metrics]") {
    const auto text = metrics_registry().render({});
    CHECK(has_line(text, "# TYPE cxos_build_info gauge"));
    CHECK(has_line(text, "cxos_build_info{version=\"" CXOS_VERSION "\"} 1"));
}

TEST_CASE("the storage thread's commits and jobs render as counters, its commits' durations as a histogram", "[metrics]") {
    std::string text;
    latency_histogram commits;
    commits.observe(std::chrono::microseconds(700));
    commits.observe(std::chrono::milliseconds(3));
    commits.observe(std::chrono::milliseconds(300)); // a disk that stalled
    render_commit_metrics(text, 12, 300, commits);
    CHECK(has_line(text, "# TYPE cxos_store_commits_total counter"));
    CHECK(has_line(text, "cxos_store_commits_total 12"));
    CHECK(has_line(text, "# TYPE cxos_store_jobs_total counter"));
    CHECK(has_line(text, "cxos_store_jobs_total 300"));
    CHECK(has_line(text, "# TYPE cxos_store_commit_seconds histogram"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"0.0005\"} 0"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"0.001\"} 1"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"0.005\"} 2"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"0.25\"} 2"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"0.5\"} 3"));
    CHECK(has_line(text, "cxos_store_commit_seconds_bucket{le=\"+Inf\"} 3"));
    CHECK(has_line(text, "cxos_store_commit_seconds_sum 0.3037"));
    CHECK(has_line(text, "cxos_store_commit_seconds_count 3"));
}

TEST_CASE("process metrics are read from /proc/self/stat the way Prometheus clients read them", "[metrics]") {
    // A command name with spaces and a parenthesis must not shift the fields.
    const std::string stat = "4242 (cx os) worker) S 1 4242 4242 0 -1 4194560 900 0 0 0 "
                             "250 150 0 0 20 0 3 0 12000 104857600 2560 18446744073709551615";
    auto p = parse_proc_stat(stat, 100, 4096, 1'700'000'000);
    REQUIRE(p);
    CHECK(p->cpu_seconds == Approx(4.0));               // (250 + 150) ticks / 100 Hz
    CHECK(p->start_time_seconds == Approx(1'700'000'120.0)); // boot + 12000 ticks / 100 Hz
    CHECK(p->virtual_memory_bytes == 104857600);
    CHECK(p->resident_memory_bytes == 2560LL * 4096);
    CHECK_FALSE(parse_proc_stat("4242 (truncated", 100, 4096, 0));

    CHECK(parse_max_open_files("Limit                     Soft Limit           Hard Limit           Units\n"
                               "Max cpu time              unlimited            unlimited            seconds\n"
                               "Max open files            1024                 524288               files\n") == 1024);

    // This very process, read live.
    auto self = read_process_stats();
    REQUIRE(self);
    CHECK(self->resident_memory_bytes > 0);
    CHECK(self->open_fds > 0);
    CHECK(self->max_fds >= self->open_fds);
    CHECK(self->start_time_seconds > 1'600'000'000);
    std::string text;
    render_process_metrics(text, *self);
    for (const char* family : {"process_cpu_seconds_total counter", "process_resident_memory_bytes gauge",
                               "process_virtual_memory_bytes gauge", "process_start_time_seconds gauge",
                               "process_open_fds gauge", "process_max_fds gauge"})
        CHECK(has_line(text, std::string("# TYPE ") + family));
}
