// SIGHUP (`systemctl reload`) reads the config file again while cxos serves: new routing takes
// the next report, a bad file changes nothing and says why, and no request is lost on the way.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <thread>

using namespace cxos::test;
using nlohmann::json;

namespace {

// The file with `with` in place of `what`, which must be there.
std::string edited(std::string text, const std::string& what, const std::string& with) {
    const auto at = text.find(what);
    REQUIRE(at != std::string::npos);
    return text.replace(at, what.size(), with);
}

const std::string security_rule = R"(    - name: login
      when: { keywords: [login, password] }
      route_to: security
    - name: archived
)";

} // namespace

TEST_CASE("SIGHUP reloads owners and routing: a rule added to the file routes the next report", "[e2e][reload]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto before = json::parse(slash(cxos.port(), "the login page rejects my password").body);
    CHECK_THAT(before.dump(), Catch::Contains("no rule matched"));
    REQUIRE(slack.wait_until([](auto& posts) { return posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0TRIAGE");

    auto text = edited(cxos.config_text(), "  triage:  { slack: C0TRIAGE }\n",
                       "  triage:  { slack: C0TRIAGE }\n  security: { slack: C0SECURITY }\n");
    cxos.set_config_text(edited(text, "    - name: archived\n", security_rule));
    REQUIRE(cxos.reload(config_reloaded));

    auto after = json::parse(slash(cxos.port(), "password reset emails never arrive").body);
    CHECK_THAT(after.dump(), Catch::Contains("rule `login` matched"));
    REQUIRE(slack.wait_until([](auto& posts) { return posts.size() == 2; }));
    CHECK(slack.posts()[1].channel == "C0SECURITY");
    // The rules that were there stay.
    CHECK_THAT(slash(cxos.port(), "the invoice is wrong").body, Catch::Contains("rule `invoices` matched"));
    CHECK(cxos.stop() == 0);
}

TEST_CASE("a config file with errors is refused on SIGHUP: its errors are logged and the old rules kept",
          "[e2e][reload]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    const auto good = cxos.config_text();
    // A rule to an owner nobody defined, and the invoices rule gone.
    auto bad = edited(good, "      route_to: billing\n", "      route_to: finance\n");
    cxos.set_config_text(bad);
    REQUIRE(cxos.reload(config_refused));
    const auto log = cxos.log();
    CHECK_THAT(log, Catch::Contains("routes to unknown owner 'finance'"));
    CHECK_THAT(log, Catch::Contains("\"level\":\"error\""));

    CHECK_THAT(slash(cxos.port(), "the invoice is wrong").body, Catch::Contains("rule `invoices` matched"));
    REQUIRE(slack.wait_until([](auto& posts) { return posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    CHECK(cxos.stop() == 0);
}

TEST_CASE("settings that need a restart are named on SIGHUP and left as they were, the rest applies",
          "[e2e][reload]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto text = edited(cxos.config_text(), "127.0.0.1:0", "127.0.0.1:1");
    cxos.set_config_text(edited(text, "keywords: [docs, article]", "keywords: [docs, article, manual]"));
    REQUIRE(cxos.reload(config_reloaded));
    CHECK_THAT(cxos.log(), Catch::Contains("\"needs_restart\":[\"server.listen\"]"));
    // Still on the port it bound, with the new keyword.
    CHECK(http_call(cxos.port(), "GET", "/healthz", "").status == 200);
    CHECK_THAT(slash(cxos.port(), "the manual is out of date").body, Catch::Contains("rule `docs` matched"));
    CHECK(cxos.stop() == 0);
}

TEST_CASE("requests sent while the config reloads, again and again, are all answered", "[e2e][reload]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    const auto good = cxos.config_text();
    const auto other = edited(good, "keywords: [docs, article]", "keywords: [docs, article, manual]");
    const auto bad = edited(good, "      route_to: billing\n", "      route_to: finance\n");

    // Senders keep sending while the file is reloaded, every third time refused.
    constexpr int senders = 4, reloads = 6;
    std::atomic<int> sent{0}, answered{0}, logged{0};
    std::atomic<bool> reloading{true}, reload_missed{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < senders; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; reloading || i == 0; ++i) {
                ++sent;
                auto ack = slash(cxos.port(), "the invoice is wrong " + std::to_string(t) + "-" + std::to_string(i));
                if (ack.status == 200) ++answered;
                const bool item = ack.body.find("Logged: item") != std::string::npos ||
                                  ack.body.find("Added to item") != std::string::npos;
                if (item) ++logged;
            }
        });
    // At least six reloads, and on until three answers per sender came back (a slow store makes
    // the first requests outlast six reloads).
    for (int i = 0; i < 100 && (i < reloads || answered < senders * 3); ++i) {
        cxos.set_config_text(i % 3 == 0 ? bad : i % 3 == 1 ? other : good);
        if (!cxos.reload(i % 3 == 0 ? config_refused : config_reloaded)) reload_missed = true;
    }
    reloading = false;
    for (auto& t : threads) t.join();
    CHECK_FALSE(reload_missed);
    CHECK(sent > senders);
    CHECK(answered == sent);
    CHECK(logged == sent);
    // The billing channel heard of them under whichever config was in force.
    CHECK(slack.wait_until([](auto& posts) { return !posts.empty(); }));
    for (const auto& post : slack.posts()) CHECK(post.channel == "C0BILLING");
    CHECK(cxos.stop() == 0);
}
