// Owners triage in their channel: buttons and menus on the routed post, modals for the words,
// membership as the role, idempotent clicks, reporters told, routing accuracy measured.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string blocks_of(const json& body) { return body.contains("blocks") ? body["blocks"].dump() : ""; }

// Starts cxos with U0OWNER in billing and docs, logs one signal and waits for its post.
struct triage_world {
    fake_slack slack;
    cxos_process cxos{slack.api_url(), e2e_routing};
    std::string post_ts;

    triage_world() {
        slack.set_members("C0BILLING", {"U0OWNER", "U0LEAD"});
        slack.set_members("C0DOCS", {"U0OWNER"});
        cxos.start();
        slash(cxos.port(), "refund missing for acme");
        REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
        post_ts = slack.posts()[0].ts;
    }

    http_answer click(const std::string& user, const std::string& action, const std::string& value,
                      bool select = false, const std::string& channel = "C0BILLING") {
        return send_interaction(cxos.port(), block_actions_payload(user, channel, post_ts, action, value, select));
    }
};

} // namespace

TEST_CASE("the routed post carries the triage actions", "[e2e][triage]") {
    triage_world w;
    auto blocks = blocks_of(w.slack.posts()[0].body);
    for (auto id : {"triage.ack", "triage.reroute", "triage.duplicate", "triage.wont_fix", "triage.fixed"})
        CHECK_THAT(blocks, Catch::Contains(id));
    CHECK_THAT(blocks, Catch::Contains("Item 1"));
}

TEST_CASE("acknowledge updates the post in place and tells the reporter once", "[e2e][triage]") {
    triage_world w;
    CHECK(w.click("U0OWNER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.updates.empty(); }));
    auto update = w.slack.updates()[0];
    CHECK(update.ts == w.post_ts);
    CHECK_THAT(blocks_of(update.body), Catch::Contains("Acknowledged"));
    CHECK_THAT(blocks_of(update.body), !Catch::Contains("triage.ack"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](auto& p) { return p.channel == "U0AGENT"; });
    }));
    CHECK_THAT(blocks_of(w.slack.posts_in("U0AGENT")[0].body), Catch::Contains("acknowledged"));

    // A double click changes nothing twice: no second update, no second notice.
    CHECK(w.click("U0OWNER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));
    CHECK_THAT(w.slack.ephemerals()[0].dump(), Catch::Contains("already acknowledged"));
    w.cxos.settle();
    CHECK(w.slack.updates().size() == 1);
    CHECK(w.slack.posts_in("U0AGENT").size() == 1);
}

TEST_CASE("a reporter's notice whose answer was lost is found in their DM, not sent twice", "[e2e][triage][outbox]") {
    triage_world w;
    scripted_answer lost;
    lost.post_then_drop = true;
    w.slack.script_for("U0AGENT", lost);
    CHECK(w.click("U0OWNER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](auto& p) { return p.channel == "U0AGENT"; });
    }));
    // In doubt, it is looked for in the DM the post to a person's id landed in (read by the DM's
    // own id; the person's id names no conversation to read), and found.
    CHECK(w.slack.wait_for([](const fake_state& s) { return s.history_calls >= 1; }));
    w.cxos.settle();
    CHECK(w.slack.posts_in("U0AGENT").size() == 1);
    CHECK(w.slack.post_attempts() == 2); // the routed post and the one notice
}

TEST_CASE("someone outside the owning channel is refused", "[e2e][triage][security]") {
    triage_world w;
    CHECK(w.click("U0STRANGER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));
    auto note = w.slack.ephemerals()[0].dump();
    CHECK_THAT(note, Catch::Contains("U0STRANGER"));
    CHECK_THAT(note, Catch::Contains("Only members"));
    // A member acting from another channel is refused too.
    CHECK(w.click("U0OWNER", "triage.ack", "1", false, "C0ELSEWHERE").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 2; }));
    w.cxos.settle();
    CHECK(w.slack.updates().empty());
}

TEST_CASE("a click's note goes through the click's response_url, which reaches a channel where chat.postEphemeral "
          "cannot, and by chat.postEphemeral once that URL is spent or unreachable", "[e2e][triage]") {
    triage_world w;
    // The routed post shared into a private channel cxos is not in: Slack refuses ephemerals there.
    w.slack.refuse_ephemerals_in("C0PRIVATE");
    auto elsewhere = block_actions_payload("U0OWNER", "C0PRIVATE", w.post_ts, "triage.ack", "1");
    elsewhere["response_url"] = w.slack.response_url("C0PRIVATE", "U0OWNER");
    elsewhere["actions"][0]["action_ts"] = "1700000990.000001"; // a click of its own, not a resend
    CHECK(send_interaction(w.cxos.port(), elsewhere).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));
    auto note = w.slack.ephemerals()[0];
    CHECK(note["via"] == "response_url");
    CHECK(note["user"] == "U0OWNER");
    CHECK(note["response_type"] == "ephemeral");
    CHECK_THAT(note.dump(), Catch::Contains("act on it in their channel"));

    // Spent (30 minutes, or five notes), the URL is given up for chat.postEphemeral.
    CHECK(w.click("U0OWNER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.updates.empty(); }));
    auto again = block_actions_payload("U0OWNER", "C0BILLING", w.post_ts, "triage.ack", "1");
    again["response_url"] = w.slack.response_url("C0BILLING", "U0OWNER");
    again["actions"][0]["action_ts"] = "1700000991.000001";
    w.slack.expire_response_url(again["response_url"]);
    CHECK(send_interaction(w.cxos.port(), again).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 2; }));
    auto fallback = w.slack.ephemerals()[1];
    CHECK_FALSE(fallback.contains("via"));
    CHECK(fallback["channel"] == "C0BILLING");
    CHECK_THAT(fallback.dump(), Catch::Contains("already acknowledged"));

    // An outage of the hooks host does not hold the note back: chat.postEphemeral at once.
    auto during_outage = block_actions_payload("U0OWNER", "C0BILLING", w.post_ts, "triage.ack", "1");
    during_outage["response_url"] = w.slack.response_url("C0BILLING", "U0OWNER");
    during_outage["actions"][0]["action_ts"] = "1700000992.000001";
    w.slack.fail_response_url(during_outage["response_url"]);
    CHECK(send_interaction(w.cxos.port(), during_outage).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 3; }, 3s));
    CHECK_FALSE(w.slack.ephemerals()[2].contains("via"));
    w.cxos.settle();
    CHECK_THAT(w.cxos.log(), !Catch::Contains("dead-lettered"));
    CHECK_THAT(w.cxos.log(), !Catch::Contains("/hooks/")); // the URL is a credential: never logged
}

TEST_CASE("reroute moves the item and lowers routing accuracy", "[e2e][triage]") {
    triage_world w;
    slash(w.cxos.port(), "invoice pdf is blank"); // item 2 stays with billing
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
    CHECK(w.click("U0OWNER", "triage.reroute", "1:docs", true).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](auto& p) { return p.channel == "C0DOCS"; });
    }));
    CHECK_THAT(blocks_of(w.slack.posts_in("C0DOCS")[0].body), Catch::Contains("refund missing for acme"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.updates.empty(); }));
    CHECK_THAT(blocks_of(w.slack.updates()[0].body), Catch::Contains("Moved to #docs"));

    auto stats = json::parse(slash(w.cxos.port(), "stats routing").body);
    CHECK_THAT(blocks_of(stats), Catch::Contains("50 %"));
    CHECK_THAT(blocks_of(stats), Catch::Contains("rule `invoices`"));
}

TEST_CASE("fixed asks what changed in a modal and tells every reporter", "[e2e][triage]") {
    triage_world w;
    CHECK(w.click("U0LEAD", "triage.fixed", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    CHECK(view["callback_id"] == "triage.fixed");

    auto missing = json::parse(send_interaction(w.cxos.port(), view_submission_payload("U0LEAD", view, {})).body);
    CHECK(missing["response_action"] == "errors");
    CHECK(missing["errors"].contains("what_changed"));

    auto done = send_interaction(w.cxos.port(),
                                 view_submission_payload("U0LEAD", view, {{"what_changed", "Refunds now post within a day"}}));
    CHECK(done.status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](auto& p) { return p.channel == "U0AGENT"; });
    }));
    CHECK_THAT(blocks_of(w.slack.posts_in("U0AGENT")[0].body), Catch::Contains("Refunds now post within a day"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.updates.empty(); }));
    CHECK_THAT(blocks_of(w.slack.updates().back().body), Catch::Contains("Fixed"));
}

TEST_CASE("duplicate merges the reports into the other item", "[e2e][triage]") {
    triage_world w;
    slash(w.cxos.port(), "refund never arrives"); // item 2
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
    w.post_ts = w.slack.posts()[1].ts;
    CHECK(w.click("U0OWNER", "triage.duplicate", "2").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    CHECK(send_interaction(w.cxos.port(), view_submission_payload("U0OWNER", view, {{"target", "1"}})).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(),
                           [](auto& u) { return u.body.dump().find("2 reports") != std::string::npos; });
    }));
    // The merged item still answers status, pointing at the one its reports now count on.
    auto status = json::parse(slash(w.cxos.port(), "status 2").body);
    CHECK_THAT(blocks_of(status), Catch::Contains("Item 2 · Duplicate") && Catch::Contains("*Duplicate of*\\nitem 1"));
}

TEST_CASE("won't fix needs a reason and closes the item for good", "[e2e][triage]") {
    triage_world w;
    CHECK(w.click("U0OWNER", "triage.wont_fix", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    CHECK(view["callback_id"] == "triage.wont_fix");
    auto missing = json::parse(send_interaction(w.cxos.port(), view_submission_payload("U0OWNER", view, {})).body);
    CHECK(missing["errors"].contains("reason"));
    CHECK(send_interaction(w.cxos.port(), view_submission_payload("U0OWNER", view, {{"reason", "Working as designed"}}))
              .status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.updates.empty(); }));
    auto card = blocks_of(w.slack.updates().back().body);
    CHECK_THAT(card, Catch::Contains("Won't fix"));
    CHECK_THAT(card, Catch::Contains("Working as designed"));
    CHECK_THAT(card, !Catch::Contains("triage.fixed")); // closed: no more actions
    // A late click on the old buttons is refused, not applied.
    CHECK(w.click("U0OWNER", "triage.ack", "1").status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));
    CHECK_THAT(w.slack.ephemerals()[0].dump(), Catch::Contains("closed"));
}
