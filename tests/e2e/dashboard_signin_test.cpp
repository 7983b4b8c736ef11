// Signing in to the dashboard with Slack (OpenID Connect) against the fake Web API: a member of
// an allowed channel gets a server-side session; a forged or replayed state, an id_token for
// another sign-in or app, and a person outside the allowed channels are refused; sessions end
// when idle, at sign-out, when the person signs out everywhere and when an operator revokes them;
// the bearer token still opens the API.
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_slack_openid.hpp"
#include "tests/support/slack_client.hpp"
#include "tests/support/test_jwt.hpp"

#include <catch2/catch.hpp>

using namespace cxos::test;

namespace {

const std::string client_id = "1234567890.0987654321";
const std::string client_secret = "the-app-client-secret";
const std::map<std::string, std::string> signin_env = {
    {"SLACK_CLIENT_ID", client_id},
    {"SLACK_CLIENT_SECRET", client_secret},
    {"CXOS_ENCRYPTION_KEY", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M="},
    {"CXOS_DASHBOARD_TOKEN", "the-scripts-token"}};

const fake_slack_person ada{"T0TEAM", "U0ADA0001", "Ada Lovelace"};  // on the council
const fake_slack_person bob{"T0TEAM", "U0BOB0001", "Bob Builder"};   // in no allowed channel

std::string config_for(const fake_slack_openid& openid, const std::string& allowed = "") {
    return "journey:\n  stages: [discover, onboard, adopt, support, renew]\n"
           "owners:\n  billing: { slack: C0BILLING }\nrouting:\n  fallback: billing\n"
           "council: { slack_channel: C0COUNCIL }\n"
           "dashboard:\n  signin: [slack]\n  slack_openid_url: \"" + openid.openid_url() + "\"\n" + allowed;
}

std::string cookie_pair(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

struct started {
    std::string link, cookie;
};

started start_signin(const cxos_process& cxos) {
    auto res = http_call(cxos.port(), "GET", "/dashboard/signin/slack", "");
    REQUIRE(res.status == 303);
    REQUIRE_THAT(res.headers["set-cookie"], Catch::StartsWith("cxos_signin=") && Catch::Contains("HttpOnly") &&
                                                Catch::Contains("SameSite=Lax"));
    return {res.headers["location"], cookie_pair(res.headers["set-cookie"])};
}

http_answer come_back(const cxos_process& cxos, const std::string& query, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/dashboard/signin/slack/callback?" + query, "", {{"Cookie", cookie}});
}

// Signs `who` in from start to end; the session cookie ("cxos_session=…").
std::string sign_in(const cxos_process& cxos, fake_slack_openid& openid, const fake_slack_person& who) {
    auto s = start_signin(cxos);
    auto res = come_back(cxos, openid.approve(s.link, who), s.cookie);
    REQUIRE(res.status == 303);
    CHECK(res.headers["location"] == "/dashboard");
    const auto set = res.headers["set-cookie"];
    REQUIRE_THAT(set, Catch::StartsWith("cxos_session=") && Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Lax"));
    return cookie_pair(set);
}

// A Slack workspace whose council is `council`, and cxos signing people in against it.
struct signin_world {
    fake_slack slack;
    fake_slack_openid openid{slack, client_id, client_secret};
    cxos_process cxos;
    explicit signin_world(std::vector<std::string> council, const std::string& allowed = "", long long clock = -1)
        : cxos(slack.api_url(), config_for(openid, allowed)) {
        slack.set_members("C0COUNCIL", std::move(council));
        if (clock >= 0) cxos.use_test_clock(clock);
        cxos.start(signin_env);
    }
};

unsigned dashboard_status(const cxos_process& cxos, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", cookie}}).status;
}

} // namespace

TEST_CASE("a council member signs in with Slack and sees the dashboard, and signing out ends it", "[e2e][signin]") {
    signin_world w({"U0ADA0001"});
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
    signin_world w({});
    auto& cxos = w.cxos;
    CHECK(http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Authorization", "Bearer the-scripts-token"}}).status == 200);
    auto form = http_call(cxos.port(), "POST", "/dashboard/login", "token=the-scripts-token",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(form.status == 403);
    CHECK(form.headers.count("set-cookie") == 0);
}

TEST_CASE("a forged, replayed or foreign-browser sign-in state is refused before Slack is asked", "[e2e][signin]") {
    signin_world w({"U0ADA0001"});
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
    signin_world w({"U0ADA0001"});
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
    signin_world w({"U0ADA0001"}, "  allowed_channels: [C0LEADS]\n");
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
    signin_world w({"U0ADA0001", "U0BOB0001"}, "", start);
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

namespace {

unsigned api_status(const cxos_process& cxos, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Cookie", cookie}}).status;
}

http_answer signout_everywhere(const cxos_process& cxos, const std::map<std::string, std::string>& headers) {
    return http_call(cxos.port(), "POST", "/dashboard/signout-everywhere", "", headers);
}

} // namespace

TEST_CASE("signing out everywhere ends every session of that person and leaves everyone else's", "[e2e][signin]") {
    signin_world w({"U0ADA0001", "U0BOB0001"});
    auto& openid = w.openid;
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, openid, ada), phone = sign_in(cxos, openid, ada);
    const auto bobs = sign_in(cxos, openid, bob);

    auto page = http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", laptop}});
    REQUIRE(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("action=\"/dashboard/signout\"") &&
                              Catch::Contains("<form class=\"signout-everywhere\" method=\"post\" "
                                              "action=\"/dashboard/signout-everywhere\">") &&
                              Catch::Contains("Sign out everywhere"));

    auto out = signout_everywhere(cxos, {{"Cookie", laptop}});
    CHECK(out.status == 200);
    CHECK_THAT(out.body, Catch::Contains("Signed out of 2 sessions.") && Catch::Contains("id=\"signin-slack\""));
    CHECK_THAT(out.headers["set-cookie"], Catch::StartsWith("cxos_session=;") && Catch::Contains("Max-Age=0"));
    for (const auto& ended : {laptop, phone}) {
        CHECK(dashboard_status(cxos, ended) == 401);
        CHECK(api_status(cxos, ended) == 401);
    }
    CHECK(dashboard_status(cxos, bobs) == 200);
    CHECK(api_status(cxos, bobs) == 200);
    // The operator's log says who and how many, never the session's cookie.
    REQUIRE(eventually([&] { return cxos.log().find("dashboard sessions ended everywhere") != std::string::npos; }));
    CHECK_THAT(cxos.log(), Catch::Contains("\"user_id\":\"U0ADA0001\"") && Catch::Contains("\"sessions\":2") &&
                                !Catch::Contains(laptop.substr(laptop.find('=') + 1)));

    // One session left: said so in the singular.
    CHECK_THAT(signout_everywhere(cxos, {{"Cookie", bobs}}).body, Catch::Contains("Signed out of 1 session."));
    CHECK(dashboard_status(cxos, bobs) == 401);
}

TEST_CASE("signing out everywhere without a live session, by GET or from another site ends nothing",
          "[e2e][signin]") {
    signin_world w({"U0ADA0001"});
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, w.openid, ada), phone = sign_in(cxos, w.openid, ada);

    for (const auto& cookie : {std::string(), std::string("cxos_session=no-such-session")}) {
        auto res = signout_everywhere(cxos, cookie.empty() ? std::map<std::string, std::string>{}
                                                           : std::map<std::string, std::string>{{"Cookie", cookie}});
        CHECK(res.status == 200);
        CHECK_THAT(res.body, Catch::Contains("You are signed out.") && !Catch::Contains("Signed out of"));
        CHECK_THAT(res.headers["set-cookie"], Catch::StartsWith("cxos_session=;") && Catch::Contains("Max-Age=0"));
    }
    // A link or an image cannot do it: POST only, as for sign-out.
    auto get = http_call(cxos.port(), "GET", "/dashboard/signout-everywhere", "", {{"Cookie", laptop}});
    CHECK(get.status == 405);
    CHECK(http_call(cxos.port(), "GET", "/dashboard/signout", "", {{"Cookie", laptop}}).status == get.status);
    // Another site's form: the session cookie is SameSite=Lax (sign_in checks it), so the
    // browser sends that POST without it, exactly as it would to /dashboard/signout.
    const std::map<std::string, std::string> cross_site = {{"Origin", "https://evil.example"},
                                                           {"Sec-Fetch-Site", "cross-site"},
                                                           {"Content-Type", "application/x-www-form-urlencoded"}};
    auto forged = signout_everywhere(cxos, cross_site);
    auto forged_signout = http_call(cxos.port(), "POST", "/dashboard/signout", "", cross_site);
    CHECK(forged.status == forged_signout.status);
    CHECK_THAT(forged.body, !Catch::Contains("Signed out of"));
    CHECK(dashboard_status(cxos, laptop) == 200);
    CHECK(dashboard_status(cxos, phone) == 200);
    // A sibling subdomain's page is the same site, so the browser does send the cookie along;
    // its Sec-Fetch-Site still says the request came from another page, and nothing ends.
    for (const char* site : {"same-site", "cross-site"}) {
        INFO(site);
        const std::map<std::string, std::string> sibling = {{"Cookie", laptop}, {"Sec-Fetch-Site", site},
                                                            {"Content-Type", "application/x-www-form-urlencoded"}};
        auto res = signout_everywhere(cxos, sibling);
        CHECK(res.status == 403);
        CHECK(res.headers.count("set-cookie") == 0);
        CHECK(http_call(cxos.port(), "POST", "/dashboard/signout", "", sibling).status == 403);
        CHECK(dashboard_status(cxos, laptop) == 200);
        CHECK(dashboard_status(cxos, phone) == 200);
    }
    // The dashboard's own button (same-origin) still works.
    auto own = signout_everywhere(cxos, {{"Cookie", laptop}, {"Sec-Fetch-Site", "same-origin"}});
    CHECK_THAT(own.body, Catch::Contains("Signed out of 2 sessions."));
    CHECK(dashboard_status(cxos, phone) == 401);
}
