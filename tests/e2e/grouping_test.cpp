// Scattered signals aggregate: the real binary joins a differently worded report of the same
// friction to its item (in Slack and in Teams), the owner sees the count rise on the post they
// have, the reporter can split it out again, and `stats grouping` counts what happened.
#include "tests/e2e/e2e_config.hpp"
#include "tests/e2e/teams_world.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace cxos::test;
using nlohmann::json;

namespace {

std::string ack_of(const http_answer& a) { return json::parse(a.body).dump(); }

bool any_contains(const std::vector<json>& bodies, const std::string& words) {
    return std::any_of(bodies.begin(), bodies.end(), [&](const json& b) { return b.dump().find(words) != std::string::npos; });
}

} // namespace

TEST_CASE("a reworded Slack report joins the item, the owner's post counts it, Not the same splits it out", "[e2e][grouping]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));

    auto joined = ack_of(slash(cxos.port(), "customers say the invoice PDF is blank when downloaded"));
    CHECK_THAT(joined, Catch::Contains("item 1"));
    CHECK_THAT(joined, Catch::Contains("Not the same"));
    CHECK_THAT(joined, Catch::Contains("grouping.split"));
    // Routed once: the owner's post is updated to two reports, never posted again.
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(),
                           [](const fake_update& u) { return u.body.dump().find("2 reports") != std::string::npos; });
    }));
    cxos.settle();
    CHECK(slack.posts_in("C0BILLING").size() == 1);

    // "Not the same": the report becomes item 2, posted to its owner; item 1 counts one again.
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0AGENT", "C0SUPPORT", "", "grouping.split", "2")).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return any_contains(s.ephemerals, "Split out: item 2"); }));
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::count_if(s.posts.begin(), s.posts.end(), [](const auto& p) { return p.channel == "C0BILLING"; }) == 2;
    }));
    CHECK_THAT(ack_of(slash(cxos.port(), "status 1")), Catch::Contains("1 report"));

    auto stats = ack_of(slash(cxos.port(), "stats grouping"));
    CHECK_THAT(stats, Catch::Contains("1 report joined an item on their own"));
    CHECK_THAT(stats, Catch::Contains("precision *0 %*"));
}

TEST_CASE("a reworded report after a fix and a restart reopens the item as regressed, and the owner's post shows it",
          "[e2e][grouping][regression]") {
    constexpr long long day = 24LL * 3600 * 1000;
    const long long nov_2 = 1793613600000; // Monday 2 November 2026, 10:00 UTC
    fake_slack slack;
    slack.set_members("C0BILLING", {"U0OWNER"});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.use_test_clock(nov_2);
    cxos.start();
    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    cxos.settle();

    // The owner fixes it the next day.
    cxos.move_clock(nov_2 + day);
    const auto billing = slack.posts_in("C0BILLING").at(0);
    const auto views = slack.opened_views().size();
    send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0BILLING", billing.ts, "triage.fixed", "1"));
    REQUIRE(slack.wait_for([views](const fake_state& s) { return s.views.size() > views; }));
    auto view = slack.opened_views().back().view;
    REQUIRE(send_interaction(cxos.port(), view_submission_payload("U0OWNER", view, {{"what_changed", "PDFs render again"}}))
                .status == 200);
    cxos.settle();
    CHECK_THAT(ack_of(slash(cxos.port(), "status 1")), Catch::Contains("Fixed"));

    // Three days later, on a restarted server, the same friction in other words.
    REQUIRE(cxos.stop() == 0);
    cxos.use_test_clock(nov_2 + 4 * day);
    cxos.start();
    const auto ack = ack_of(slash(cxos.port(), "customers say the invoice PDF is blank when downloaded"));
    CHECK_THAT(ack, Catch::Contains("Reopened: item 1"));
    CHECK_THAT(ack, Catch::Contains("Not the same"));
    REQUIRE(slack.wait_for([&](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [&](const auto& p) {
            return p.channel == "C0BILLING" && p.thread_ts == billing.ts &&
                   p.body.dump().find("1 new report since the fix on 03 Nov 2026: reopened") != std::string::npos;
        });
    }));
    REQUIRE(slack.wait_for([&](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(), [&](const fake_update& u) {
            return u.ts == billing.ts && u.body.dump().find("Regressed") != std::string::npos;
        });
    }));
    cxos.settle();
    CHECK(slack.posts_in("C0BILLING").size() == 2); // the card and the thread line: no second item
    CHECK_THAT(ack_of(slash(cxos.port(), "status 1")), Catch::Contains("reopened as regressed"));
}

TEST_CASE("a report that reads somewhat like an item offers it, and Same as moves it there", "[e2e][grouping]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
    auto offered = ack_of(slash(cxos.port(), "invoice totals look wrong in the PDF export"));
    INFO(offered);
    CHECK_THAT(offered, Catch::Contains("Logged: item 2"));
    CHECK_THAT(offered, Catch::Contains("Same as item 1"));
    CHECK_THAT(offered, Catch::Contains("New item"));

    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0AGENT", "C0SUPPORT", "", "grouping.same.1", "2:1")).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return any_contains(s.ephemerals, "Moved to item 1"); }));
    CHECK_THAT(ack_of(slash(cxos.port(), "status 1")), Catch::Contains("2 reports"));
    CHECK_THAT(ack_of(slash(cxos.port(), "status 2")), Catch::Contains("uplicate"));
}

TEST_CASE("in Teams a reworded report joins the item and the reply card's Not the same splits it out", "[e2e][grouping][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000700", "log the docs search returns nothing")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000000700");
        return t && !t->replies.empty();
    }));
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000800", "log docs search returns nothing for any word I type")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000000800");
        return t && !t->replies.empty();
    }));
    const auto reply = w.bf.state().thread("1700000000800")->replies[0].body.dump();
    CHECK_THAT(reply, Catch::Contains("item 1"));
    CHECK_THAT(reply, Catch::Contains("Not the same"));
    CHECK_THAT(reply, Catch::Contains("grouping.split"));

    const auto conversation = thread_conversation_id(w.ctx.channel_id, "1700000000800");
    auto clicked = w.send(card_execute_invoke(w.ctx, "f:9", conversation, "reply", "grouping.split",
                                              {{"action", "grouping.split"}, {"value", "2"}}));
    REQUIRE(clicked.status == 200);
    CHECK_THAT(clicked.body, Catch::Contains("item of its own"));
}

TEST_CASE("three reroutes from triage to billing that mention SSO suggest a rule to the CX lead once, and in stats routing", "[e2e][grouping][routing]") {
    fake_slack slack;
    slack.set_members("C0TRIAGE", {"U0OWNER"});
    std::string config(e2e_routing);
    config.replace(config.find("  fallback: triage\n"), 19, "  fallback: triage\n  suggestions_channel: C0CXLEAD\n");
    cxos_process cxos(slack.api_url(), config);
    cxos.start();
    const std::vector<std::string> reports{"SSO login loops forever", "cannot sign in with SSO on mobile",
                                           "the SSO button does nothing at all"};
    for (std::size_t i = 0; i < reports.size(); ++i) {
        REQUIRE_THAT(ack_of(slash(cxos.port(), reports[i])), Catch::Contains("Logged: item " + std::to_string(i + 1)));
        REQUIRE(slack.wait_for([&](const fake_state& s) {
            return std::count_if(s.posts.begin(), s.posts.end(), [](const auto& p) { return p.channel == "C0TRIAGE"; }) ==
                   static_cast<long>(i + 1);
        }));
        const auto ts = slack.posts_in("C0TRIAGE")[i].ts;
        REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0TRIAGE", ts, "triage.reroute",
                                                                    std::to_string(i + 1) + ":billing", true))
                    .status == 200);
    }
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](const auto& p) { return p.channel == "C0CXLEAD"; });
    }));
    const auto lead = slack.posts_in("C0CXLEAD")[0].body.dump();
    CHECK_THAT(lead, Catch::Contains("3 reroutes from triage to billing mention 'sso'"));
    CHECK_THAT(lead, Catch::Contains("keywords: [sso]"));
    CHECK_THAT(lead, Catch::Contains("route_to: billing"));
    cxos.settle();
    CHECK(slack.posts_in("C0CXLEAD").size() == 1);

    auto stats = ack_of(slash(cxos.port(), "stats routing"));
    CHECK_THAT(stats, Catch::Contains("Suggested rule"));
    CHECK_THAT(stats, Catch::Contains("keywords: [sso]"));
}
