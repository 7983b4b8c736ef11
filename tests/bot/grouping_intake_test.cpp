// Grouping at capture, against a real (in-memory) store: differently worded reports of one
// friction count on one item, reporters correct it, and every correction is a labelled pair.
#include "bot/services/regroup.hpp"
#include "bot/services/routing_advice.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::bot;

namespace {

constexpr millis now = 1795392000000; // a Monday

journey_config journey() {
    journey_config j;
    j.stages = {"renew"};
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    j.owners["identity"] = owner{"identity", "C0IDENTITY", ""};
    j.owners["triage"] = owner{"triage", "C0TRIAGE", ""};
    j.fallback = "triage";
    return j;
}

struct world {
    std::unique_ptr<storage::store> st = storage::open_store("sqlite://:memory:");
    journey_config j = journey();
    std::optional<grouping_index> grouping{std::in_place, grouping_config{}, j.items};

    intake_result log(const std::string& text, const std::string& user = "U1", const std::string& platform = "slack",
                      millis at = now) {
        cxos::signal s;
        s.source = {platform, "T1", "C0SUPPORT", user, user, "", "", ""};
        s.description = text;
        s.route = {"triage", "", "no rule matched"};
        s.created_at = at;
        return record_signal(*st, j, s, at, &*grouping);
    }
    regroup_outcome answer(regroup_choice::kind what, std::int64_t signal_id, std::int64_t item_id = 0,
                           const std::string& user = "U1", millis at = now + 1000) {
        const actor who{"slack", "T1", user, user, "C0SUPPORT"};
        return apply_regroup(*st, j, &*grouping, regroup_choice{what, signal_id, item_id}, who, at);
    }
    void fix(std::int64_t item_id, millis at) {
        queued_channels queued;
        triage_action fixed{triage_verb::fixed, "U0OWNER", "", 0, "PDFs render again", "", "triage"};
        REQUIRE(record_triage(*st, j, item_id, fixed, at, queued, &*grouping).changed);
    }
    // A new server on the same database: the index is rebuilt from the store.
    void restart() { grouping.emplace(grouping_config{}, j.items); }
    // An owner reroutes the item of a new report from triage to identity; what the CX lead is sent.
    queued_channels reroute_to_identity(const std::string& text, const std::string& user, const app_config& config) {
        auto logged = log(text, user);
        queued_channels queued;
        triage_action to_identity{triage_verb::reroute, "U0OWNER", "identity", 0, "", "", "triage"};
        REQUIRE(record_triage(*st, j, logged.it.id, to_identity, now + 1000, queued, &*grouping).changed);
        suggest_routing_rules_to_lead(*st, config, now + 1000, queued);
        return queued;
    }
};

bool queued_to(const intake_result& r, const std::string& channel) {
    return std::any_of(r.queued.begin(), r.queued.end(), [&](const auto& q) { return q.second == channel; });
}

bool audited(storage::store& st, std::int64_t item_id, std::string_view action) {
    const auto audit = st.audit_of_item(item_id);
    return std::any_of(audit.begin(), audit.end(), [&](const audit_entry& a) { return a.action == action; });
}

bool has_action(const neutral_message& m, std::string_view id) {
    return std::any_of(m.actions.begin(), m.actions.end(), [&](const message_action& a) { return a.id == id; });
}

} // namespace

TEST_CASE("differently worded reports of one friction join its item and the ack offers Not the same", "[intake][grouping]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    CHECK(first.new_item);
    auto reworded = w.log("customers say the invoice PDF is blank when downloaded", "U2");
    CHECK_FALSE(reworded.new_item);
    CHECK(reworded.it.id == first.it.id);
    CHECK(reworded.grouping.verdict == grouping_verdict::auto_join);
    CHECK(reworded.it.counts.reports == 2);
    CHECK(reworded.it.counts.reporters == 2);
    auto ack = log_ack(reworded, w.j, delivery_holds{});
    CHECK(has_action(ack, grouping_actions::split));
    CHECK_THAT(ack.text, Catch::Contains("Not the same"));

    auto other = w.log("the SSO login loops forever", "U3");
    CHECK(other.new_item);
    CHECK(other.it.id != first.it.id);
    CHECK(w.st->grouping_events(0).size() == 1); // the one auto-join
}

TEST_CASE("Not the same splits a joined report into an item of its own and counts against precision", "[intake][grouping]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    auto joined = w.log("customers say the invoice PDF is blank when downloaded", "U2");
    REQUIRE(joined.it.id == first.it.id);

    auto refused = w.answer(regroup_choice::kind::split, joined.sig.id, 0, "U9");
    CHECK_THAT(refused.answer.text, Catch::Contains("Only the person who reported"));
    CHECK(w.st->find_item(first.it.id)->counts.reports == 2);

    auto split = w.answer(regroup_choice::kind::split, joined.sig.id, 0, "U2");
    CHECK_THAT(split.answer.title, Catch::Contains("Split out"));
    const auto now_on = w.st->find_signal(joined.sig.id)->item_id;
    CHECK(now_on != first.it.id);
    CHECK(w.st->find_item(first.it.id)->counts.reports == 1);
    CHECK(w.st->find_item(now_on)->counts.reports == 1);
    CHECK(split.channel == "C0SUPPORT");

    auto weeks = grouping_weeks(w.st->grouping_events(0), 0);
    REQUIRE(weeks.size() == 1);
    CHECK(weeks[0].auto_joins == 1);
    CHECK(weeks[0].split == 1);

    // The item it started takes its own kind of report from now on; the first item keeps its own.
    auto again = w.log("the invoice PDF is blank", "U4");
    CHECK(again.it.id == first.it.id);
}

TEST_CASE("a report that started an item cannot be split out of it", "[intake][grouping]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    w.log("customers say the invoice PDF is blank when downloaded", "U2");
    auto answer = w.answer(regroup_choice::kind::split, first.sig.id);
    CHECK_THAT(answer.answer.text, Catch::Contains("started item"));
    CHECK(w.st->find_item(first.it.id)->counts.reports == 2);
}

TEST_CASE("moving a report onto another item merges the item it started, without a second owner post", "[intake][grouping]") {
    world w;
    auto target = w.log("invoice PDF is blank");
    auto mine = w.log("the SSO login loops forever", "U2");
    REQUIRE(mine.it.id != target.it.id);
    const auto posts_before = w.st->deliveries_for_signal(target.sig.id).size();

    auto moved = w.answer(regroup_choice::kind::same, mine.sig.id, target.it.id, "U2");
    CHECK_THAT(moved.answer.title, Catch::Contains("Moved to item " + std::to_string(target.it.id)));
    CHECK(w.st->find_item(target.it.id)->counts.reports == 2);
    auto started = w.st->find_item(mine.it.id);
    CHECK(started->status == item_status::duplicate);
    CHECK(started->duplicate_of == target.it.id);
    CHECK(w.st->deliveries_for_signal(target.sig.id).size() >= posts_before);
    auto events = w.st->grouping_events_of_signal(mine.sig.id);
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().kind == "chosen");
    CHECK(events.back().same == std::optional<bool>(true));
}

TEST_CASE("New item over suggestions labels each offered item as a different friction, once", "[intake][grouping]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    auto offered = w.log("invoice totals look wrong in the PDF export", "U2");
    REQUIRE(offered.grouping.verdict == grouping_verdict::suggest);
    REQUIRE(offered.new_item);
    CHECK(has_action(log_ack(offered, w.j, delivery_holds{}), grouping_actions::keep));

    auto kept = w.answer(regroup_choice::kind::keep, offered.sig.id, 0, "U2");
    CHECK_THAT(kept.answer.title, Catch::Contains("Kept: item " + std::to_string(offered.it.id)));
    w.answer(regroup_choice::kind::keep, offered.sig.id, 0, "U2"); // a second click
    int different = 0;
    for (const auto& e : w.st->grouping_events_of_signal(offered.sig.id))
        if (e.kind == "kept" && e.item_id == first.it.id && e.same == std::optional<bool>(false)) ++different;
    CHECK(different == 1);
    CHECK(w.st->find_item(offered.it.id)->counts.reports == 1);
}

TEST_CASE("an owner's Duplicate of is recorded as a join grouping missed", "[intake][grouping]") {
    world w;
    auto a = w.log("invoice PDF is blank");
    auto b = w.log("the SSO login loops forever", "U2");
    queued_channels queued;
    triage_action merge{triage_verb::duplicate, "U0OWNER", "", a.it.id, "", "", "triage"};
    auto outcome = record_triage(*w.st, w.j, b.it.id, merge, now + 1000, queued, &*w.grouping);
    REQUIRE(outcome.changed);
    auto weeks = grouping_weeks(w.st->grouping_events(0), 0);
    REQUIRE(weeks.size() == 1);
    CHECK(weeks[0].owner_merges == 1);
    // The merged item's words now lead to the item it joined.
    auto again = w.log("the SSO login loops forever", "U3");
    CHECK(again.it.id == a.it.id);
}

TEST_CASE("three reroutes that share a word queue one rule suggestion for the CX lead, once", "[intake][routing]") {
    world w;
    app_config config;
    config.journey = w.j;
    config.routing_suggestions_channel = "C0CXLEAD";
    auto reroute = [&](const std::string& text, const std::string& user) { return w.reroute_to_identity(text, user, config); };
    reroute("SSO login loops forever", "U1");
    CHECK(w.st->reroutes().size() == 1);
    auto second = reroute("cannot sign in with SSO on mobile", "U2");
    CHECK(std::none_of(second.begin(), second.end(), [](const auto& q) { return q.second == "C0CXLEAD"; }));
    auto third = reroute("the SSO button does nothing at all", "U3");
    CHECK(std::any_of(third.begin(), third.end(), [](const auto& q) { return q.second == "C0CXLEAD"; }));
    auto fourth = reroute("SSO redirect fails for acme", "U4");
    CHECK(std::none_of(fourth.begin(), fourth.end(), [](const auto& q) { return q.second == "C0CXLEAD"; }));
}

TEST_CASE("a reworded report of a recently fixed item reopens it as regressed, after a restart too", "[intake][grouping][regression]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    w.fix(first.it.id, now + kpi_day_ms);
    w.restart(); // the fixed item is a candidate because the rebuilt index holds it, not by luck

    auto reworded = w.log("customers say the invoice PDF is blank when downloaded", "U2", "slack", now + 4 * kpi_day_ms);
    CHECK(reworded.reopened);
    CHECK_FALSE(reworded.new_item);
    CHECK(reworded.it.id == first.it.id);
    CHECK(reworded.it.status == item_status::regressed);
    CHECK(reworded.grouping.verdict == grouping_verdict::auto_join);
    CHECK(queued_to(reworded, "C0TRIAGE")); // the owner hears it in the card's thread and sees the card change
    CHECK(audited(*w.st, first.it.id, "regressed"));
    auto ack = log_ack(reworded, w.j, delivery_holds{});
    CHECK_THAT(ack.title, Catch::Contains("Reopened: item " + std::to_string(first.it.id)));
    CHECK(has_action(ack, grouping_actions::split));

    // Reopened, it takes the next reworded report as an open item, after another restart too.
    w.restart();
    auto again = w.log("invoice pdf blank", "U3", "slack", now + 5 * kpi_day_ms);
    CHECK(again.it.id == first.it.id);
    CHECK_FALSE(again.reopened);
    CHECK(w.st->find_item(first.it.id)->counts.reports == 3);
}

TEST_CASE("past the regression window a reworded report of a fixed item is a new item", "[intake][grouping][regression]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    w.fix(first.it.id, now + kpi_day_ms);
    const millis after_window = now + kpi_day_ms + (w.j.items.regression_window_days + 1) * kpi_day_ms;
    auto late = w.log("customers say the invoice PDF is blank when downloaded", "U2", "slack", after_window);
    CHECK(late.new_item);
    CHECK_FALSE(late.reopened);
    CHECK(w.st->find_item(first.it.id)->status == item_status::fixed);
    CHECK(w.grouping->prune(after_window) == 1); // and the housekeeping drops it from the index
}

TEST_CASE("won't fix and duplicate items take no reworded report", "[intake][grouping]") {
    world w;
    auto declined = w.log("the invoice PDF is blank");
    queued_channels queued;
    triage_action wont{triage_verb::wont_fix, "U0OWNER", "", 0, "PDF export is being retired", "", "triage"};
    REQUIRE(record_triage(*w.st, w.j, declined.it.id, wont, now + 1000, queued, &*w.grouping).changed);
    w.restart();
    auto reworded = w.log("customers say the invoice PDF is blank when downloaded", "U2");
    CHECK(reworded.new_item);
    CHECK(reworded.grouping.verdict == grouping_verdict::new_item);
    CHECK(w.st->find_item(declined.it.id)->status == item_status::wont_fix);
}

TEST_CASE("a suggested fixed item says so in the ack, and choosing it reopens it", "[intake][grouping][regression]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    w.fix(first.it.id, now + kpi_day_ms);
    auto offered = w.log("invoice totals look wrong in the PDF export", "U2", "slack", now + 4 * kpi_day_ms);
    REQUIRE(offered.grouping.verdict == grouping_verdict::suggest);
    REQUIRE(offered.new_item);
    const auto ack = log_ack(offered, w.j, delivery_holds{});
    CHECK_THAT(ack.text, Catch::Contains("Same as item " + std::to_string(first.it.id)) &&
                             Catch::Contains("fixed 3 days ago; choosing it reopens it"));

    auto chosen = w.answer(regroup_choice::kind::same, offered.sig.id, first.it.id, "U2", now + 4 * kpi_day_ms + 1000);
    CHECK_THAT(chosen.answer.title, Catch::Contains("Reopened: item " + std::to_string(first.it.id)));
    auto reopened = w.st->find_item(first.it.id);
    CHECK(reopened->status == item_status::regressed);
    CHECK(reopened->counts.reports == 2);
    CHECK(w.st->find_item(offered.it.id)->status == item_status::duplicate); // the item it started, merged
    CHECK(std::any_of(chosen.queued.begin(), chosen.queued.end(), [](const auto& q) { return q.second == "C0TRIAGE"; }));
}

TEST_CASE("Not the same on the report that reopened a fixed item fixes it again", "[intake][grouping][regression]") {
    world w;
    auto first = w.log("the invoice PDF is blank");
    w.fix(first.it.id, now + kpi_day_ms);
    auto reworded = w.log("customers say the invoice PDF is blank when downloaded", "U2", "slack", now + 4 * kpi_day_ms);
    REQUIRE(reworded.reopened);

    auto split = w.answer(regroup_choice::kind::split, reworded.sig.id, 0, "U2", now + 4 * kpi_day_ms + 1000);
    CHECK_THAT(split.answer.title, Catch::Contains("Split out"));
    auto again = w.st->find_item(first.it.id);
    CHECK(again->status == item_status::fixed);
    CHECK_FALSE(fix_regressed(*again));
    CHECK(audited(*w.st, first.it.id, "unregressed"));
    CHECK(w.st->find_signal(reworded.sig.id)->item_id != first.it.id);
}

TEST_CASE("routing.suggest_after_reroutes sets how many reroutes make a suggestion", "[intake][routing]") {
    world w;
    app_config config;
    config.journey = w.j;
    config.routing_suggestions_channel = "C0CXLEAD";
    config.routing_suggest_after_reroutes = 2;
    auto reroute = [&](const std::string& text, const std::string& user) {
        auto queued = w.reroute_to_identity(text, user, config);
        return std::any_of(queued.begin(), queued.end(), [](const auto& q) { return q.second == "C0CXLEAD"; });
    };
    CHECK_FALSE(reroute("SSO login loops forever", "U1"));
    CHECK(reroute("cannot sign in with SSO on mobile", "U2"));
}

TEST_CASE("suggestions to a report from a tool are not counted as offered, a chat report's are", "[intake][grouping]") {
    world tool, chat;
    tool.log("the invoice PDF is blank");
    auto from_tool = tool.log("invoice totals look wrong in the PDF export", "zendesk", "zendesk");
    REQUIRE(from_tool.grouping.verdict == grouping_verdict::suggest);
    CHECK(tool.st->grouping_events_of_signal(from_tool.sig.id).empty()); // nobody there can answer
    chat.log("the invoice PDF is blank");
    auto from_teams = chat.log("invoice totals look wrong in the PDF export", "U2", "teams");
    REQUIRE(from_teams.grouping.verdict == grouping_verdict::suggest);
    CHECK_FALSE(chat.st->grouping_events_of_signal(from_teams.sig.id).empty());
}
