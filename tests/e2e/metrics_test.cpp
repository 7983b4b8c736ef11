// GET /metrics against the real binary: requests, verification failures, signals and the outbox
// show up after a few requests; CXOS_METRICS_TOKEN protects the scrape.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <thread>

using namespace cxos::test;

namespace {
long counter(const std::string& text, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("\n" + name + " ([0-9]+)\n"))) return -1;
    return std::stol(m[1]);
}
} // namespace

TEST_CASE("metrics count requests, signature failures, signals and deliveries", "[e2e][metrics]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();

    REQUIRE(slash(cxos.port(), "the invoice shows the wrong currency #renew").status == 200);
    REQUIRE(slash(cxos.port(), "the docs article is outdated").status == 200);
    CHECK(send_signed(cxos.port(), slash_body("forged"), "application/x-www-form-urlencoded", 1).status == 401);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));

    // cxos records a send just after Slack answered it: once it has nothing left to do, both are.
    cxos.settle();
    const auto scrape = http_call(cxos.port(), "GET", "/metrics", "");
    REQUIRE(scrape.status == 200);
    CHECK(scrape.content_type == "text/plain; version=0.0.4; charset=utf-8");
    const auto& text = scrape.body;
    CHECK_THAT(text, Catch::Contains("cxos_http_requests_total{endpoint=\"/slack/events\",status=\"200\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("cxos_http_requests_total{endpoint=\"/slack/events\",status=\"401\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_verification_failures_total{endpoint=\"/slack/events\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_ack_latency_seconds_count{endpoint=\"/slack/events\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("cxos_signals_total{stage=\"renew\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_signals_total{stage=\"none\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_outbox_sent_total 2\n"));
    CHECK_THAT(text, Catch::Contains("cxos_outbox_depth 0\n"));
    CHECK_THAT(text, Catch::Contains("cxos_outbox_oldest_age_seconds 0\n"));
    // Two reports, the sends recorded, this scrape's read: each a job, some sharing a commit.
    CHECK(counter(text, "cxos_store_jobs_total") >= 5);
    CHECK(counter(text, "cxos_store_commits_total") >= 1);
    CHECK(counter(text, "cxos_store_commits_total") <= counter(text, "cxos_store_jobs_total"));
    // Each commit is timed: the reports' and the scrape's own read at least (the outbox worker's
    // polls may add more between the two counters' reads, so they are not compared).
    CHECK(counter(text, "cxos_store_commit_seconds_count") >= 2);

    auto again = http_call(cxos.port(), "GET", "/metrics", "");
    CHECK_THAT(again.body, Catch::Contains("cxos_http_requests_total{endpoint=\"/metrics\",status=\"200\"} 1\n"));
}

TEST_CASE("with CXOS_METRICS_TOKEN the scrape needs the bearer token", "[e2e][metrics]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start({{"CXOS_METRICS_TOKEN", "scrape-me"}});

    CHECK(http_call(cxos.port(), "GET", "/metrics", "").status == 401);
    CHECK(http_call(cxos.port(), "GET", "/metrics", "", {{"Authorization", "Bearer wrong-one"}}).status == 401);
    auto scrape = http_call(cxos.port(), "GET", "/metrics", "", {{"Authorization", "Bearer scrape-me"}});
    REQUIRE(scrape.status == 200);
    CHECK_THAT(scrape.body, Catch::Contains("cxos_verification_failures_total{endpoint=\"/metrics\"} 2\n"));
}

TEST_CASE("metrics name dashboard and API requests, time only acknowledgements, and describe the process",
          "[e2e][metrics]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start({{"CXOS_DASHBOARD_TOKEN", "dash-token"}});
    const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer dash-token"}};
    REQUIRE(http_call(cxos.port(), "GET", "/dashboard", "", bearer).status == 200);
    REQUIRE(http_call(cxos.port(), "GET", "/api/v1/kpis?owner=billing", "", bearer).status == 200);
    REQUIRE(http_call(cxos.port(), "GET", "/api/v1/items", "", bearer).status == 200);
    REQUIRE(http_call(cxos.port(), "GET", "/healthz", "").status == 200);
    REQUIRE(http_call(cxos.port(), "GET", "/metrics", "").status == 200);
    REQUIRE(slash(cxos.port(), "the invoice shows the wrong currency").status == 200);

    const auto text = http_call(cxos.port(), "GET", "/metrics", "").body;
    CHECK_THAT(text, Catch::Contains("cxos_http_requests_total{endpoint=\"/dashboard\",status=\"200\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_http_requests_total{endpoint=\"/api/v1/kpis\",status=\"200\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("cxos_http_requests_total{endpoint=\"/api/v1/items\",status=\"200\"} 1\n"));
    CHECK_THAT(text, !Catch::Contains("endpoint=\"other\""));
    CHECK_THAT(text, Catch::Contains("cxos_ack_latency_seconds_count{endpoint=\"/slack/events\"} 1\n"));
    CHECK_THAT(text, !Catch::Contains("cxos_ack_latency_seconds_count{endpoint=\"/healthz\"}"));
    CHECK_THAT(text, !Catch::Contains("cxos_ack_latency_seconds_count{endpoint=\"/metrics\"}"));
    CHECK_THAT(text, !Catch::Contains("cxos_ack_latency_seconds_count{endpoint=\"/dashboard\"}"));
    CHECK_THAT(text, Catch::Contains("cxos_build_info{version=\"" CXOS_VERSION "\"} 1\n"));
    for (const char* family : {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_virtual_memory_bytes ",
                               "process_start_time_seconds ", "process_open_fds ", "process_max_fds "}) {
        INFO(family);
        CHECK_THAT(text, Catch::Contains(std::string("\n") + family));
    }
}
