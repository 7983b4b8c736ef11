// Installing cxos into many Slack workspaces from a link ("Add to Slack", OAuth v2), against the
// fake Web API's oauth.v2.access: each workspace's token is stored sealed, each post goes out with
// the token of the workspace its channel is in, a forged, replayed, foreign or expired state is
// refused before any token is asked for, and an uninstall takes only that workspace away.
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_slack_oauth.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string client_id = "1234567890.0987654321";
const std::string client_secret = "the-app-client-secret";
const std::string encryption_key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M="; // 32 bytes

const std::map<std::string, std::string> install_env = {{"SLACK_CLIENT_ID", client_id},
                                                        {"SLACK_CLIENT_SECRET", client_secret},
                                                        {"CXOS_ENCRYPTION_KEY", encryption_key},
                                                        {"SLACK_BOT_TOKEN", unset_env}};

const fake_workspace acme{"T0ACME001", "Acme", "xoxb-acme-token-1", "U0CXOSBOT", "", "U0ADMIN", 0};
const fake_workspace globex{"T0GLOBEX1", "Globex", "xoxb-globex-token-1", "U0GLOBXBOT", "", "U0ADMIN", 0};

// The config's journey: billing (the fallback) in `billing`, and owners named after the keyword
// that routes to them in the other channels given ({"docs", "T0GLOBEX1:C0DOCS"}).
std::string owners_in(const std::string& billing, const std::vector<std::pair<std::string, std::string>>& others = {}) {
    std::string owners = "  billing: { slack: \"" + billing + "\" }\n", rules;
    for (const auto& [name, channel] : others) {
        owners += "  " + name + ": { slack: \"" + channel + "\" }\n";
        rules += "    - { name: " + name + ", when: { keywords: [" + name + "] }, route_to: " + name + " }\n";
    }
    return "journey:\n  stages: [discover, onboard, adopt, support, renew]\nowners:\n" + owners +
           "routing:\n  fallback: billing\n" + (rules.empty() ? "" : "  rules:\n" + rules);
}

// Owners in two workspaces, each channel qualified with its own.
const std::string two_workspaces = owners_in("T0ACME001:C0BILLING", {{"docs", "T0GLOBEX1:C0DOCS"}});
// Three owner channels in one workspace: three posts that may go out at once.
const std::string three_channels =
    owners_in("T0ACME001:C0BILLING", {{"docs", "T0ACME001:C0DOCS"}, {"sso", "T0ACME001:C0SSO"}});
const std::string one_owner = owners_in("C0BILLING");

std::string install_options(const fake_slack_oauth& oauth) {
    return "install: { authorize_url: \"" + oauth.authorize_url() + "\", scopes: [commands, chat:write] }";
}

// What a browser carries from the "Add to Slack" page: the link and the cookie binding it.
struct started_install {
    std::string link, cookie;
};

started_install open_install_page(const cxos_process& cxos) {
    auto page = http_call(cxos.port(), "GET", "/slack/install", "");
    REQUIRE(page.status == 200);
    const auto at = page.body.find("id=\"add-to-slack\" href=\"");
    REQUIRE(at != std::string::npos);
    const auto from = at + std::string("id=\"add-to-slack\" href=\"").size();
    std::string link = page.body.substr(from, page.body.find('"', from) - from);
    for (auto amp = link.find("&amp;"); amp != std::string::npos; amp = link.find("&amp;", amp + 1))
        link.replace(amp, 5, "&");
    const auto cookie = page.headers["set-cookie"];
    REQUIRE_THAT(cookie, Catch::StartsWith("cxos_slack_install=") && Catch::Contains("HttpOnly"));
    return {link, cookie.substr(0, cookie.find(';'))};
}

http_answer come_back(const cxos_process& cxos, const fake_approval& a, const std::string& cookie) {
    std::map<std::string, std::string> headers;
    if (!cookie.empty()) headers["Cookie"] = cookie;
    return http_call(cxos.port(), "GET", "/slack/oauth_redirect?" + form_encode({{"code", a.code}, {"state", a.state}}),
                     "", headers);
}

void install(const cxos_process& cxos, fake_slack_oauth& oauth, const fake_workspace& into) {
    auto started = open_install_page(cxos);
    auto back = come_back(cxos, oauth.approve(started.link, into), started.cookie);
    INFO(back.body);
    REQUIRE(back.status == 200);
    REQUIRE_THAT(back.body, Catch::Contains("cxos is installed") && Catch::Contains(into.team_name));
}

http_answer slash_from(const cxos_process& cxos, const std::string& team, const std::string& text) {
    return send_signed(cxos.port(), slash_body(text, "U0AGENT", team), "application/x-www-form-urlencoded");
}

// A fake Slack that speaks OAuth, and cxos started with installs on and no SLACK_BOT_TOKEN.
struct install_world {
    explicit install_world(const std::string& routing, long long test_clock = -1)
        : oauth(slack, client_id, client_secret), cxos(slack.api_url(), routing, install_options(oauth)) {
        if (test_clock >= 0) cxos.use_test_clock(test_clock);
        cxos.start(install_env);
    }
    fake_slack slack;
    fake_slack_oauth oauth;
    cxos_process cxos;
};

struct one_workspace : install_world {
    one_workspace() : install_world(one_owner) {}
};
struct two_workspaces_world : install_world {
    two_workspaces_world() : install_world(two_workspaces) {}
};
struct three_channel_world : install_world {
    three_channel_world() : install_world(three_channels) {}
};
constexpr long long clock_start = 1'700'000'000'000;
struct on_test_clock : install_world {
    on_test_clock() : install_world(one_owner, clock_start) {}
};

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE_METHOD(one_workspace, "Add to Slack installs cxos into a workspace and its posts go out with that workspace's token",
          "[e2e][slack][install]") {
    CHECK(eventually([&] { return cxos.log().find("/slack/oauth_redirect") != std::string::npos; }));

    auto started = open_install_page(cxos);
    // The link is this app's, to Slack's authorize page, asking for the configured scopes only.
    CHECK_THAT(started.link, Catch::StartsWith(oauth.authorize_url() + "?client_id=1234567890.0987654321"));
    auto approval = oauth.approve(started.link, acme);
    CHECK(approval.scope == "commands,chat:write");
    CHECK(approval.state.size() >= 40);
    auto back = come_back(cxos, approval, started.cookie);
    INFO(back.body);
    REQUIRE(back.status == 200);
    CHECK_THAT(back.body, Catch::Contains("cxos is installed in <strong>Acme</strong>"));
    CHECK(oauth.state().exchanges == 1);

    // No SLACK_BOT_TOKEN: the unqualified owner channel is in the only installation.
    REQUIRE(slash_from(cxos, acme.team_id, "the invoice total is wrong").status == 200);
    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    CHECK(slack.posts()[0].token == acme.bot_token);

    // At rest the token is sealed: the database file never holds it in clear.
    if (cxos.storage_url().rfind("sqlite://", 0) == 0) {
        cxos.stop();
        const auto db = file_bytes(cxos.storage_url().substr(9));
        REQUIRE(db.find("slack_installations") != std::string::npos);
        CHECK(db.find(acme.bot_token) == std::string::npos);
    }
}

TEST_CASE_METHOD(on_test_clock, "a forged, replayed, foreign or expired install state is refused and no token is asked for",
          "[e2e][slack][install]") {

    SECTION("forged") {
        auto started = open_install_page(cxos);
        auto approval = oauth.approve(started.link, acme);
        approval.state = "forgedforgedforgedforgedforgedforgedforged1";
        auto back = come_back(cxos, approval, started.cookie);
        CHECK(back.status == 403);
        CHECK_THAT(back.body, Catch::Contains("was not started here") && Catch::Contains("Nothing was installed"));
    }
    SECTION("replayed") {
        auto started = open_install_page(cxos);
        auto approval = oauth.approve(started.link, acme);
        REQUIRE(come_back(cxos, approval, started.cookie).status == 200);
        auto again = come_back(cxos, approval, started.cookie);
        CHECK(again.status == 403);
        CHECK_THAT(again.body, Catch::Contains("was used already"));
        CHECK(oauth.state().exchanges == 1); // the first, genuine one
        return;
    }
    SECTION("from another browser") {
        auto started = open_install_page(cxos);
        auto back = come_back(cxos, oauth.approve(started.link, acme), "");
        CHECK(back.status == 403);
        CHECK_THAT(back.body, Catch::Contains("another browser"));
    }
    SECTION("expired") {
        auto started = open_install_page(cxos);
        auto approval = oauth.approve(started.link, acme);
        cxos.move_clock(clock_start + 11 * 60 * 1000);
        auto back = come_back(cxos, approval, started.cookie);
        CHECK(back.status == 403);
        CHECK_THAT(back.body, Catch::Contains("expired"));
    }
    SECTION("not a redirect Slack sends") {
        auto back = http_call(cxos.port(), "GET", "/slack/oauth_redirect?state=%3Cscript%3E&code=x", "");
        CHECK(back.status == 400);
        CHECK(back.body.find("<script>") == std::string::npos);
    }
    CHECK(oauth.state().exchanges == 0);
    CHECK(slack.posts().empty());
}

TEST_CASE_METHOD(two_workspaces_world, "two workspaces post to their own channels with their own tokens, and an uninstall ends only one",
          "[e2e][slack][install]") {
    install(cxos, oauth, acme);
    install(cxos, oauth, globex);

    REQUIRE(slash_from(cxos, acme.team_id, "the invoice total is wrong").status == 200);
    REQUIRE(slash_from(cxos, globex.team_id, "the docs page about SSO is outdated").status == 200);
    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 2; }));
    std::map<std::string, std::string> token_of;
    for (const auto& p : slack.posts()) token_of[p.channel] = p.token;
    CHECK(token_of == std::map<std::string, std::string>{{"C0BILLING", acme.bot_token}, {"C0DOCS", globex.bot_token}});

    // Globex removes the app: Slack revokes the token and says so with app_uninstalled.
    oauth.revoke(globex.bot_token);
    const json uninstalled = {{"type", "event_callback"}, {"team_id", globex.team_id}, {"api_app_id", "A0CXOS"},
                              {"event_id", "Ev0UNINSTALL"}, {"event_time", 1700000400},
                              {"event", {{"type", "app_uninstalled"}}}};
    REQUIRE(send_event(cxos.port(), uninstalled).status == 200);
    CHECK(eventually([&] { return cxos.log().find("uninstalled from a Slack workspace") != std::string::npos; }));

    REQUIRE(slash_from(cxos, globex.team_id, "the docs search returns nothing").status == 200);
    REQUIRE(slash_from(cxos, acme.team_id, "a refund never arrived").status == 200);
    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 3; }));
    cxos.settle();
    CHECK(slack.posts().size() == 3);
    CHECK(slack.posts().back().channel == "C0BILLING");
    CHECK(slack.posts().back().token == acme.bot_token);
    // The Globex post is a dead letter that says how to bring it back, not a retry loop.
    CHECK_THAT(cxos.log(), Catch::Contains("delivery dead-lettered") &&
                               Catch::Contains("not installed in Slack workspace T0GLOBEX1"));
}

TEST_CASE_METHOD(three_channel_world, "a rotating token is refreshed once, even while several posts need it",
                 "[e2e][slack][install]") {
    auto rotating = acme;
    rotating.expires_in = 60; // inside cxos's refresh margin: due at the first send
    install(cxos, oauth, rotating);

    oauth.hold_refreshes(true);
    REQUIRE(slash_from(cxos, acme.team_id, "the invoice total is wrong").status == 200);
    REQUIRE(oauth.wait_for([](const fake_oauth_state& s) { return s.refreshes == 1; }));
    // While that refresh is under way, posts to two more channels need the same workspace's token.
    REQUIRE(slash_from(cxos, acme.team_id, "the docs page about exports is outdated").status == 200);
    REQUIRE(slash_from(cxos, acme.team_id, "sso login loops forever").status == 200);
    oauth.hold_refreshes(false);

    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 3; }));
    cxos.settle();
    CHECK(oauth.state().refreshes == 1);
    CHECK(oauth.state().errors.empty());
    const auto fresh = oauth.current_token(acme.team_id);
    CHECK(fresh != acme.bot_token);
    for (const auto& p : slack.posts()) CHECK(p.token == fresh);
}

TEST_CASE("two instances on one database refresh a rotating token once: the other waits for it in the store",
          "[e2e][slack][install][multi]") {
    if (test_postgres_url().empty()) {
        WARN("CXOS_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh run ...): skipped");
        return;
    }
    postgres_database db("cxos_refresh");
    fake_slack slack;
    fake_slack_oauth oauth(slack, client_id, client_secret);
    const shared_storage storage{db.url, "claim_lease_seconds: 2"};
    cxos_process a(slack.api_url(), three_channels, storage, install_options(oauth));
    cxos_process b(slack.api_url(), three_channels, storage, install_options(oauth));
    a.start(install_env);
    b.start(install_env);
    auto rotating = acme;
    rotating.expires_in = 60; // inside cxos's refresh margin: due at the first send
    install(a, oauth, rotating);

    // Each instance is told of its own report's post at once, so each needs the token; the first
    // refresh is held at Slack while the other instance wants the token too. Both later reports go
    // to the other instance: the first's one-second poll may still claim one of them (it looks at
    // the whole store), but not both before the instance told of them does.
    oauth.hold_refreshes(true);
    REQUIRE(slash_from(a, acme.team_id, "the invoice total is wrong").status == 200);
    REQUIRE(oauth.wait_for([](const fake_oauth_state& s) { return s.refreshes == 1; }));
    REQUIRE(slash_from(b, acme.team_id, "the docs page about exports is outdated").status == 200);
    REQUIRE(slash_from(b, acme.team_id, "sso login loops forever").status == 200);
    // The other instance claimed a post of its own and waits for the held refresh.
    REQUIRE(eventually([&] { return b.log().find("waiting for another instance's Slack token refresh") != std::string::npos; }));
    oauth.hold_refreshes(false);

    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 3; }));
    CHECK(oauth.state().refreshes == 1);
    CHECK(oauth.state().errors.empty());
    const auto fresh = oauth.current_token(acme.team_id);
    CHECK(fresh != acme.bot_token);
    for (const auto& p : slack.posts()) CHECK(p.token == fresh);
}

TEST_CASE_METHOD(one_workspace, "tokens_revoked forgets the workspace whose bot token Slack revoked",
                 "[e2e][slack][install]") {
    install(cxos, oauth, acme);
    oauth.revoke(acme.bot_token);
    const json revoked = {{"type", "event_callback"}, {"team_id", acme.team_id}, {"api_app_id", "A0CXOS"},
                          {"event_id", "Ev0REVOKED"}, {"event_time", 1700000400},
                          {"event", {{"type", "tokens_revoked"},
                                     {"tokens", {{"oauth", json::array({"U0ADMIN"})}, {"bot", json::array({acme.bot_user_id})}}}}}};
    REQUIRE(send_event(cxos.port(), revoked).status == 200);
    CHECK(eventually([&] { return cxos.log().find("revoked a workspace's bot token") != std::string::npos; }));

    REQUIRE(slash_from(cxos, acme.team_id, "the invoice total is wrong").status == 200);
    cxos.settle();
    CHECK(slack.posts().empty());
    CHECK_THAT(cxos.log(), Catch::Contains("cxos is not installed in any Slack workspace yet (open /slack/install)"));
}

TEST_CASE("an install from a workspace slack.install.allowed_teams does not list is refused, its token revoked, "
          "nothing stored", "[e2e][slack][install]") {
    fake_slack slack;
    fake_slack_oauth oauth(slack, client_id, client_secret);
    auto options = install_options(oauth);
    options.insert(options.rfind('}'), ", allowed_teams: [T0ACME001] ");
    cxos_process cxos(slack.api_url(), one_owner, options);
    cxos.start(install_env);

    auto started = open_install_page(cxos);
    auto back = come_back(cxos, oauth.approve(started.link, globex), started.cookie);
    INFO(back.body);
    CHECK(back.status == 403);
    CHECK_THAT(back.body, Catch::Contains("not installed in Globex") && Catch::Contains("allowed_teams"));
    CHECK(oauth.state().exchanges == 1);
    CHECK(oauth.state().revoked == std::vector<std::string>{globex.bot_token});

    // The listed workspace installs; it is the only installation (Globex's was never stored), so
    // the unqualified owner channel is Acme's.
    install(cxos, oauth, acme);
    REQUIRE(slash_from(cxos, acme.team_id, "the invoice total is wrong").status == 200);
    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 1; }));
    CHECK(slack.posts()[0].token == acme.bot_token);
}

TEST_CASE("without SLACK_CLIENT_ID there is no install page and the single token serves as before",
          "[e2e][slack][install]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), one_owner);
    cxos.start();
    auto page = http_call(cxos.port(), "GET", "/slack/install", "");
    CHECK(page.status == 404);
    CHECK_THAT(page.body, Catch::Contains("SLACK_CLIENT_ID"));
    CHECK(http_call(cxos.port(), "GET", "/slack/oauth_redirect?code=a&state=b", "").status == 404);
    REQUIRE(slash(cxos.port(), "the invoice total is wrong").status == 200);
    REQUIRE(slack.wait_until([](const auto& posts) { return posts.size() == 1; }));
    CHECK(slack.posts()[0].token == test_bot_token);
}

TEST_CASE("a half-configured install refuses to start and names what is missing", "[e2e][slack][install]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), one_owner);
    const auto serve = "serve --config " + cxos.config_path();
    std::string out;
    CHECK(cxos_process::run(serve, out, {{"SLACK_SIGNING_SECRET", test_signing_secret}, {"SLACK_CLIENT_ID", client_id}}) == 1);
    CHECK_THAT(out, Catch::Contains("both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"));
    CHECK(cxos_process::run(serve, out, {{"SLACK_SIGNING_SECRET", test_signing_secret}, {"SLACK_CLIENT_ID", client_id},
                                         {"SLACK_CLIENT_SECRET", client_secret}}) == 1);
    CHECK_THAT(out, Catch::Contains("set CXOS_ENCRYPTION_KEY"));
    CHECK(cxos_process::run(serve, out, {{"SLACK_SIGNING_SECRET", test_signing_secret}, {"SLACK_CLIENT_ID", client_id},
                                         {"SLACK_CLIENT_SECRET", client_secret}, {"CXOS_ENCRYPTION_KEY", "c2hvcnQ="}}) == 1);
    CHECK_THAT(out, Catch::Contains("CXOS_ENCRYPTION_KEY must be 32 bytes"));
    CHECK(cxos_process::run(serve, out, {{"SLACK_CLIENT_ID", client_id}, {"SLACK_CLIENT_SECRET", client_secret},
                                         {"CXOS_ENCRYPTION_KEY", encryption_key}}) == 1);
    CHECK_THAT(out, Catch::Contains("needs SLACK_SIGNING_SECRET too"));
}
