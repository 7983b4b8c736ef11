// The Prometheus exposition: exact lines for counters, labels and the cumulative histogram.
#include "bot/metrics.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace cxos::bot;
using namespace std::chrono_literals;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l == line) return true;
    return false;
}

} // namespace

TEST_CASE("metrics render requests by endpoint and status with HELP and TYPE lines", "[metrics]") {
    metrics_registry m;
    m.count_request(endpoint::slack_events, 200, 3ms);
    m.count_request(endpoint::slack_events, 200, 40us);
    m.count_request(endpoint::slack_events, 401, 1ms);
    m.count_request(endpoint_of("/no/such/path"), 404, 1ms);
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
    m.count_request(endpoint::teams_webhook, 200, 400us);  // <= 0.0005
    m.count_request(endpoint::teams_webhook, 200, 3ms);    // <= 0.005
    m.count_request(endpoint::teams_webhook, 200, 4s);     // above every bound
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
    m.set_stages({"onboard", "renew"});
    m.count_signal("renew");
    m.count_signal("renew");
    m.count_signal("");
    m.count_signal("not-a-stage");
    m.count_verification_failure(endpoint::slack_events);
    m.count_outbox_sent();
    m.count_outbox_retry();
    m.count_outbox_retry();
    m.count_outbox_dead_letter();
    m.count_council_run(true);
    m.count_spike_alert();
    m.count_ingested(true);
    const auto text = m.render({4, 12.5, 1});
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
