// Who may see the dashboard once signed in: `dashboard:` in cxos.yaml, and the allow-list asked
// through the membership port (the council's and owners' channels by default, a qualified Slack
// channel only for its own workspace, answers remembered a few minutes).
#include "bot/core/config.hpp"
#include "bot/services/dashboard_access.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <set>

using namespace cxos;
using namespace cxos::bot;

namespace {

const std::string base = R"(journey:
  stages: [discover, onboard, adopt, support, renew]
owners:
  billing: { slack: C0BILLING }
  docs:    { teams: "19:docs@thread.tacv2" }
routing:
  fallback: billing
council: { slack_channel: C0COUNCIL }
)";

// Members by channel; counts the questions asked.
struct listed_membership final : membership {
    std::map<std::string, std::set<std::string>> members;
    int asked = 0;
    bool down = false;
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        ++asked;
        if (down) co_return membership_answer{false, "ratelimited"};
        co_return membership_answer{members[channel].count(who.user_id) > 0, ""};
    }
};

dashboard_verdict ask(dashboard_access& access, actor who) {
    boost::asio::io_context io;
    auto answer = boost::asio::co_spawn(io, access.may_see(who), boost::asio::use_future);
    io.run();
    return answer.get();
}

} // namespace

TEST_CASE("dashboard: names the sign-in providers and the allowed channels on both platforms", "[config][signin]") {
    auto r = load_config_text(base + R"(dashboard:
  signin: [slack, microsoft]
  allowed_channels: [C0LEADS, "T0ACME001:C0OPS", "19:leads@thread.tacv2"]
  session_idle_hours: 2
  session_days: 1
)");
    REQUIRE(r.ok());
    const auto& d = r.config.dashboard;
    CHECK(d.signin == std::vector<std::string>{"slack", "microsoft"});
    REQUIRE(d.allowed_channels.size() == 3);
    CHECK((d.allowed_channels[1].platform == "slack" && d.allowed_channels[1].workspace == "T0ACME001" &&
           d.allowed_channels[1].channel == "C0OPS"));
    CHECK((d.allowed_channels[2].platform == "teams" && d.allowed_channels[2].channel == "19:leads@thread.tacv2"));
    CHECK(d.session_idle_hours == 2);

    auto bad = load_config_text(base + "dashboard:\n  signin: [github]\n  allowed_channels: [\"#general\"]\n  session_days: 0\n");
    CHECK(bad.errors.size() == 3);
}

TEST_CASE("without an allow-list the council's and owners' members may see the dashboard", "[signin]") {
    auto r = load_config_text(base);
    REQUIRE(r.ok());
    listed_membership slack;
    slack.members["C0BILLING"] = {"U0OWNER01"};
    slack.members["C0COUNCIL"] = {"U0COUNCIL"};
    millis now = 0;
    dashboard_access access(r.config, {{"slack", &slack}}, [&now] { return now; });
    CHECK(access.channels_text() == "C0COUNCIL, C0BILLING, 19:docs@thread.tacv2");
    CHECK(ask(access, {"slack", "T0TEAM", "U0OWNER01", "", ""}).allowed);
    CHECK(ask(access, {"slack", "T0TEAM", "U0COUNCIL", "", ""}).allowed);
    CHECK_FALSE(ask(access, {"slack", "T0TEAM", "U0STRANGE", "", ""}).allowed);
    CHECK_FALSE(ask(access, {"teams", "tenant", "oid", "", ""}).allowed); // no Teams port: nobody from Teams
}

TEST_CASE("a qualified channel admits only its workspace, and answers are remembered five minutes", "[signin]") {
    auto r = load_config_text(base + "dashboard:\n  allowed_channels: [\"T0ACME001:C0OPS\"]\n");
    REQUIRE(r.ok());
    listed_membership slack;
    slack.members["C0OPS"] = {"U0ADA0001"};
    millis now = 0;
    dashboard_access access(r.config, {{"slack", &slack}}, [&now] { return now; });
    CHECK_FALSE(ask(access, {"slack", "T0GLOBEX1", "U0ADA0001", "", ""}).allowed);
    CHECK(slack.asked == 0);
    CHECK(ask(access, {"slack", "T0ACME001", "U0ADA0001", "", ""}).allowed);
    slack.members["C0OPS"].clear(); // Ada leaves the channel
    CHECK(ask(access, {"slack", "T0ACME001", "U0ADA0001", "", ""}).allowed);
    now += dashboard_access::remembered_for + 1;
    CHECK_FALSE(ask(access, {"slack", "T0ACME001", "U0ADA0001", "", ""}).allowed);
    CHECK(slack.asked == 2);

    slack.down = true;
    now += dashboard_access::remembered_for + 1;
    auto unanswered = ask(access, {"slack", "T0ACME001", "U0ADA0001", "", ""});
    CHECK_FALSE(unanswered.allowed);
    CHECK(unanswered.error == "ratelimited");
}
