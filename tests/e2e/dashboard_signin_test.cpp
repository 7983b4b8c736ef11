// Signing in to the dashboard with Slack (OpenID Connect) against the fake Web API: a member of
// an allowed channel gets a server-side session; a forged or replayed state, an id_token for
// another sign-in or app, and a person outside the allowed channels are refused; sessions end
// when idle, at sign-out and when an operator revokes them; the bearer token still opens the API.
// Signing out everywhere, and what may ask for a sign-out: dashboard_signout_test.cpp.
#include "tests/e2e/slack_signin.hpp"
#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

using namespace cxos::test;

TEST_CASE("a council member signs in with Slack and sees the dashboard, and signing out ends it", "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& openid = w.openid;
    auto& cxos = w.cxos;

    auto page = http_call(cxos.port(), "GET", "/dashboard", "");
    CHECK(page.status == 401);
    CHECK_THAT(page.body, Catch::Contains("id=\"signin-slack\" href=\"/dashboard/signin/slack\"") &&
                              Catch::Contains("Sign in with Slack"));

    const auto session = sign_in(cxos, openid, ada);
    CHECK(dashboard_status(cxos, session) == 200);
    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Cookie", session}}).status == 200);
    // The cookie holds a random id, not who the person is.
    CHECK_THAT(session, !Catch::Contains("U0ADA0001"));

    auto out = http_call(cxos.port(), "POST", "/dashboard/signout", "", {{"Cookie", session}});
    CHECK(out.status == 200);
    CHECK_THAT(out.headers["set-cookie"], Catch::StartsWith("cxos_session=;") && Catch::Contains("Max-Age=0"));
    CHECK(dashboard_status(cxos, session) == 401);
}

TEST_CASE("with sign-in on the bearer token still opens the API but the shared-token form no longer logs in",
          "[e2e][signin]") {
    slack_signin_world w({});
    auto& cxos = w.cxos;
    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Authorization", "Bearer the-scripts-token"}}).status == 200);
    auto form = http_call(cxos.port(), "POST", "/dashboard/login", "token=the-scripts-token",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(form.status == 403);
    CHECK(form.headers.count("set-cookie") == 0);
}

TEST_CASE("a forged, replayed or foreign-browser sign-in state is refused before Slack is asked", "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& openid = w.openid;
    auto& cxos = w.cxos;

    auto forged = come_back(cxos, "code=signin-code-77&state=bm90LWEtc3RhdGUtY3hvcy1tYWRl", "cxos_signin=whatever");
    CHECK(forged.status == 403);
    CHECK_THAT(forged.body, Catch::Contains("not started here"));

    auto s = start_signin(cxos);
    const auto query = openid.approve(s.link, ada);
    auto elsewhere = come_back(cxos, query, "cxos_signin=another-browsers-cookie");
    CHECK(elsewhere.status == 403);
    CHECK_THAT(elsewhere.body, Catch::Contains("another browser"));
    auto replay = come_back(cxos, query, s.cookie); // the state was used up by the first try
    CHECK(replay.status == 403);
    CHECK_THAT(replay.body, Catch::Contains("used already"));
    CHECK(openid.token_exchanges() == 0);
    CHECK(come_back(cxos, "state=abc&code=a%3Cscript", s.cookie).status == 400);
}

TEST_CASE("an id_token minted for another sign-in, another app, expired or signed by an unknown key is refused",
          "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& openid = w.openid;
    auto& cxos = w.cxos;
    for (auto [spoil, why] : {std::pair{id_token_spoil::other_nonce, "wrong_nonce"},
                              std::pair{id_token_spoil::other_audience, "wrong_audience"},
                              std::pair{id_token_spoil::expired, "expired"},
                              std::pair{id_token_spoil::unknown_key, "unknown_key"}}) {
        auto s = start_signin(cxos);
        auto res = come_back(cxos, openid.approve(s.link, ada, spoil), s.cookie);
        CHECK(res.status == 403);
        CHECK_THAT(res.body, Catch::Contains(why));
        CHECK_THAT(res.headers["set-cookie"], !Catch::Contains("cxos_session="));
    }
}

TEST_CASE("a person outside the allowed channels is told so and gets no session", "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"}, "  allowed_channels: [C0LEADS]\n");
    auto& openid = w.openid;
    auto& cxos = w.cxos;
    w.slack.set_members("C0LEADS", {"U0CAROL01"});

    auto s = start_signin(cxos);
    auto res = come_back(cxos, openid.approve(s.link, bob), s.cookie);
    CHECK(res.status == 403);
    CHECK_THAT(res.body, Catch::Contains("you are not in any of the allowed channels") && Catch::Contains("C0LEADS"));
    CHECK_THAT(res.headers["set-cookie"], !Catch::Contains("cxos_session="));
    // The allow-list replaces the default: the council's members are not in it.
    auto council = start_signin(cxos);
    CHECK(come_back(cxos, openid.approve(council.link, ada), council.cookie).status == 403);
    CHECK_THAT(sign_in(cxos, openid, {"T0TEAM", "U0CAROL01", "Carol"}), Catch::StartsWith("cxos_session="));
}

TEST_CASE("a session ends after 12 idle hours, and an operator's revoke ends every session of one person",
          "[e2e][signin]") {
    const long long start = unix_now_seconds() * 1000;
    slack_signin_world w({"U0ADA0001", "U0BOB0001"}, "", start);
    auto& openid = w.openid;
    auto& cxos = w.cxos;

    const auto laptop = sign_in(cxos, openid, ada), phone = sign_in(cxos, openid, ada);
    const auto bobs = sign_in(cxos, openid, bob);
    cxos.move_clock(start + 11 * 3600 * 1000LL);
    CHECK(dashboard_status(cxos, laptop) == 200); // used at 11 h: idle from there
    CHECK(dashboard_status(cxos, bobs) == 200);

    std::string output;
    CHECK(cxos_process::run("sessions revoke U0ADA0001 --config " + cxos.config_path(), output) == 0);
    CHECK_THAT(output, Catch::Contains("ended 2 dashboard sessions of U0ADA0001"));
    CHECK(dashboard_status(cxos, laptop) == 401);
    CHECK(dashboard_status(cxos, phone) == 401);
    CHECK(dashboard_status(cxos, bobs) == 200);

    cxos.move_clock(start + 23 * 3600 * 1000LL + 60 * 1000);
    CHECK(dashboard_status(cxos, bobs) == 401); // unused since 11 h
}
