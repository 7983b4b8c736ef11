// Microsoft Teams over the Bot Framework against the real binary and a local fake of Microsoft's
// side (OpenID metadata + JWKS with keys made at test time, the token endpoint, the Bot
// Connector): capture, routing into a Teams channel thread, JWT defects, redelivery, card
// actions, the message extension, and a Teams signal routed to a Slack owner.
#include "storage/store.hpp"
#include "tests/e2e/teams_world.hpp"
#include "tests/support/eventually.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// "the docs article 404s" reported in `activity_id` and routed to the docs owners: the card's
// thread there, and an owner in that channel to click on it.
struct routed_card {
    teams_thread thread;
    teams_context owner;
    std::string conversation;
};
routed_card routed_docs_card(teams_world& w, const std::string& activity_id) {
    REQUIRE(w.send(channel_mention(w.ctx, activity_id, "log the docs article 404s")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(docs_channel);
        return t && t->root;
    }));
    routed_card card{*w.bf.state().first_thread_in(docs_channel), w.ctx, ""};
    card.owner.channel_id = docs_channel;
    card.owner.user.aad_object_id = "aad-owner";
    card.conversation = thread_conversation_id(docs_channel, card.thread.root_id);
    return card;
}

} // namespace

TEST_CASE("a Teams mention is logged, routed into the owner's Teams channel as a thread, and answered", "[e2e][teams_bot]") {
    teams_world w;
    auto answer = w.send(channel_mention(w.ctx, "1700000000100", "log the docs search returns nothing #adopt"));
    REQUIRE(answer.status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        return s.first_thread_in(docs_channel) != nullptr;
    }));
    auto s = w.bf.state();
    const auto* owner_thread = s.first_thread_in(docs_channel);
    REQUIRE(owner_thread);
    REQUIRE(owner_thread->root);
    const auto& card = owner_thread->root->body["attachments"][0];
    CHECK(card["contentType"] == "application/vnd.microsoft.card.adaptive");
    CHECK_THAT(card["content"].dump(), Catch::Contains("the docs search returns nothing"));
    CHECK_THAT(card["content"].dump(), Catch::Contains("Action.Execute"));
    // The reporter's answer is a reply in the thread they wrote in.
    CHECK_THAT(first_reply(w.bf, "1700000000100"), Catch::Contains("Logged: item 1"));
    // Every connector call carried a token the fake issued; one token served them all.
    for (const auto& r : w.bf.state().requests) CHECK(r.authorization.rfind("Bearer ", 0) == 0);
    CHECK(w.bf.state().tokens_issued == 1);

    // The same activity delivered again: no second signal, no second post.
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000100", "log the docs search returns nothing #adopt")).status == 200);
    w.cxos.settle();
    s = w.bf.state();
    int roots_in_docs = 0;
    for (const auto& t : s.threads) roots_in_docs += t.channel_id == docs_channel && t.root ? 1 : 0;
    CHECK(roots_in_docs == 1);

    // Teams numbers messages per conversation: the same id in another thread is another report,
    // not a redelivery (it used to be dropped without a word).
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000100", "log the docs search returns nothing #adopt",
                                   "1700000000150"))
                .status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000150"), Catch::Contains("item 1"));
}

TEST_CASE("a command Teams delivers again runs once", "[e2e][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000400", "log the export button does nothing")).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000400"), Catch::Contains("Logged: item 1"));
    const auto plus_one = channel_mention(w.ctx, "1700000000401", "+1 1");
    REQUIRE(w.send(plus_one).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000401"), Catch::Contains("now has 2 reports"));
    // Teams sends it again, thinking the first went unanswered: it is not counted twice.
    REQUIRE(w.send(plus_one).status == 200);
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000402", "+1 1")).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000402"), Catch::Contains("now has 3 reports"));
}

TEST_CASE("a command a crash cut short runs when Teams delivers it again", "[e2e][teams_bot][crash]") {
    // On PostgreSQL too (CXOS_E2E_BACKEND): no live instance holds the run, so it is taken over.
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000410", "log the export button does nothing")).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000410"), Catch::Contains("Logged: item 1"));
    const auto plus_one = channel_mention(w.ctx, "1700000000411", "+1 1");
    // The database as a kill -9 leaves it after cxos remembered the command and before it ran.
    REQUIRE(w.cxos.stop() == 0);
    {
        auto st = cxos::storage::open_store(w.cxos.storage_url());
        REQUIRE(st->remember_event(command_run_key(plus_one), 1));
    }
    w.restart();
    // Teams delivers it again, as it does when the first delivery got no answer.
    REQUIRE(w.send(plus_one).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000411"), Catch::Contains("now has 2 reports"));
    // Once it ran and was answered, a further delivery is a no-op again.
    REQUIRE(w.send(plus_one).status == 200);
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000412", "+1 1")).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000412"), Catch::Contains("now has 3 reports"));
}

TEST_CASE("every JWT defect is refused with 401 and stores nothing", "[e2e][teams_bot]") {
    teams_world w;
    int n = 0;
    for (auto defect : all_token_defects) {
        if (defect == token_defect::none) continue;
        INFO("defect " << to_string(defect));
        auto token = w.bf.inbound_token(defect);
        auto refused = send_activity(w.cxos.port(), channel_mention(w.ctx, "17000000002" + std::to_string(n++), "log docs page broken"), token);
        CHECK(refused.status == 401);
    }
    CHECK(send_activity(w.cxos.port(), channel_mention(w.ctx, "1700000000299", "log docs page broken"), "").status == 401);
    CHECK(send_activity_with_authorization(w.cxos.port(), channel_mention(w.ctx, "1700000000298", "log docs"), "Basic abc").status == 401);
    w.cxos.settle();
    CHECK(w.bf.state().connector_attempts == 0);
    CHECK_THAT(http_call(w.cxos.port(), "GET", "/metrics", "").body,
               Catch::Contains("cxos_verification_failures_total{endpoint=\"/api/messages\"} " + std::to_string(n + 2) + "\n"));
    // The first accepted activity gets signal 1: nothing before it was stored.
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000300", "log docs page broken")).status == 200);
    CHECK_THAT(first_reply(w.bf, "1700000000300"), Catch::Contains("Logged: item 1"));
}

TEST_CASE("Acknowledge on a Teams card answers with the refreshed card and updates it in place", "[e2e][teams_bot]") {
    teams_world w;
    const auto card = routed_docs_card(w, "1700000000400");
    const auto& owner = card.owner;
    const auto& conversation = card.conversation;
    const auto& root = card.thread;

    // From another channel the button is refused and nothing changes.
    auto elsewhere = w.send(card_execute_invoke(w.ctx, "f:1", conversation, root.root_id, "triage.ack",
                                                {{"action", "triage.ack"}, {"value", "1"}}));
    REQUIRE(elsewhere.status == 200);
    CHECK_THAT(elsewhere.body, Catch::Contains("act on it in their channel"));

    auto clicked = w.send(card_execute_invoke(owner, "f:2", conversation, root.root_id, "triage.ack",
                                              {{"action", "triage.ack"}, {"value", "1"}}));
    REQUIRE(clicked.status == 200);
    auto body = json::parse(clicked.body);
    CHECK(body["statusCode"] == 200);
    CHECK(body["type"] == "application/vnd.microsoft.card.adaptive");
    CHECK_THAT(body["value"].dump(), Catch::Contains("cknowledged"));
    // Everyone else sees it too: the card in the thread is replaced through the connector.
    REQUIRE(w.bf.wait_for_update(root.root_id, "cknowledged"));
    // Fixed… opens a task module with the form.
    auto fetch = card_submit_message(owner, "f:3", conversation, root.root_id,
                                     {{"action", "triage.fixed"}, {"value", "1"}, {"msteams", {{"type", "task/fetch"}}}});
    fetch["type"] = "invoke";
    fetch["name"] = "task/fetch";
    fetch["value"] = {{"data", fetch["value"]}};
    auto task = w.send(fetch);
    REQUIRE(task.status == 200);
    auto form = json::parse(task.body);
    CHECK(form["task"]["type"] == "continue");
    CHECK_THAT(form["task"]["value"]["card"].dump(), Catch::Contains("Input.Text"));
}

TEST_CASE("a click through the Action.Submit fallback is answered in the card's thread", "[e2e][teams_bot]") {
    teams_world w;
    const auto card = routed_docs_card(w, "1700000000450");
    const auto& owner = card.owner;
    const auto& root = card.thread;
    // A client without Action.Execute sends the click as a message. The first acknowledges (the
    // card is refreshed through the connector); Teams shows nothing of the HTTP answer, so the
    // second's "already acknowledged" is a reply in the thread.
    const auto& conversation = card.conversation;
    const json ack = {{"action", "triage.ack"}, {"value", "1"}};
    REQUIRE(w.send(card_submit_message(owner, "1700000000451", conversation, root.root_id, ack)).status == 200);
    REQUIRE(w.bf.wait_for_update(root.root_id, "cknowledged"));
    REQUIRE(w.send(card_submit_message(owner, "1700000000452", conversation, root.root_id, ack)).status == 200);
    CHECK_THAT(first_reply(w.bf, root.root_id), Catch::Contains("lready acknowledged"));
}

TEST_CASE("a Teams signal can be routed to a Slack owner", "[e2e][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000500", "log the refund form rejects IBANs")).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(w.slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(w.slack.posts()[0].body.dump(), Catch::Contains("the refund form rejects IBANs"));
}

TEST_CASE("two frictions typed as replies in one Teams thread become two items, each routed by its own words", "[e2e][teams_bot]") {
    teams_world w;
    const std::string root = "1700000000550";
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000551", "log the docs search returns nothing #adopt", root)).status == 200);
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000552", "log the refund form rejects IBANs #onboard", root)).status == 200);
    // The second is about refunds: it reaches billing's Slack channel, not the docs item's owner.
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(w.slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(w.slack.posts()[0].body.dump(), Catch::Contains("the refund form rejects IBANs"));
    REQUIRE(w.bf.wait_for([&](const bot_framework_state& s) {
        const auto* t = s.thread(root);
        return t && t->replies.size() == 2;
    }));
    const auto replies = w.bf.state().thread(root)->replies;
    CHECK_THAT(text_of(replies[0]) + text_of(replies[1]), Catch::Contains("item 1") && Catch::Contains("item 2"));
}

TEST_CASE("the Log as friction message action opens a prefilled form and logs its submission", "[e2e][teams_bot]") {
    teams_world w;
    teams_source_message source{"1700000000600", "<p>Customer cannot find the docs for SSO</p>", {}, ""};
    auto fetched = w.send(fetch_task_invoke(w.ctx, "f:6", "logFriction", source));
    REQUIRE(fetched.status == 200);
    auto task = json::parse(fetched.body);
    REQUIRE(task["task"]["type"] == "continue");
    const auto card = task["task"]["value"]["card"]["content"];
    CHECK_THAT(card.dump(), Catch::Contains("Customer cannot find the docs for SSO"));
    const auto submit_data = card["actions"][0]["data"];

    json fields = submit_data;
    fields["description"] = "Customer cannot find the docs for SSO";
    auto submitted = w.send(submit_action_invoke(w.ctx, "f:7", "logFriction", source, fields));
    REQUIRE(submitted.status == 200);
    auto done = json::parse(submitted.body);
    CHECK(done["task"]["type"] == "message");
    CHECK_THAT(done["task"]["value"].get<std::string>(), Catch::Contains("Logged: item 1"));
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(docs_channel);
        return t && t->root;
    }));
}

TEST_CASE("a channel cxos is not in is dead-lettered with the fix, throttling is retried", "[e2e][teams_bot]") {
    teams_world w;
    w.bf.script_for(docs_channel, connector_answer::throttled("1"));
    w.bf.script_for(docs_channel, connector_answer::throttled("")); // no Retry-After: backed off
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000700", "log docs sidebar is empty")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(docs_channel);
        return t && t->root;
    }));
    int create_attempts = 0;
    for (const auto& r : w.bf.state().requests)
        if (r.method == "POST" && r.path.size() == 2 && r.path[1] == "conversations") ++create_attempts;
    CHECK(create_attempts == 3);

    w.bf.script_for(docs_channel, connector_answer::bot_not_in_roster());
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000701", "log docs search box is gone")).status == 200);
    CHECK(eventually([&] { return w.cxos.log().find("add cxos to that team") != std::string::npos; }));
}

TEST_CASE("the council digest is copied to Teams as a parent and one reply per item, with votes on the cards", "[e2e][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000800", "log docs for SSO are outdated")).status == 200);
    w.slack.set_members("C0COUNCIL", {"U0AGENT"});
    auto run = slash(w.cxos.port(), "council run");
    REQUIRE(run.status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(council_channel);
        return t && t->root && t->replies.size() == 1;
    }));
    const auto thread = *w.bf.state().first_thread_in(council_channel);
    CHECK_THAT(thread.root->body.dump(), Catch::Contains("Experience Council"));
    CHECK_THAT(thread.replies[0].body.dump(), Catch::Contains("docs for SSO are outdated"));
    CHECK_THAT(thread.replies[0].body.dump(), Catch::Contains("council.up"));

    teams_context member = w.ctx;
    member.channel_id = council_channel;
    const auto conversation = thread_conversation_id(council_channel, thread.root_id);
    auto voted = w.send(card_execute_invoke(member, "f:8", conversation, thread.replies[0].id, "council.up",
                                            {{"action", "council.up"}, {"value", "1"}}));
    REQUIRE(voted.status == 200);
    CHECK_THAT(voted.body, Catch::Contains("Counted"));
    // The Teams reply shows the vote once refreshed; outside the council channel votes do not count.
    REQUIRE(w.bf.wait_for_update(thread.replies[0].id, "Prioritise (1)"));
    auto outsider = w.send(card_execute_invoke(w.ctx, "f:9", conversation, thread.replies[0].id, "council.up",
                                               {{"action", "council.up"}, {"value", "1"}}));
    CHECK_THAT(outsider.body, Catch::Contains("only in the council's channel"));
}

TEST_CASE("cxos added to a team greets it with help and learns where to post", "[e2e][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(bot_added_to_team(w.ctx, "f:10")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) { return !s.activities().empty(); }));
    CHECK_THAT(w.bf.state().activities()[0].body.dump(), Catch::Contains("cxos is here"));
}

TEST_CASE("Fixed from a Teams task module tells the Teams reporter in their thread", "[e2e][teams_bot]") {
    teams_world w;
    REQUIRE(w.send(channel_mention(w.ctx, "1700000000900", "log docs PDF export is blank")).status == 200);
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(docs_channel);
        return t && t->root;
    }));
    teams_context owner = w.ctx;
    owner.channel_id = docs_channel;
    const auto root = w.bf.state().first_thread_in(docs_channel)->root_id;
    auto submit = card_execute_invoke(owner, "f:11", thread_conversation_id(docs_channel, root), root, "", json::object());
    submit["name"] = "task/submit";
    submit["value"] = {{"data", {{"form", "triage.fixed"}, {"state", "1"}}}};
    auto refused = json::parse(w.send(submit).body);
    CHECK(refused["task"]["type"] == "continue"); // "what changed" is required: the form stays open
    CHECK_THAT(refused.dump(), Catch::Contains("Say what changed"));

    submit["id"] = "f:12";
    submit["value"]["data"]["what_changed"] = "PDF export renders the page again";
    auto done = json::parse(w.send(submit).body);
    CHECK(done["task"]["type"] == "message");
    REQUIRE(w.bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.thread("1700000000900");
        if (!t) return false;
        for (const auto& r : t->replies)
            if (r.body.dump().find("PDF export renders the page again") != std::string::npos) return true;
        return false;
    }));
}

TEST_CASE("a Teams-only deployment serves Teams, turns Slack off and dead-letters Slack-only owners' posts", "[e2e][teams_bot]") {
    fake_slack slack;
    fake_bot_framework bf;
    cxos_process cxos(slack.api_url(), teams_routing(bf));
    auto env = registration_env(bf);
    env.insert({{"SLACK_SIGNING_SECRET", unset_env}, {"SLACK_BOT_TOKEN", unset_env}});
    cxos.start(env);
    CHECK(http_call(cxos.port(), "POST", "/slack/events", "x=1").status == 404);
    const teams_context ctx = context_for(bf);
    REQUIRE(send_activity(cxos.port(), channel_mention(ctx, "1700000001000", "log docs toc is wrong"), bf.inbound_token()).status == 200);
    REQUIRE(bf.wait_for([](const bot_framework_state& s) {
        const auto* t = s.first_thread_in(docs_channel);
        return t && t->root;
    }));
    REQUIRE(send_activity(cxos.port(), channel_mention(ctx, "1700000001001", "log the invoice total is off"), bf.inbound_token()).status == 200);
    std::string log;
    CHECK(eventually([&] {
        log = cxos.log();
        return log.find("Slack is not configured") != std::string::npos;
    }));
    CHECK_THAT(log, Catch::Contains("Slack is not configured"));
    CHECK(slack.post_attempts() == 0);
}
