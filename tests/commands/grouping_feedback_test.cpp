// What reporters see of grouping, what their answers mean, and the weekly figures they feed.
#include "commands/grouping_feedback.hpp"
#include "commands/grammar.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

constexpr millis day_ms = 24LL * 3600 * 1000;
constexpr millis monday = 1795392000000; // 2026-11-23 00:00 UTC, a Monday (ISO week 48)

grouping_event event(std::string_view kind, std::int64_t signal_id, std::int64_t item_id, millis at,
                     std::optional<bool> same = std::nullopt) {
    return {0, std::string(kind), signal_id, item_id, 0.6, same, "", at};
}

std::vector<std::string> action_ids(const neutral_message& m) {
    std::vector<std::string> out;
    for (const auto& a : m.actions) out.push_back(a.id + "=" + a.value);
    return out;
}

} // namespace

TEST_CASE("an auto-join says which item it joined and offers Not the same, by button and by command", "[grouping]") {
    neutral_message ack;
    ack.text = "Added to item 12.";
    grouping_offer offer{grouping_verdict::auto_join, {{12, "the invoice PDF is blank", 3, 0.7, false}}};
    add_grouping_choices(ack, 57, offer, "/friction");
    CHECK_THAT(ack.text, Catch::Contains("“the invoice PDF is blank”"));
    CHECK_THAT(ack.text, Catch::Contains("Not the same"));
    CHECK(action_ids(ack) == std::vector<std::string>{"grouping.split=57"});
    CHECK_THAT(ack.context, Catch::Contains("`/friction split 57`"));
}

TEST_CASE("suggestions list each candidate with its reports, a button each and New item", "[grouping]") {
    neutral_message ack;
    constexpr millis day = 24LL * 3600 * 1000, now = 1795392000000;
    grouping_offer offer{grouping_verdict::suggest,
                         {{12, "invoice PDF is blank", 7, 0.3, 0}, {4, "invoice emails arrive late", 1, 0.2, now - 3 * day - 5}},
                         now};
    add_grouping_choices(ack, 57, offer, "@cxos");
    CHECK_THAT(ack.text, Catch::Contains("Same as item 12 — “invoice PDF is blank” (7 reports)\n"));
    CHECK_THAT(ack.text, Catch::Contains("Same as item 4 — “invoice emails arrive late” (1 report, fixed 3 days ago; "
                                         "choosing it reopens it)"));
    offer.items[1].fixed_at = now - day;
    neutral_message yesterday;
    add_grouping_choices(yesterday, 57, offer, "@cxos");
    CHECK_THAT(yesterday.text, Catch::Contains("fixed yesterday; choosing it reopens it"));
    CHECK(action_ids(ack) == std::vector<std::string>{"grouping.same.1=57:12", "grouping.same.2=57:4", "grouping.keep=57"});
    CHECK_THAT(ack.context, Catch::Contains("`@cxos move 57 to 12`"));
}

TEST_CASE("a new item without candidates gets no grouping choices", "[grouping]") {
    neutral_message ack;
    ack.text = "Logged: item 3.";
    add_grouping_choices(ack, 9, grouping_offer{}, "/friction");
    CHECK(ack.text == "Logged: item 3.");
    CHECK(ack.actions.empty());
}

TEST_CASE("button values decode into the choice they stand for and nothing else", "[grouping]") {
    auto same = regroup_choice_of(grouping_actions::same, "57:12");
    REQUIRE(same);
    CHECK(same->what == regroup_choice::kind::same);
    CHECK(same->signal_id == 57);
    CHECK(same->item_id == 12);
    auto split = regroup_choice_of(grouping_actions::split, "57");
    REQUIRE(split);
    CHECK(split->what == regroup_choice::kind::split);
    CHECK(regroup_choice_of(grouping_actions::keep, "57")->what == regroup_choice::kind::keep);
    CHECK_FALSE(regroup_choice_of(grouping_actions::same, "57"));
    CHECK_FALSE(regroup_choice_of(grouping_actions::same, "57:x"));
    CHECK(regroup_choice_of("grouping.same.3", "57:12")->item_id == 12);
    CHECK_FALSE(regroup_choice_of("grouping.samely", "57:12"));
    CHECK_FALSE(regroup_choice_of(grouping_actions::split, "-3"));
    CHECK_FALSE(regroup_choice_of(grouping_actions::split, ""));
    CHECK_FALSE(regroup_choice_of("triage.ack", "57"));
    CHECK(is_grouping_action("grouping.keep"));
    CHECK_FALSE(is_grouping_action("grouping.other"));
}

TEST_CASE("weekly figures count a split against the week of the join it corrects", "[grouping]") {
    const millis last_week = monday - 7 * day_ms;
    std::vector<grouping_event> events{
        event(grouping_event_kind::auto_join, 1, 10, last_week),
        event(grouping_event_kind::auto_join, 2, 10, last_week + day_ms),
        event(grouping_event_kind::auto_join, 3, 11, monday),
        event(grouping_event_kind::suggested, 4, 10, monday),
        event(grouping_event_kind::suggested, 4, 11, monday), // one report, two candidates
        event(grouping_event_kind::split, 2, 10, monday + day_ms, false),
        event(grouping_event_kind::split, 2, 10, monday + day_ms, false), // counted once
        event(grouping_event_kind::chosen, 4, 11, monday + day_ms, true),
        event(grouping_event_kind::owner_merge, 5, 10, monday + 2 * day_ms, true),
    };
    auto weeks = grouping_weeks(events, last_week);
    REQUIRE(weeks.size() == 2);
    CHECK(weeks[0].week == "2026-W48");
    CHECK(weeks[0].auto_joins == 1);
    CHECK(weeks[0].split == 0);
    CHECK(weeks[0].suggested == 1);
    CHECK(weeks[0].chosen == 1);
    CHECK(weeks[0].owner_merges == 1);
    CHECK(weeks[1].week == "2026-W47");
    CHECK(weeks[1].auto_joins == 2);
    CHECK(weeks[1].split == 1);
    CHECK(weeks[1].precision() == Approx(0.5));

    auto stats = render_grouping_stats(weeks, grouping_thresholds{});
    CHECK_THAT(stats.text, Catch::Contains("3 reports joined an item on their own"));
    CHECK_THAT(stats.text, Catch::Contains("precision *67 %*"));
    CHECK_THAT(stats.text, Catch::Contains("Owners merged 1 item by hand"));
    REQUIRE(stats.fields.size() == 2);
    CHECK(stats.fields[1].label == "2026-W47");
    CHECK_THAT(stats.fields[1].value, Catch::Contains("2 auto-joins, 1 split (precision 50 %)"));
    CHECK_THAT(stats.context, Catch::Contains("46 %"));
}

TEST_CASE("stats grouping with nothing to count says so", "[grouping]") {
    auto stats = render_grouping_stats({}, grouping_thresholds{});
    CHECK_THAT(stats.text, Catch::Contains("No report was joined"));
    CHECK(stats.fields.empty());
}

TEST_CASE("split and move are commands only in their exact shapes, anything else is a report", "[grouping][grammar]") {
    const journey_config j;
    const auto parsed = parse_command("split #57", j);
    const auto* split = std::get_if<regroup_command>(&parsed);
    REQUIRE(split);
    CHECK(split->signal_id == 57);
    CHECK(split->item_id == 0);
    const auto move = parse_command("move 57 to 12", j);
    REQUIRE(std::holds_alternative<regroup_command>(move));
    CHECK(std::get<regroup_command>(move).item_id == 12);
    CHECK(std::holds_alternative<log_command>(parse_command("split payments fail twice", j)));
    CHECK(std::holds_alternative<log_command>(parse_command("move to the new plan breaks sso", j)));
    CHECK(std::holds_alternative<stats_command>(parse_command("stats grouping", j)));
}
