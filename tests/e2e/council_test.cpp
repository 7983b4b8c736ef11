// The weekly Experience Council against the real binary on a test clock: the digest posts once
// at the right local time across a DST change and survives restarts; votes (buttons and
// reactions) tally from cxos's own store; a decision reaches the owner's thread; Fixed closes
// the loop with every reporter exactly once.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string council_yaml = std::string(e2e_routing) + R"(council:
  slack_channel: C0COUNCIL
  schedule: "MON 09:00"
  timezone: Europe/Berlin
  max_items: 5
)";

long long utc_ms(int y, unsigned m, unsigned d, int h, int mi, int s = 0) {
    using namespace std::chrono;
    auto day = sys_days(year_month_day{year(y), month(m), std::chrono::day(d)});
    return duration_cast<milliseconds>(day.time_since_epoch() + hours(h) + minutes(mi) + seconds(s)).count();
}

std::string blocks_of(const json& body) { return body.contains("blocks") ? body["blocks"].dump() : ""; }

std::size_t posts_in(const fake_state& s, const std::string& channel) {
    return std::count_if(s.posts.begin(), s.posts.end(), [&](auto& p) { return p.channel == channel; });
}

http_answer slash_as(unsigned short port, const std::string& user, const std::string& text) {
    return send_signed(port, slash_body(text, user));
}

struct council_world {
    fake_slack slack;
    cxos_process cxos{slack.api_url(), council_yaml};

    explicit council_world(long long start_ms) {
        slack.set_members("C0COUNCIL", {"U0LEAD", "U0CHAIR"});
        slack.set_members("C0BILLING", {"U0OWNER"});
        slack.set_members("C0DOCS", {"U0OWNER"});
        cxos.use_test_clock(start_ms);
        cxos.start();
    }

    // Logs `texts` and waits until each item's post reached its owner.
    void log(const std::vector<std::string>& texts) {
        for (const auto& t : texts) REQUIRE(slash(cxos.port(), t).status == 200);
        const std::set<std::string> items(texts.begin(), texts.end()); // one post per distinct friction
        REQUIRE(slack.wait_for([n = items.size()](const fake_state& s) { return s.posts.size() >= n; }));
    }

    std::vector<posted_message> council_posts() const { return slack.posts_in("C0COUNCIL"); }
};

} // namespace

TEST_CASE("the council digest posts once at nine local time across a DST change", "[e2e][council]") {
    // Monday 19 Oct 2026, 08:58 in Berlin (CEST, UTC+2).
    council_world w(utc_ms(2026, 10, 19, 6, 58));
    w.log({"refund missing for acme", "refund missing for acme", "docs article is outdated"});
    w.cxos.settle();
    CHECK(w.council_posts().empty());

    w.cxos.move_clock(utc_ms(2026, 10, 19, 7, 0, 1)); // 09:00:01 CEST
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 3; }));
    auto posts = w.council_posts();
    const auto parent = posts[0];
    CHECK(parent.thread_ts.empty());
    CHECK_THAT(blocks_of(parent.body), Catch::Contains("week 43") && Catch::Contains("3 new signals") &&
                                           Catch::Contains("2 open items"));
    CHECK_THAT(blocks_of(parent.body), !Catch::Contains("Posted late"));
    // One threaded reply per item, in rank order: the item reported twice first.
    CHECK(posts[1].thread_ts == parent.ts);
    CHECK(posts[2].thread_ts == parent.ts);
    CHECK_THAT(blocks_of(posts[1].body), Catch::Contains("#1 · Item 1") && Catch::Contains("refund missing"));
    CHECK_THAT(blocks_of(posts[1].body), Catch::Contains("Why are customers running into this at all?"));
    CHECK_THAT(blocks_of(posts[2].body), Catch::Contains("#2 · Item 2"));

    // Later that day, and after a restart, the same week is never posted again.
    w.cxos.move_clock(utc_ms(2026, 10, 19, 9, 30));
    REQUIRE(w.cxos.stop() == 0);
    w.cxos.use_test_clock(utc_ms(2026, 10, 19, 10, 0));
    w.cxos.start();
    w.cxos.settle();
    CHECK(w.council_posts().size() == 3);

    // After DST ended (Sun 25 Oct), 09:00 in Berlin is 08:00 UTC: not 07:00.
    w.cxos.move_clock(utc_ms(2026, 10, 26, 7, 30));
    w.cxos.settle();
    CHECK(w.council_posts().size() == 3);
    w.cxos.move_clock(utc_ms(2026, 10, 26, 8, 0, 1));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 6; }));
    posts = w.council_posts();
    CHECK_THAT(blocks_of(posts[3].body), Catch::Contains("week 44"));
    // Undecided items carry over and say so.
    CHECK_THAT(blocks_of(posts[4].body), Catch::Contains("Carried over from week 43"));
}

TEST_CASE("each agenda joins the council channel again, in case cxos was removed from it since", "[e2e][council]") {
    council_world w(utc_ms(2026, 11, 23, 7, 59)); // Monday 08:59 CET
    w.log({"refund missing for acme"});
    w.cxos.move_clock(utc_ms(2026, 11, 23, 8, 0, 1));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 2; }));
    auto joins = w.slack.joins();
    CHECK(std::count(joins.begin(), joins.end(), "C0COUNCIL") == 1);
    // Someone removes cxos from the channel during the week: reactions would stop arriving.
    // The next agenda, in the same run, joins before its items.
    w.cxos.move_clock(utc_ms(2026, 11, 30, 8, 0, 1));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 4; }));
    joins = w.slack.joins();
    CHECK(std::count(joins.begin(), joins.end(), "C0COUNCIL") == 2);
}

TEST_CASE("a week missed while cxos was down is posted late once and says so", "[e2e][council]") {
    council_world w(utc_ms(2026, 11, 2, 7, 0)); // Monday 08:00 CET: this week's run is still ahead
    w.log({"refund missing for acme"});
    REQUIRE(w.cxos.stop() == 0);
    w.cxos.use_test_clock(utc_ms(2026, 11, 4, 12, 0)); // back on Wednesday
    w.cxos.start();
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 2; }));
    CHECK_THAT(blocks_of(w.council_posts()[0].body), Catch::Contains("Posted late") && Catch::Contains("Mon 02 Nov 09:00 CET"));
    w.cxos.move_clock(utc_ms(2026, 11, 4, 13, 0));
    w.cxos.settle();
    CHECK(w.council_posts().size() == 2);
}

TEST_CASE("council members vote with buttons and reactions and decide in the thread", "[e2e][council]") {
    council_world w(utc_ms(2026, 11, 23, 10, 0)); // after this week's 09:00: nothing scheduled now
    w.log({"refund missing for acme", "docs article is outdated"});

    auto refused = json::parse(slash_as(w.cxos.port(), "U0AGENT", "council run").body);
    CHECK_THAT(refused.dump(), Catch::Contains("Only members of the council channel <#C0COUNCIL> vote"));
    CHECK_THAT(refused.dump(), !Catch::Contains("&lt;#"));
    auto preview = json::parse(slash_as(w.cxos.port(), "U0AGENT", "council preview").body);
    CHECK_THAT(preview.dump(), Catch::Contains("Preview: Experience Council") && Catch::Contains("week 48"));
    CHECK(w.council_posts().empty());

    CHECK_THAT(slash_as(w.cxos.port(), "U0LEAD", "council run").body, Catch::Contains("Council agenda posted"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 3; }));
    // Slack sends reactions only from channels cxos is in: it joined before posting the items, once.
    const auto joins = w.slack.joins();
    CHECK(std::count(joins.begin(), joins.end(), "C0COUNCIL") == 1);
    const auto replies = w.council_posts();
    const auto reply = *std::find_if(replies.begin() + 1, replies.end(),
                                     [](auto& p) { return blocks_of(p.body).find("· Item 1 ·") != std::string::npos; });
    auto click = [&](const std::string& user, const std::string& action) {
        return send_interaction(w.cxos.port(), block_actions_payload(user, "C0COUNCIL", reply.ts, action, "1"));
    };
    auto last_update = [&] {
        auto updates = w.slack.updates();
        for (auto u = updates.rbegin(); u != updates.rend(); ++u)
            if (u->ts == reply.ts) return blocks_of(u->body);
        return std::string();
    };
    auto wait_update = [&](const std::string& needle) {
        return w.slack.wait_for([&](const fake_state& s) {
            for (auto u = s.updates.rbegin(); u != s.updates.rend(); ++u)
                if (u->ts == reply.ts) return blocks_of(u->body).find(needle) != std::string::npos;
            return false;
        });
    };

    CHECK(click("U0LEAD", "council.up").status == 200);
    REQUIRE(wait_update("Prioritise (1)"));
    CHECK_THAT(last_update(), Catch::Contains("<@U0LEAD>"));
    // Changing a vote replaces it.
    click("U0LEAD", "council.down");
    REQUIRE(wait_update("Not now (1)"));
    CHECK_THAT(last_update(), Catch::Contains("Prioritise (0)"));
    // A reaction is a vote too, and taking it back withdraws it.
    send_event(w.cxos.port(), reaction_envelope("EvV1", "U0CHAIR", "+1::skin-tone-3", "C0COUNCIL", reply.ts));
    REQUIRE(wait_update("Prioritise (1)"));
    CHECK_THAT(last_update(), Catch::Contains("<@U0CHAIR>") && Catch::Contains("Not now (1)"));
    send_event(w.cxos.port(), reaction_envelope("EvV2", "U0CHAIR", "+1", "C0COUNCIL", reply.ts, false));
    REQUIRE(wait_update("Prioritise (0)"));
    // Outsiders are told, not counted.
    send_event(w.cxos.port(), reaction_envelope("EvV3", "U0AGENT", "+1", "C0COUNCIL", reply.ts));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.ephemerals.empty(); }));
    CHECK_THAT(w.slack.ephemerals().back().dump(), Catch::Contains("Only members"));
    click("U0AGENT", "council.up");
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.ephemerals.size() == 2; }));
    w.cxos.settle();
    CHECK_THAT(last_update(), Catch::Contains("Prioritise (0)"));

    // Decide…: docs will own it, due in December; their channel hears it in the item's thread.
    click("U0LEAD", "council.decide");
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    CHECK(view["callback_id"] == "council.decide");
    auto past = json::parse(send_interaction(w.cxos.port(), view_submission_payload("U0LEAD", view,
        {{"decision", "Link refunds from the invoice"}, {"owner", "docs"}, {"due", "2026-01-10"}})).body);
    CHECK(past["errors"].contains("due"));
    auto done = send_interaction(w.cxos.port(), view_submission_payload("U0LEAD", view,
        {{"decision", "Link refunds from the invoice"}, {"owner", "docs"}, {"due", "2026-12-10"}}));
    CHECK(done.status == 200);
    CHECK(done.body == "");
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](auto& p) { return p.channel == "C0DOCS" && !p.thread_ts.empty(); });
    }));
    auto docs = w.slack.posts_in("C0DOCS");
    const auto line = std::find_if(docs.begin(), docs.end(), [](auto& p) { return !p.thread_ts.empty(); });
    const auto card = std::find_if(docs.begin(), docs.end(), [&](auto& p) { return p.ts == line->thread_ts; });
    REQUIRE(card != docs.end());
    CHECK_THAT(blocks_of(card->body), Catch::Contains("refund missing") && Catch::Contains("In progress"));
    CHECK_THAT(blocks_of(line->body), Catch::Contains("Link refunds from the invoice") && Catch::Contains("10 Dec 2026"));
    REQUIRE(wait_update("In progress"));
}

TEST_CASE("fixed tells every reporter exactly once and ticks the reported message", "[e2e][council][loop]") {
    council_world w(utc_ms(2026, 11, 12, 10, 0));
    w.slack.seed_message("C0SUPPORT", "1762941600.000100", "U0CUSTOMERCARE", "refund missing for acme");
    w.log({"refund missing for acme"}); // U0AGENT, no message: told by DM
    REQUIRE(slash_as(w.cxos.port(), "U0OTHER", "+1 1").status == 200);
    send_event(w.cxos.port(), reaction_envelope("EvF1", "U0FLAG", "triangular_flag_on_post", "C0SUPPORT", "1762941600.000100"));
    send_event(w.cxos.port(), reaction_envelope("EvF2", "U0FLAG2", "triangular_flag_on_post", "C0SUPPORT", "1762941600.000100"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return std::any_of(s.updates.begin(), s.updates.end(), [](auto& u) { return u.body.dump().find("4 reports") != std::string::npos; });
    }));

    const auto post = w.slack.posts_in("C0BILLING")[0];
    send_interaction(w.cxos.port(), block_actions_payload("U0OWNER", "C0BILLING", post.ts, "triage.fixed", "1"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    REQUIRE(send_interaction(w.cxos.port(), view_submission_payload("U0OWNER", view,
        {{"what_changed", "Refunds now post within a day"}})).status == 200);
    REQUIRE(w.slack.wait_for([](const fake_state& s) {
        return !s.reactions.empty() && std::count_if(s.posts.begin(), s.posts.end(), [](auto& p) {
            return p.body.dump().find("We fixed it") != std::string::npos;
        }) == 3;
    }));
    w.cxos.settle();
    auto loops = w.slack.posts();
    std::vector<posted_message> told;
    std::copy_if(loops.begin(), loops.end(), std::back_inserter(told),
                 [](auto& p) { return p.body.dump().find("We fixed it") != std::string::npos; });
    REQUIRE(told.size() == 3); // two DMs and one reply in the flagged message's thread
    CHECK(std::count_if(told.begin(), told.end(), [](auto& p) { return p.channel == "U0AGENT"; }) == 1);
    CHECK(std::count_if(told.begin(), told.end(), [](auto& p) { return p.channel == "U0OTHER"; }) == 1);
    auto thread = std::find_if(told.begin(), told.end(), [](auto& p) { return p.channel == "C0SUPPORT"; });
    REQUIRE(thread != told.end());
    CHECK(thread->thread_ts == "1762941600.000100");
    CHECK_THAT(blocks_of(thread->body), Catch::Contains("<@U0FLAG>") && Catch::Contains("<@U0FLAG2>") &&
                                            Catch::Contains("You reported *refund missing for acme* on 12 Nov") &&
                                            Catch::Contains("Refunds now post within a day"));
    auto ticks = w.slack.reactions_added();
    REQUIRE(ticks.size() == 1);
    CHECK(ticks[0]["name"] == "white_check_mark");
    CHECK(ticks[0]["timestamp"] == "1762941600.000100");

    auto stats = slash_as(w.cxos.port(), "U0AGENT", "stats loops").body;
    CHECK_THAT(stats, Catch::Contains("100 %") && Catch::Contains("1 fixed item"));
}

TEST_CASE("a council schedule changed by a reload posts each week once and never a missed one late", "[e2e][council][reload]") {
    council_world w(utc_ms(2026, 11, 2, 7, 0)); // Monday 2 Nov, 08:00 CET
    w.log({"refund missing for acme"});
    w.cxos.move_clock(utc_ms(2026, 11, 2, 8, 0, 1)); // 09:00:01 CET: week 45
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 2; }));

    // Moved to Wednesday: week 45 was posted on Monday and is not posted again; week 46 is.
    auto text = w.cxos.config_text();
    text.replace(text.find("MON 09:00"), 9, "WED 10:00");
    w.cxos.set_config_text(text);
    REQUIRE(w.cxos.reload(config_reloaded));
    w.cxos.move_clock(utc_ms(2026, 11, 4, 9, 0, 1)); // Wed 4 Nov 10:00:01 CET
    w.cxos.settle();
    CHECK(w.council_posts().size() == 2);
    w.cxos.move_clock(utc_ms(2026, 11, 11, 9, 0, 1)); // Wed 11 Nov 10:00:01 CET: week 46
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 4; }));
    CHECK_THAT(blocks_of(w.council_posts()[2].body), Catch::Contains("week 46"));

    // Back to Monday on Monday 16 Nov at noon: week 47's new time has passed, but it was not due
    // under the schedule in force then, so it is not posted late; week 48 is, on time.
    w.cxos.move_clock(utc_ms(2026, 11, 16, 11, 0));
    w.cxos.settle();
    text.replace(text.find("WED 10:00"), 9, "MON 09:00");
    w.cxos.set_config_text(text);
    REQUIRE(w.cxos.reload(config_reloaded));
    w.cxos.settle();
    CHECK(w.council_posts().size() == 4);
    w.cxos.move_clock(utc_ms(2026, 11, 23, 8, 0, 1)); // Mon 23 Nov 09:00:01 CET: week 48
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return posts_in(s, "C0COUNCIL") == 6; }));
    CHECK_THAT(blocks_of(w.council_posts()[4].body), Catch::Contains("week 48") && !Catch::Contains("Posted late"));
}
