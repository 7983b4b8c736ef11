// Signing in to the dashboard with Microsoft (Entra ID) on a Teams-only deployment, against the
// fake Bot Framework's login and Bot Connector: a member of the council's Teams channel gets a
// session, also when the channel lives on another regional Bot Connector; a person not in the
// channel's roster, or from a tenant cxos does not serve, does not. Signing out everywhere ends
// the Microsoft sessions of that person and not a Slack session with the same user id string.
#include "tests/e2e/slack_signin.hpp"
#include "tests/e2e/teams_world.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cxos::test;

namespace {

const std::string grace = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"; // in the council's channel
const std::string linus = "11111111-bbbb-4ccc-8ddd-eeeeeeeeeeee"; // in no owner's or council channel

struct signin_answer {
    unsigned status;
    std::string body, session;
};

signin_answer sign_in(const cxos_process& cxos, fake_bot_framework& bf, const std::string& oid, const std::string& tid) {
    auto start = http_call(cxos.port(), "GET", "/dashboard/signin/microsoft", "");
    REQUIRE(start.status == 303);
    REQUIRE_THAT(start.headers["location"], Catch::StartsWith(bf.login_url() + "/" + bf.registration().tenant +
                                                              "/oauth2/v2.0/authorize?"));
    const auto cookie = start.headers["set-cookie"].substr(0, start.headers["set-cookie"].find(';'));
    auto back = http_call(cxos.port(), "GET",
                          "/dashboard/signin/microsoft/callback?" + bf.approve_signin(start.headers["location"], oid, tid),
                          "", {{"Cookie", cookie}});
    const auto set = back.headers["set-cookie"];
    return {back.status, back.body, set.rfind("cxos_session=", 0) == 0 ? set.substr(0, set.find(';')) : ""};
}

// cxos on Teams only, with Sign in with Microsoft against the fake's login.
struct signin_world {
    fake_slack slack;
    fake_bot_framework bf;
    cxos_process cxos{slack.api_url(), teams_routing(bf) + "dashboard:\n  signin: [microsoft]\n  microsoft_login_url: \"" +
                                           bf.login_url() + "\"\n"};
    signin_world() {
        auto env = registration_env(bf);
        env.insert({{"SLACK_SIGNING_SECRET", unset_env}, {"SLACK_BOT_TOKEN", unset_env}});
        cxos.start(env);
    }
};

} // namespace

TEST_CASE("a Teams council member signs in with Microsoft, others and other tenants are refused",
          "[e2e][signin][teams]") {
    signin_world w;
    auto& bf = w.bf;
    auto& cxos = w.cxos;
    bf.set_roster(council_channel, {grace});

    auto page = http_call(cxos.port(), "GET", "/dashboard/login", "");
    CHECK_THAT(page.body, Catch::Contains("Sign in with Microsoft") && !Catch::Contains("Sign in with Slack"));

    auto ok = sign_in(cxos, bf, grace, bf.registration().tenant);
    CHECK(ok.status == 303);
    REQUIRE_FALSE(ok.session.empty());
    CHECK(http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", ok.session}}).status == 200);

    auto outsider = sign_in(cxos, bf, linus, bf.registration().tenant);
    CHECK(outsider.status == 403);
    CHECK_THAT(outsider.body, Catch::Contains("not in any of the allowed channels"));
    CHECK(outsider.session.empty());

    auto foreign = sign_in(cxos, bf, grace, "99999999-2222-4333-8444-555555555555");
    CHECK(foreign.status == 403);
    CHECK_THAT(foreign.body, Catch::Contains("not one this cxos serves"));
    CHECK(foreign.session.empty());
}

TEST_CASE("a council member whose channel lives on another regional Bot Connector signs in with Microsoft",
          "[e2e][signin][teams]") {
    signin_world w;
    auto& bf = w.bf;
    auto& cxos = w.cxos;
    // The council's channel lives in EMEA: only that Bot Connector knows its roster.
    bf.set_roster(council_channel, {grace}, "emea");

    // Someone asks cxos for help in that channel: Teams tells cxos its serviceUrl.
    teams_context ctx;
    ctx.service_url = bf.service_url("emea");
    ctx.app_id = bf.registration().app_id;
    ctx.channel_id = council_channel;
    const auto token = bf.inbound_token(token_defect::none, ctx.service_url);
    REQUIRE(send_activity(cxos.port(), channel_mention(ctx, "1764300000001", "help"), token).status == 200);

    auto ok = sign_in(cxos, bf, grace, bf.registration().tenant);
    CHECK(ok.status == 303);
    CHECK_FALSE(ok.session.empty());
    const auto state = bf.state();
    const bool asked_in_emea = std::any_of(state.requests.begin(), state.requests.end(), [](const connector_request& r) {
        return r.region == "emea" && r.path.size() == 5 && r.path[3] == "members";
    });
    CHECK(asked_in_emea);
}

namespace {

// cxos on Slack and Teams, people signing in with either.
struct two_provider_world {
    fake_slack slack;
    fake_slack_openid openid{slack, client_id, client_secret};
    fake_bot_framework bf;
    cxos_process cxos{slack.api_url(), teams_routing(bf) + "dashboard:\n  signin: [slack, microsoft]\n  slack_openid_url: \"" +
                                           openid.openid_url() + "\"\n  microsoft_login_url: \"" + bf.login_url() + "\"\n"};
    two_provider_world() {
        auto env = signin_env;
        env.merge(registration_env(bf));
        cxos.start(env);
    }
};

} // namespace

TEST_CASE("signing out everywhere after Microsoft sign-in on two browsers ends both, and not a Slack session "
          "with the same user id",
          "[e2e][signin][teams]") {
    two_provider_world w;
    auto& cxos = w.cxos;
    w.bf.set_roster(council_channel, {grace});
    // A Slack person whose user id is, character for character, Grace's Entra object id.
    w.slack.set_members("C0COUNCIL", {grace});
    const auto slack_session = sign_in(cxos, w.openid, fake_slack_person{"T0TEAM", grace, "Grace on Slack"});

    auto laptop = sign_in(cxos, w.bf, grace, w.bf.registration().tenant);
    auto phone = sign_in(cxos, w.bf, grace, w.bf.registration().tenant);
    REQUIRE(laptop.status == 303);
    REQUIRE(phone.status == 303);
    for (const auto& session : {laptop.session, phone.session, slack_session}) REQUIRE(dashboard_status(cxos, session) == 200);

    // The confirm page counts the Microsoft sessions only, and ends nothing.
    auto confirm = http_call(cxos.port(), "GET", "/dashboard/signout-everywhere", "", {{"Cookie", phone.session}});
    CHECK_THAT(confirm.body, Catch::Contains("This ends all 2 of your sessions on every device"));
    CHECK(dashboard_status(cxos, laptop.session) == 200);

    auto out = signout_everywhere(cxos, {{"Cookie", laptop.session}, {"Sec-Fetch-Site", "same-origin"}});
    CHECK(out.status == 200);
    CHECK_THAT(out.body, Catch::Contains("Signed out of 2 sessions.") && Catch::Contains("Sign in with Microsoft"));
    CHECK(dashboard_status(cxos, laptop.session) == 401);
    CHECK(dashboard_status(cxos, phone.session) == 401);
    CHECK(dashboard_status(cxos, slack_session) == 200);
    REQUIRE(eventually([&] { return cxos.log().find("dashboard sessions ended everywhere") != std::string::npos; }));
    const auto log = cxos.log();
    const auto at = log.find("dashboard sessions ended everywhere");
    const auto line = log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at) - 1);
    CHECK_THAT(line, Catch::Contains("\"platform\":\"teams\"") && Catch::Contains("\"user_id\":\"" + grace + "\"") &&
                         Catch::Contains("\"sessions\":2"));
}
