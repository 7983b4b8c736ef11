#pragma once
// Signing in to the dashboard with Slack against the fake Web API's OpenID Connect: the world
// (a workspace whose council may look) and the steps a browser takes, for the sign-in and
// sign-out tests.
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_slack_openid.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>

namespace cxos::test {

inline const std::string client_id = "1234567890.0987654321";
inline const std::string client_secret = "the-app-client-secret";
inline const std::map<std::string, std::string> signin_env = {
    {"SLACK_CLIENT_ID", client_id},
    {"SLACK_CLIENT_SECRET", client_secret},
    {"CXOS_ENCRYPTION_KEY", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M="},
    {"CXOS_DASHBOARD_TOKEN", "the-scripts-token"}};

inline const fake_slack_person ada{"T0TEAM", "U0ADA0001", "Ada Lovelace"};  // on the council
inline const fake_slack_person bob{"T0TEAM", "U0BOB0001", "Bob Builder"};   // in no allowed channel

inline std::string config_for(const fake_slack_openid& openid, const std::string& allowed = "") {
    return "journey:\n  stages: [discover, onboard, adopt, support, renew]\n"
           "owners:\n  billing: { slack: C0BILLING }\nrouting:\n  fallback: billing\n"
           "council: { slack_channel: C0COUNCIL }\n"
           "dashboard:\n  signin: [slack]\n  slack_openid_url: \"" + openid.openid_url() + "\"\n" + allowed;
}

inline std::string cookie_pair(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

struct started {
    std::string link, cookie;
};

inline started start_signin(const cxos_process& cxos) {
    auto res = http_call(cxos.port(), "GET", "/dashboard/signin/slack", "");
    REQUIRE(res.status == 303);
    REQUIRE_THAT(res.headers["set-cookie"], Catch::StartsWith("cxos_signin=") && Catch::Contains("HttpOnly") &&
                                                Catch::Contains("SameSite=Lax"));
    return {res.headers["location"], cookie_pair(res.headers["set-cookie"])};
}

inline http_answer come_back(const cxos_process& cxos, const std::string& query, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/dashboard/signin/slack/callback?" + query, "", {{"Cookie", cookie}});
}

// Signs `who` in from start to end; the session cookie ("cxos_session=…").
inline std::string sign_in(const cxos_process& cxos, fake_slack_openid& openid, const fake_slack_person& who) {
    auto s = start_signin(cxos);
    auto res = come_back(cxos, openid.approve(s.link, who), s.cookie);
    REQUIRE(res.status == 303);
    CHECK(res.headers["location"] == "/dashboard");
    const auto set = res.headers["set-cookie"];
    REQUIRE_THAT(set, Catch::StartsWith("cxos_session=") && Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Lax"));
    return cookie_pair(set);
}

// A Slack workspace whose council is `council`, and cxos signing people in against it.
struct slack_signin_world {
    fake_slack slack;
    fake_slack_openid openid{slack, client_id, client_secret};
    cxos_process cxos;
    explicit slack_signin_world(std::vector<std::string> council, const std::string& allowed = "", long long clock = -1)
        : cxos(slack.api_url(), config_for(openid, allowed)) {
        slack.set_members("C0COUNCIL", std::move(council));
        if (clock >= 0) cxos.use_test_clock(clock);
        cxos.start(signin_env);
    }
};

inline unsigned dashboard_status(const cxos_process& cxos, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", cookie}}).status;
}

inline unsigned api_status(const cxos_process& cxos, const std::string& cookie) {
    return http_call(cxos.port(), "GET", "/api/v1/kpis", "", {{"Cookie", cookie}}).status;
}

inline http_answer signout_everywhere(const cxos_process& cxos, const std::map<std::string, std::string>& headers) {
    return http_call(cxos.port(), "POST", "/dashboard/signout-everywhere", "", headers);
}

} // namespace cxos::test
