// Capture beyond the slash command: the modal, the message shortcut, flag reactions; and
// repeated friction becoming one item with a count.
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
} // namespace

TEST_CASE("/friction alone opens the form which validates then logs", "[e2e][capture]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto opened = slash(cxos.port(), "");
    CHECK(opened.status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = slack.opened_views()[0].view;
    CHECK(view["callback_id"] == "capture");

    auto errors = json::parse(send_interaction(cxos.port(), view_submission_payload("U0AGENT", view, {{"link", "not a url"}})).body);
    CHECK(errors["response_action"] == "errors");
    CHECK(errors["errors"].contains("description"));
    CHECK(errors["errors"].contains("link"));
    cxos.settle();
    CHECK(slack.post_attempts() == 0);

    auto done = json::parse(send_interaction(cxos.port(), view_submission_payload("U0AGENT", view,
        {{"description", "refund form rejects IBANs"}, {"stage", "renew"}, {"severity", "high"}, {"customer", "Acme"}})).body);
    CHECK(done["response_action"] == "update");
    CHECK_THAT(done.dump(), Catch::Contains("Logged: item 1"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("1 customer"));
}

TEST_CASE("the message shortcut pre-fills the form with the message and its permalink", "[e2e][capture]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    CHECK(send_interaction(cxos.port(), message_action_payload("U0AGENT", "C0SUPPORT", "1700000100.000200",
                                                               "customer says the refund never came")).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = slack.opened_views()[0].view;
    auto text = view.dump();
    CHECK_THAT(text, Catch::Contains("customer says the refund never came"));
    CHECK_THAT(text, Catch::Contains("https://acme.slack.com/archives/C0SUPPORT/p1700000100000200"));

    auto done = json::parse(send_interaction(cxos.port(), view_submission_payload("U0AGENT", view,
        {{"description", "customer says the refund never came"},
         {"link", "https://acme.slack.com/archives/C0SUPPORT/p1700000100000200"}})).body);
    CHECK(done["response_action"] == "update");
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("p1700000100000200"));
}

TEST_CASE("a slow permalink does not cost the message shortcut its form", "[e2e][capture]") {
    fake_slack slack;
    // chat.getPermalink hangs; views.open is slowish. Waiting the permalink out (2.5 s) left the
    // form too little of the trigger's 3 s, and it never opened.
    scripted_answer hanging, slowish;
    hanging.delay = 4s;
    slowish.delay = 700ms;
    slack.script_method("chat.getPermalink", hanging);
    slack.script_method("views.open", slowish);
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto shortcut = message_action_payload("U0AGENT", "C0SUPPORT", "1700000100.000300", "the refund page is blank");
    slack.issue_trigger(shortcut["trigger_id"].get<std::string>());
    CHECK(send_interaction(cxos.port(), shortcut).status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    const auto text = slack.opened_views()[0].view.dump();
    CHECK_THAT(text, Catch::Contains("the refund page is blank"));
    CHECK_THAT(text, !Catch::Contains("/archives/C0SUPPORT/")); // opened without the link
}

TEST_CASE("a flag reaction logs the message once even when Slack retries the event", "[e2e][capture]") {
    fake_slack slack;
    slack.seed_message("C0SUPPORT", "1700000200.000100", "U0CUSTOMERCARE", "the refund page times out");
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    auto event = reaction_envelope("Ev0001", "U0AGENT", "triangular_flag_on_post", "C0SUPPORT", "1700000200.000100");
    CHECK(send_event(cxos.port(), event).status == 200);
    CHECK(send_event(cxos.port(), event, 1).status == 200); // Slack's retry of the same delivery
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("the refund page times out"));
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("<@U0AGENT>")); // the reactor reports it
    REQUIRE(slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));

    // Someone else flags the same message: a second reporter, not a second signal.
    send_event(cxos.port(), reaction_envelope("Ev0002", "U0OTHER", "triangular_flag_on_post", "C0SUPPORT", "1700000200.000100"));
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(),
                           [](auto& u) { return u.body.dump().find("2 reports from 2 people") != std::string::npos; });
    }));
    // Other emoji are not captures, and cxos's own reactions are neither flags nor reporters.
    send_event(cxos.port(), reaction_envelope("Ev0003", "U0AGENT", "eyes", "C0SUPPORT", "1700000200.000100"));
    send_event(cxos.port(), reaction_envelope("Ev0004", fake_bot_user_id, "triangular_flag_on_post", "C0SUPPORT",
                                              "1700000200.000100"));
    cxos.settle();
    CHECK(slack.posts().size() == 1);
    for (const auto& u : slack.updates()) CHECK(u.body.dump().find("3 reports") == std::string::npos);
    auto status = json::parse(slash(cxos.port(), "status 2").body);
    CHECK_THAT(status["text"].get<std::string>(), Catch::Contains("No item 2"));
}

TEST_CASE("a flag on a reply in a thread logs the reply, not its parent", "[e2e][capture]") {
    fake_slack slack;
    slack.seed_message("C0SUPPORT", "1700000400.000100", "U0CUSTOMERCARE", "anyone seen checkout errors today?");
    slack.seed_message("C0SUPPORT", "1700000400.000200", "U0CUSTOMERCARE", "the docs link in the error page is dead",
                       "1700000400.000100");
    slack.seed_message("C0SUPPORT", "1700000400.000300", "U0OTHER", "same here", "1700000400.000100");
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    CHECK(send_event(cxos.port(), reaction_envelope("Ev0401", "U0AGENT", "triangular_flag_on_post", "C0SUPPORT",
                                                    "1700000400.000200"))
              .status == 200);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0DOCS");
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("the docs link in the error page is dead"));
    CHECK_THAT(blocks_of(slack.posts()[0].body), !Catch::Contains("checkout errors"));
}

TEST_CASE("the same friction twice is one item with a count and +1 adds to it", "[e2e][capture]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "Refund is missing!");
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    auto second = json::parse(slash(cxos.port(), "refund   is missing").body);
    CHECK_THAT(blocks_of(second), Catch::Contains("Added to item 1") && Catch::Contains("now has 2 reports"));
    auto plus = json::parse(slash(cxos.port(), "+1 1").body);
    CHECK_THAT(plus["text"].get<std::string>(), Catch::Contains("Counted"));
    CHECK_THAT(blocks_of(plus), Catch::Contains("3 reports"));
    auto unknown = json::parse(slash(cxos.port(), "+1 99").body);
    CHECK_THAT(unknown["text"].get<std::string>(), Catch::Contains("No item 99"));
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(),
                           [](auto& u) { return u.body.dump().find("3 reports") != std::string::npos; });
    }));
    CHECK(slack.posts().size() == 1);
}

TEST_CASE("a flagged message keeps its permalink when Slack fails to give it at first", "[e2e][capture]") {
    fake_slack slack;
    slack.seed_message("C0SUPPORT", "1700000300.000100", "U0CUSTOMERCARE", "refund button does nothing");
    slack.script_method("chat.getPermalink", {500, R"({"ok":false,"error":"internal_error"})", ""});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    send_event(cxos.port(), reaction_envelope("Ev0100", "U0AGENT", "triangular_flag_on_post", "C0SUPPORT", "1700000300.000100"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK_THAT(blocks_of(slack.posts()[0].body), Catch::Contains("https://acme.slack.com/archives/C0SUPPORT/p1700000300000100"));
}
