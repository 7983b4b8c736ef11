// Signing in to the dashboard with Microsoft (Entra ID) on a Teams-only deployment, against the
// fake Bot Framework's login and Bot Connector: a member of the council's Teams channel gets a
// session, also when the channel lives on another regional Bot Connector; a person not in the
// channel's roster, or from a tenant cxos does not serve, does not.
#include "tests/e2e/teams_world.hpp"
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
        cxos.start({{"SLACK_SIGNING_SECRET", unset_env}, {"SLACK_BOT_TOKEN", unset_env},
                    {"MICROSOFT_APP_ID", bf.registration().app_id},
                    {"MICROSOFT_APP_PASSWORD", bf.registration().app_password},
                    {"MICROSOFT_APP_TENANT_ID", bf.registration().tenant}});
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
