// KPIs end to end against the real binary: /friction stats in chat, the token-gated JSON API and
// CSV export, and the dashboard page driven in headless Chromium (log in, read the heat map,
// filter by owner, save a screenshot under the build tree).
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"
#include "tests/support/webdriver.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string token = "dashboard-token-for-tests";
const std::string dashboard_yaml = std::string(e2e_routing) + R"(economics: { cost_per_contact: 6.50, currency: EUR }
public_url: "https://cx.example.com/"
council: { slack_channel: C0COUNCIL }
)";

// Seven signals on four items: billing 3 + 1, docs 2, triage 1.
void seed(unsigned short port) {
    const char* texts[] = {
        "the invoice shows the wrong currency #onboard +onboarding",
        "the invoice shows the wrong currency #onboard +onboarding",
        "the invoice shows the wrong currency #onboard +onboarding",
        "refund button is missing #support +knowledge",
        "the docs article about exports is outdated #adopt +education",
        "the docs article about exports is outdated #adopt +education",
        "login page is slow #onboard +onboarding",
    };
    for (const char* t : texts) REQUIRE(slash(port, t).status == 200);
}

std::string blocks_text(const json& body) { return body["blocks"].dump(); }

http_answer api(unsigned short port, const std::string& target) {
    return http_call(port, "GET", target, "", {{"Authorization", "Bearer " + token}});
}

// "stage|component" -> reports, as the heat map of /api/v1/kpis says.
std::map<std::string, int> heat_of(const json& kpis) {
    std::map<std::string, int> out;
    for (const auto& c : kpis["heat_map"]) out[c["stage"].get<std::string>() + "|" + c["component"].get<std::string>()] = c["signals"];
    return out;
}

} // namespace

TEST_CASE("without CXOS_DASHBOARD_TOKEN the dashboard and its API do not exist", "[e2e][dashboard]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), dashboard_yaml);
    cxos.start();
    CHECK(http_call(cxos.port(), "GET", "/dashboard", "").status == 404);
    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Authorization", "Bearer " + token}}).status == 404);
    auto link = json::parse(slash(cxos.port(), "dashboard").body);
    CHECK_THAT(blocks_text(link), Catch::Contains("dashboard is off"));
}

TEST_CASE("stats in chat and the JSON API show the same KPIs", "[e2e][dashboard]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), dashboard_yaml);
    slack.set_members("C0BILLING", {"U0OWNER"});
    cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    seed(cxos.port());
    // Every item's post reaches its owner (time to route); billing acknowledges the invoice item.
    REQUIRE(slack.wait_for([](const fake_state& st) { return st.posts.size() == 4; }));
    const auto billing_post = slack.posts_in("C0BILLING").at(0).ts;
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0BILLING", billing_post, "triage.ack", "1"))
                .status == 200);
    REQUIRE(slack.wait_for([](const fake_state& st) { return !st.updates.empty(); }));

    auto stats = json::parse(slash(cxos.port(), "stats").body);
    CHECK_THAT(blocks_text(stats), Catch::Contains("7 signals* on *4 items*, 4 open"));
    CHECK_THAT(blocks_text(stats), Catch::Contains("€45.50")); // 7 contacts × €6.50
    CHECK_THAT(blocks_text(stats), Catch::Contains("the invoice shows the wrong currency — 3 reports, billing"));
    auto billing = json::parse(slash(cxos.port(), "stats billing").body);
    CHECK_THAT(blocks_text(billing), Catch::Contains("cxos stats: billing") && Catch::Contains("4 signals* on *2 items*"));
    auto adopt = json::parse(slash(cxos.port(), "stats adopt").body);
    CHECK_THAT(blocks_text(adopt), Catch::Contains("stage adopt") && Catch::Contains("2 signals* on *1 item*"));
    auto link = json::parse(slash(cxos.port(), "dashboard").body);
    CHECK_THAT(blocks_text(link), Catch::Contains("https://cx.example.com/dashboard"));
    CHECK(link["text"] == "Dashboard: https://cx.example.com/dashboard"); // the notification, said once
    auto agenda = json::parse(slash(cxos.port(), "council preview").body);
    CHECK_THAT(blocks_text(agenda), Catch::Contains("the items on this agenda cost about €45.50 in the last 30 days"));
    CHECK_THAT(blocks_text(agenda), Catch::Contains("the invoice shows the wrong currency — 3 reports from 1 person, "
                                                    "about €19.50 in the last 30 days, €19.50 so far"));

    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "").status == 401);
    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Authorization", "Bearer wrong"}}).status == 401);
    auto login_page = http_call(cxos.port(), "GET", "/dashboard", "");
    CHECK(login_page.status == 401);
    CHECK_THAT(login_page.body, Catch::Contains("name=\"token\""));
    CHECK(http_call(cxos.port(), "POST", "/dashboard/login", "token=wrong",
                    {{"Content-Type", "application/x-www-form-urlencoded"}}).status == 401);

    // cxos records a post as routed just after Slack answered it: ask until all four are.
    json k;
    for (int i = 0; i < 40; ++i) {
        auto kpis = api(cxos.port(), "/api/v1/kpis");
        REQUIRE(kpis.status == 200);
        k = json::parse(kpis.body);
        if (k["time_to_route"]["count"] == 4) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(k["totals"]["signals"] == 7);
    CHECK(k["totals"]["items"] == 4);
    CHECK(heat_of(k) == std::map<std::string, int>{{"onboard|onboarding", 4}, {"support|knowledge", 1}, {"adopt|education", 2}});
    CHECK(k["top_items"][0]["reports"] == 3);
    CHECK(k["economics"]["cost"]["text"] == "€45.50");
    CHECK(k["weeks"].size() == 8);
    CHECK(k["weeks"][7]["signals"] == 7);
    CHECK(k["time_to_route"]["count"] == 4);
    CHECK(k["time_to_acknowledge"]["count"] == 1);
    CHECK(k["routing_accuracy"]["routed"] == 4);
    CHECK(k["routing_accuracy"]["accuracy"] == 1.0);
    // "login page is slow" matched no rule: triage has it by default, which proves nothing about the rules.
    CHECK(k["routing_accuracy"]["rule_routed"] == 3);
    CHECK(k["routing_accuracy"]["fallback_routed"] == 1);
    CHECK(k["routing_accuracy"]["fallback_share"] == 0.25);
    auto routing = json::parse(slash(cxos.port(), "stats routing").body);
    CHECK_THAT(blocks_text(routing), Catch::Contains("of 3 items routed by a rule") &&
                                         Catch::Contains("1 of 4 routed items (25 %) went to the fallback owner"));
    const auto billing_ts = slack.posts_in("C0BILLING").at(0).ts;
    CHECK(k["top_items"][0]["posts"] ==
          json::array({{{"platform", "slack"}, {"channel", "C0BILLING"},
                        {"url", "https://slack.com/archives/C0BILLING/p" + billing_ts.substr(0, billing_ts.find('.')) +
                                    billing_ts.substr(billing_ts.find('.') + 1)}}}));
    CHECK(k["open_by_owner"][0]["owner"] == "billing");
    CHECK(k["open_by_owner"][0]["open_items"] == 2);

    auto items = json::parse(api(cxos.port(), "/api/v1/items?owner=docs").body);
    CHECK(items["count"] == 1);
    CHECK(items["items"][0]["reports"] == 2);
    auto bad = api(cxos.port(), "/api/v1/items?from=yesterday");
    CHECK(bad.status == 400);
    CHECK_THAT(json::parse(bad.body)["error"].get<std::string>(), Catch::Contains("YYYY-MM-DD"));

    auto csv = api(cxos.port(), "/api/v1/export.csv?rows=signals&owner=billing");
    REQUIRE(csv.status == 200);
    CHECK_THAT(csv.content_type, Catch::Contains("text/csv"));
    CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 5); // header + 4 billing signals
}

TEST_CASE("the dashboard in headless Chromium shows the heat map and filters by owner", "[e2e][dashboard][browser]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), dashboard_yaml);
    cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    seed(cxos.port());

    headless_chromium browser;
    browser.navigate("http://127.0.0.1:" + std::to_string(cxos.port()) + "/dashboard");
    browser.type(browser.find("input[name=token]"), token);
    browser.click(browser.find("button[type=submit]"));
    REQUIRE(browser.wait_for("return document.getElementById('state')?.dataset.state === 'ready';"));

    const std::string cells = "return Object.fromEntries([...document.querySelectorAll('#heat td.cell')]"
                              ".filter(td => td.dataset.count !== '0')"
                              ".map(td => [td.dataset.stage + '|' + td.dataset.component, Number(td.textContent)]));";
    auto all = browser.run(cells);
    CHECK(all == json{{"onboard|onboarding", 4}, {"support|knowledge", 1}, {"adopt|education", 2}});
    auto rows = browser.run("return document.querySelectorAll('#top tr[data-item]').length;");
    CHECK(rows == 4);

    browser.click(browser.find("#owner option[value=billing]"));
    REQUIRE(browser.wait_for("return document.getElementById('state').dataset.loads === '2' && "
                             "document.getElementById('state').dataset.state === 'ready';"));
    CHECK(browser.run(cells) == json{{"onboard|onboarding", 3}, {"support|knowledge", 1}});
    CHECK(browser.run("return location.search;") == "?owner=billing");
    browser.click(browser.find("#owner option[value='']"));
    REQUIRE(browser.wait_for("return document.getElementById('state').dataset.loads === '3' && "
                             "document.getElementById('state').dataset.state === 'ready';"));
    CHECK(browser.run(cells) == all);

    // A date range that starts tomorrow holds none of today's reports.
    browser.run("document.getElementById('from').value = new Date(Date.now() + 86400000).toISOString().slice(0, 10);");
    browser.click(browser.find("#apply"));
    REQUIRE(browser.wait_for("return document.getElementById('state').dataset.loads === '4' && "
                             "document.getElementById('state').dataset.state === 'ready';"));
    CHECK(browser.run(cells) == json::object());
    CHECK(browser.run("return document.querySelectorAll('#top tr[data-item]').length;") == 0);
    browser.run("document.getElementById('from').value = '';");
    browser.click(browser.find("#apply"));
    REQUIRE(browser.wait_for("return document.getElementById('state').dataset.loads === '5' && "
                             "document.getElementById('state').dataset.state === 'ready';"));
    const auto png = std::filesystem::path(CXOS_SCREENSHOT_DIR) / "dashboard.png";
    browser.screenshot(png);
    CHECK(std::filesystem::file_size(png) > 10000);
}
