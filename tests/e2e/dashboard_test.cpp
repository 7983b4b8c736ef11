// KPIs end to end against the real binary: /friction stats in chat, the token-gated JSON API and
// CSV export, and the dashboard page driven in headless Chromium (log in, read the heat map,
// filter by owner, save a screenshot under the build tree).
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
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
    CHECK(eventually([&] {
        k = json::parse(api(cxos.port(), "/api/v1/kpis").body);
        return k["time_to_route"]["count"] == 4;
    }));
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

namespace {

// Money in every cost column (€93.20 for billing, €186 in all) and one long title, so a column or
// a card that is too narrow shows.
const std::string browser_yaml = std::string(e2e_routing) + R"(economics: { cost_per_contact: 23.30, currency: EUR }
)";

// Every section, KPI card, gauge and table cell shows all of its text, and the page does not
// scroll sideways; the answer lists whatever does not fit.
const std::string clipped_script = R"js(
const bad = [], root = document.documentElement;
if (root.scrollWidth > root.clientWidth) bad.push("the page scrolls sideways: " + root.scrollWidth + " > " + root.clientWidth);
for (const e of document.querySelectorAll("section, .card, .gauge, th, td"))
  if (e.scrollWidth > e.clientWidth) {
    const where = e.closest("section")?.querySelector("h2")?.textContent || "KPI cards";
    bad.push(where + " / " + e.tagName.toLowerCase() + " '" + e.textContent.trim().slice(0, 40) + "': " + e.scrollWidth + " > " + e.clientWidth);
  }
return bad;
)js";

// Each row of sections spans the whole width: no narrow card leaves the rest of its row empty.
const std::string empty_space_script = R"js(
const main = document.querySelector("main"), cs = getComputedStyle(main);
const inner = main.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight), gap = parseFloat(cs.columnGap) || 0;
const rows = {};
for (const s of main.children) { const r = s.getBoundingClientRect(); (rows[Math.round(r.top)] ||= []).push(s); }
return Object.values(rows).filter(row => row.reduce((w, s) => w + s.getBoundingClientRect().width, 0) + gap * (row.length - 1) < inner - 2)
  .map(row => row.map(s => s.querySelector("h2")?.textContent || "KPI cards").join(" + ") + " leave part of their row empty");
)js";

std::string ready_after(int loads) {
    return "return document.getElementById('state').dataset.loads === '" + std::to_string(loads) +
           "' && document.getElementById('state').dataset.state === 'ready';";
}

// Lays the page out `width` CSS pixels wide, checks nothing is clipped and no row is half empty,
// and saves a screenshot of all of it, as tall as the page is.
void check_layout_at(headless_chromium& browser, int width, const std::string& png_name) {
    INFO("viewport " << width << " px wide");
    browser.set_viewport(width, 900);
    REQUIRE(browser.run("return window.innerWidth;") == width);
    CHECK(browser.run(clipped_script) == json::array());
    CHECK(browser.run(empty_space_script) == json::array());
    const int height = browser.run("return document.documentElement.scrollHeight;").get<int>();
    browser.set_viewport(width, height);
    const auto png = std::filesystem::path(CXOS_SCREENSHOT_DIR) / png_name;
    browser.screenshot(png);
    CHECK(std::filesystem::file_size(png) > 10000);
}

} // namespace

TEST_CASE("the dashboard in headless Chromium shows the heat map and filters by owner", "[e2e][dashboard][browser]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), browser_yaml);
    cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    seed(cxos.port());
    REQUIRE(slash(cxos.port(), "the checkout page shows an unreadable error about the payment provider being "
                               "unavailable in this region, again and again #support +knowledge").status == 200);
    // Items link to their posts once Slack answered them: wait until all five are routed.
    REQUIRE(slack.wait_for([](const fake_state& st) { return st.posts.size() == 5; }));
    CHECK(eventually([&] { return json::parse(api(cxos.port(), "/api/v1/kpis").body)["time_to_route"]["count"] == 5; }));

    headless_chromium browser;
    const std::string base = "http://127.0.0.1:" + std::to_string(cxos.port());
    browser.navigate(base + "/dashboard");
    browser.type(browser.find("input[name=token]"), token);
    browser.click(browser.find("button[type=submit]"));
    REQUIRE(browser.wait_for("return document.getElementById('state')?.dataset.state === 'ready';"));

    const std::string cells = "return Object.fromEntries([...document.querySelectorAll('#heat td.cell')]"
                              ".filter(td => td.dataset.count !== '0')"
                              ".map(td => [td.dataset.stage + '|' + td.dataset.component, Number(td.textContent)]));";
    auto all = browser.run(cells);
    CHECK(all == json{{"onboard|onboarding", 4}, {"support|knowledge", 2}, {"adopt|education", 2}});
    // The script set the colours (CSSOM, allowed by the strict CSP): the hottest cell is dark red.
    CHECK(browser.run("return getComputedStyle(document.querySelector('#heat td[data-count=\"4\"]')).backgroundColor;") ==
          "rgb(189, 0, 38)");
    auto rows = browser.run("return document.querySelectorAll('#top tr[data-item]').length;");
    CHECK(rows == 5);
    const auto billing_ts = slack.posts_in("C0BILLING").at(0).ts;
    CHECK(browser.run("return document.querySelector('#top tr[data-item=\"1\"] a.post').href;") ==
          "https://slack.com/archives/C0BILLING/p" + billing_ts.substr(0, billing_ts.find('.')) +
              billing_ts.substr(billing_ts.find('.') + 1));
    CHECK(browser.run("return document.querySelector('#owners').textContent;").get<std::string>().find("€93.20") !=
          std::string::npos);
    auto routing = browser.run("return document.querySelector('#routing-gauge').textContent;").get<std::string>();
    CHECK_THAT(routing, Catch::Contains("100 %") && Catch::Contains("3 of 3 items routed by a rule stayed") &&
                            Catch::Contains("2 of 5 routed items (40 %) went to the fallback owner"));

    check_layout_at(browser, 1400, "dashboard.png");
    check_layout_at(browser, 420, "dashboard-420.png");
    browser.set_viewport(1400, 900);

    browser.click(browser.find("#owner option[value=billing]"));
    REQUIRE(browser.wait_for(ready_after(2)));
    CHECK(browser.run(cells) == json{{"onboard|onboarding", 3}, {"support|knowledge", 1}});
    CHECK(browser.run("return location.search;") == "?owner=billing");
    browser.click(browser.find("#owner option[value='']"));
    REQUIRE(browser.wait_for(ready_after(3)));
    CHECK(browser.run(cells) == all);

    // A date range that starts tomorrow holds none of today's reports.
    browser.run("document.getElementById('from').value = new Date(Date.now() + 86400000).toISOString().slice(0, 10);");
    browser.click(browser.find("#apply"));
    REQUIRE(browser.wait_for(ready_after(4)));
    CHECK(browser.run(cells) == json::object());
    CHECK(browser.run("return document.querySelectorAll('#top tr[data-item]').length;") == 0);
}

TEST_CASE("the dashboard runs no inline code: its script and styles are served apart under a strict CSP",
          "[e2e][dashboard]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), dashboard_yaml);
    cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    auto page = api(cxos.port(), "/dashboard");
    REQUIRE(page.status == 200);
    const auto csp = page.headers.at("content-security-policy");
    CHECK_THAT(csp, Catch::Contains("script-src 'self';") && Catch::Contains("style-src 'self';"));
    CHECK_THAT(csp, !Catch::Contains("unsafe-inline"));
    CHECK_THAT(page.body, Catch::Contains("<script src=\"/dashboard/app.js\""));
    CHECK_THAT(page.body, !Catch::Contains("<script>") && !Catch::Contains("<style>") && !Catch::Contains("style=\""));
    // The script and styles load without a token (the login form needs the styles); they hold no figures.
    auto script = http_call(cxos.port(), "GET", "/dashboard/app.js", "");
    CHECK(script.status == 200);
    CHECK_THAT(script.content_type, Catch::Contains("javascript"));
    CHECK_THAT(script.body, Catch::Contains("/api/v1/kpis"));
    auto styles = http_call(cxos.port(), "GET", "/dashboard/app.css", "");
    CHECK(styles.status == 200);
    CHECK_THAT(styles.content_type, Catch::Contains("text/css"));
    auto login = http_call(cxos.port(), "GET", "/dashboard", "");
    CHECK(login.status == 401);
    CHECK_THAT(login.body, !Catch::Contains("<style>"));
    CHECK(http_call(cxos.port(), "GET", "/dashboard/nothing-here", "").status == 404);
}

TEST_CASE("with the shared-token login the page offers Sign out but not Sign out everywhere", "[e2e][dashboard]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), dashboard_yaml);
    cxos.start({{"CXOS_DASHBOARD_TOKEN", token}});
    auto page = api(cxos.port(), "/dashboard");
    REQUIRE(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("action=\"/dashboard/signout\"") && !Catch::Contains("signout-everywhere"));
    // Everyone shares the one cookie: there are no sessions of one person to end, so it signs
    // this browser out, as /dashboard/signout does.
    auto out = http_call(cxos.port(), "POST", "/dashboard/signout-everywhere", "");
    CHECK(out.status == 200);
    CHECK_THAT(out.body, Catch::Contains("action=\"/dashboard/login\""));
    CHECK_THAT(out.headers["set-cookie"], Catch::StartsWith("cxos_dashboard=;") && Catch::Contains("Max-Age=0"));
}
