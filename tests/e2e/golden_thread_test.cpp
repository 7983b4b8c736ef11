// The golden thread against the real binary on a test clock: a fix followed by quiet weeks holds
// and shows its savings in chat, the JSON API, the council agenda and the dashboard; a fix
// followed by new reports reopens the item as regressed, tells its owner and reporter, and puts
// it first on the council's agenda.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"
#include "tests/support/webdriver.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string token = "dashboard-token-for-tests";
const std::string golden_yaml = std::string(e2e_routing) + R"(economics: { cost_per_contact: 6.50, currency: EUR }
council: { slack_channel: C0COUNCIL }
items: { regression_window_days: 60, fix_holds_share: 0.2 }
)";

constexpr long long day_ms = 24LL * 3600 * 1000;
const long long nov_2 = 1793613600000; // Monday 2 November 2026, 10:00 UTC

std::string blocks_of(const json& body) { return body.contains("blocks") ? body["blocks"].dump() : ""; }

struct golden_world {
    fake_slack slack;
    cxos_process cxos{slack.api_url(), golden_yaml};

    golden_world() {
        slack.set_members("C0BILLING", {"U0OWNER"});
        slack.set_members("C0COUNCIL", {"U0LEAD"});
        cxos.use_test_clock(nov_2);
        cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    }

    // A report `days` after 2 November, as what the reporter hears back. Waits until the item's
    // post reached its owner and cxos recorded it, so the item is routed before the clock moves on.
    std::string report(double days, const std::string& text = "refund missing for acme",
                       const std::string& owner_channel = "C0BILLING") {
        cxos.move_clock(nov_2 + static_cast<long long>(days * day_ms));
        auto answer = slash(cxos.port(), text);
        REQUIRE(answer.status == 200);
        REQUIRE(slack.wait_for([&](const fake_state& s) {
            return std::any_of(s.posts.begin(), s.posts.end(), [&](auto& p) { return p.channel == owner_channel; });
        }));
        cxos.settle(); // the post's answer recorded too: the item is routed at this time
        return blocks_of(json::parse(answer.body));
    }

    std::string ask(const std::string& text) { return blocks_of(json::parse(slash(cxos.port(), text).body)); }

    json api(const std::string& target) {
        return json::parse(http_call(cxos.port(), "GET", target, "", {{"Authorization", "Bearer " + token}}).body);
    }

    // The owner presses Fixed on the billing post `days` after 2 November and says what changed.
    void fix(double days, const std::string& what_changed) {
        cxos.move_clock(nov_2 + static_cast<long long>(days * day_ms));
        const auto post = slack.posts_in("C0BILLING").at(0);
        const auto views = slack.opened_views().size();
        send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0BILLING", post.ts, "triage.fixed", "1"));
        REQUIRE(slack.wait_for([views](const fake_state& s) { return s.views.size() > views; }));
        auto view = slack.opened_views().back().view;
        REQUIRE(send_interaction(cxos.port(), view_submission_payload("U0OWNER", view, {{"what_changed", what_changed}}))
                    .status == 200);
        cxos.settle();
    }
};

} // namespace

TEST_CASE("a fix followed by quiet weeks holds and its savings show in chat, API, council and dashboard",
          "[e2e][golden]") {
    golden_world w;
    for (int d = 0; d < 3; ++d) w.report(d); // 3 contacts in the 3 days before the fix
    w.fix(3, "Refunds now post within a day");
    CHECK_THAT(w.ask("status 1"), Catch::Contains("under watch until 08 Nov 2026"));

    w.cxos.move_clock(nov_2 + 33 * day_ms); // 30 quiet days after the fix
    const auto status = w.ask("status 1");
    CHECK_THAT(status, Catch::Contains("held: 0 reports in the 3 days after the fix on 05 Nov 2026, against 3 before"));
    // The thread of the item, from the first report to the verdict.
    CHECK_THAT(status, Catch::Contains("first report by agent") && Catch::Contains("routed to #billing by rule `invoices`") &&
                           Catch::Contains("fixed: Refunds now post within a day (U0OWNER)") &&
                           Catch::Contains("1 reporter told what changed") && Catch::Contains("the fix held"));
    // 3 contacts × €6.50 per 3 days = €195 a month, a month of it so far.
    CHECK_THAT(status, Catch::Contains("€19.50 so far (3 contacts); saved about €195 since the fix"));

    const auto stats = w.ask("stats");
    CHECK_THAT(stats, Catch::Contains("fixes that held: 1 of 1") && Catch::Contains("about €195 a month"));
    auto kpis = w.api("/api/v1/kpis");
    CHECK(kpis["fixes"]["held"] == 1);
    CHECK(kpis["fixes"]["savings"]["month"]["amount"] == 195.0);
    CHECK(kpis["fixes"]["by_owner"][0]["name"] == "billing");
    CHECK(kpis["top_items"][0]["fix"]["verdict"] == "held");
    CHECK(kpis["health"].size() == 6);
    CHECK_THAT(w.ask("council preview"), Catch::Contains("fixes that held: 1 of 1") && Catch::Contains("about €195 a month"));

    auto page = w.api("/api/v1/items/1");
    CHECK(page["fix"]["verdict"] == "held");
    CHECK(page["thread"].back()["kind"] == "held");
    CHECK(w.api("/api/v1/items/99")["error"] == "there is no item 99");
    // Every item's page counts under one label, not one per id.
    const auto metrics = http_call(w.cxos.port(), "GET", "/metrics", "").body;
    CHECK_THAT(metrics, Catch::Contains("cxos_http_requests_total{endpoint=\"/api/v1/items/<id>\",status=\"200\"} 1\n") &&
                            Catch::Contains("cxos_http_requests_total{endpoint=\"/api/v1/items/<id>\",status=\"404\"} 1\n"));

    headless_chromium browser;
    const std::string base = "http://127.0.0.1:" + std::to_string(w.cxos.port());
    browser.navigate(base + "/dashboard");
    browser.type(browser.find("input[name=token]"), token);
    browser.click(browser.find("button[type=submit]"));
    REQUIRE(browser.wait_for("return document.getElementById('state')?.dataset.state === 'ready';"));
    CHECK(browser.run("return document.querySelector('#fixes-held b').textContent;") == "1 of 1");
    CHECK(browser.run("return document.querySelector('#savings-month b').textContent;") == "€195");
    CHECK(browser.run("return document.querySelectorAll('#health tr[data-component]').length;") == 6);
    browser.click(browser.find("#top tr[data-item=\"1\"] a.item"));
    REQUIRE(browser.wait_for("return document.getElementById('state')?.dataset.state === 'ready' && "
                             "location.pathname === '/dashboard/items/1';"));
    CHECK(browser.run("return document.getElementById('fix').dataset.verdict;") == "held");
    CHECK(browser.run("return [...document.querySelectorAll('#thread li')].map(li => li.dataset.kind);") ==
          json{"first_report", "routed", "report", "report", "fixed", "told", "held"});
    browser.set_viewport(1400, 900);
    browser.screenshot(std::filesystem::path(CXOS_SCREENSHOT_DIR) / "dashboard-item.png");
}

TEST_CASE("a report after a fix reopens the item as regressed, tells its owner and leads the council agenda",
          "[e2e][golden]") {
    golden_world w;
    w.report(0);
    for (int d = 0; d < 4; ++d) w.report(d * 0.5, "the docs article about exports is outdated", "C0DOCS");
    w.fix(2, "Refunds now post within a day");
    const auto billing = w.slack.posts_in("C0BILLING").at(0);

    const auto ack = w.report(11);
    CHECK_THAT(ack, Catch::Contains("Reopened: item 1") && Catch::Contains("was fixed on 04 Nov 2026"));
    REQUIRE(w.slack.wait_for([&](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [&](auto& p) {
            return p.channel == "C0BILLING" && p.thread_ts == billing.ts &&
                   p.body.dump().find("1 new report since the fix on 04 Nov 2026: reopened") != std::string::npos;
        });
    }));
    REQUIRE(w.slack.wait_for([&](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(), [&](auto& u) {
            return u.ts == billing.ts && u.body.dump().find("Regressed") != std::string::npos;
        });
    }));
    // A second report joins the reopened item: no second item, no second line to the owner.
    w.report(12);
    w.cxos.settle();
    CHECK(w.slack.posts_in("C0BILLING").size() == 2);
    CHECK(w.api("/api/v1/items/1")["status"] == "regressed");

    // The docs item has more demand, yet the regression comes first.
    const auto agenda = w.ask("council preview");
    CHECK_THAT(agenda, Catch::Contains("1 regression first") && Catch::Contains("#1 · Item 1") &&
                           Catch::Contains("#2 · Item 2"));
    CHECK_THAT(w.ask("status 1"), Catch::Contains("regressed: reported again after the fix on 04 Nov 2026") &&
                                      Catch::Contains("reopened as regressed"));
}
