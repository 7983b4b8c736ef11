// Spike alerts against the real binary on the test clock: a burst of reports of one item posts
// exactly one alert, with the numbers, in the owner's channel; more reports in the same spike
// post nothing more.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace cxos::test;
using namespace std::chrono_literals;

namespace {

std::vector<posted_message> spike_posts(const std::vector<posted_message>& posts) {
    std::vector<posted_message> out;
    for (const auto& p : posts)
        if (p.channel == "C0BILLING" && p.body.dump().find("Spike") != std::string::npos) out.push_back(p);
    return out;
}

} // namespace

TEST_CASE("a burst of reports posts one spike alert in the owner's channel", "[e2e][spike]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    const long long start = 1'780'000'000'000; // test clock: signals are stamped with it
    cxos.use_test_clock(start);
    cxos.start();

    for (int i = 0; i < 6; ++i) REQUIRE(slash(cxos.port(), "the refund page is blank").status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() >= 1; }));
    cxos.move_clock(start + 60'000); // the monitor looks again whenever the test clock moves
    // (the predicate runs under the fake's lock: it reads the state it is given, never the fake)
    REQUIRE(slack.wait_for([](const fake_state& s) { return spike_posts(s.posts).size() == 1; }));
    const auto alert = spike_posts(slack.posts())[0];
    CHECK(alert.thread_ts.empty());
    CHECK_THAT(alert.body.dump(), Catch::Contains("the refund page is blank") &&
                                      Catch::Contains("6 reports in the last 24 h vs none over the previous day"));

    // The same spike goes on: no second alert.
    for (int i = 0; i < 3; ++i) REQUIRE(slash(cxos.port(), "the refund page is blank").status == 200);
    cxos.move_clock(start + 120'000);
    cxos.settle();
    CHECK(spike_posts(slack.posts()).size() == 1);
    CHECK_THAT(http_call(cxos.port(), "GET", "/metrics", "").body, Catch::Contains("cxos_spike_alerts_total 1\n"));
}
