#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>


using namespace cxos;

namespace {

constexpr millis day_ms = 24LL * 3600 * 1000;

item open_item(std::string key, item_status status = item_status::routed) {
    item it;
    it.key = key;
    it.title = std::move(key);
    it.owner = "billing";
    it.rule = "invoices";
    it.status = status;
    it.created_at = it.updated_at = 1;
    return it;
}

signal report(std::string user, millis at, std::int64_t item_id) {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", std::move(user), "", "", "", ""};
    s.description = "refund missing";
    s.route = {"billing", "invoices", "matched 'refund'"};
    s.created_at = at;
    s.item_id = item_id;
    return s;
}

storage::council_run run(std::string week, int number, std::string trigger) {
    storage::council_run r;
    r.week = std::move(week);
    r.week_number = number;
    r.trigger = std::move(trigger);
    r.actor = r.trigger == "manual" ? "U0LEAD" : "";
    r.scheduled_at = r.posted_at = 1000;
    return r;
}

delivery reply(std::string kind, std::int64_t item_id, std::string channel = "C0COUNCIL") {
    delivery d;
    d.kind = std::move(kind);
    d.item_id = item_id;
    d.platform = "slack";
    d.channel = std::move(channel);
    return d;
}

vote ballot(std::int64_t item_id, std::string member, int value, millis at, std::string via = "button") {
    return vote{item_id, "slack", std::move(member), value, std::move(via), at};
}

reporter_ref reporter(std::string user, std::int64_t signal_id) {
    return reporter_ref{signal_id, "slack", std::move(user), "C0SUPPORT", "", 0, "T0TEAM"};
}

// Marks an outbox row delivered (or not) at `at`, as the outbox worker does.
void finish(storage::store& st, std::int64_t delivery_id, delivery_state state, millis at) {
    auto d = st.find_delivery(delivery_id);
    REQUIRE(d);
    d->state = state;
    d->updated_at = at;
    st.update_delivery(*d);
}

} // namespace

TEST_CASE("the schedule posts a week once but manual runs are always allowed", "[store][council]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    CHECK_FALSE(st->council_week_posted("2026-W48"));
    auto first = st->insert_council_run(run("2026-W48", 48, "scheduled"));
    CHECK(first > 0);
    CHECK(st->council_week_posted("2026-W48"));
    CHECK_FALSE(st->council_week_posted("2026-W49"));
    CHECK(st->insert_council_run(run("2026-W48", 48, "scheduled")) == 0);
    auto manual = st->insert_council_run(run("2026-W48", 48, "manual"));
    auto again = st->insert_council_run(run("2026-W48", 48, "manual"));
    CHECK(manual > first);
    CHECK(again > manual);
    CHECK(st->insert_council_run(run("2026-W49", 49, "scheduled")) > again);

    // A manual run does not count as the week's scheduled posting.
    st->insert_council_run(run("2026-W50", 50, "manual"));
    CHECK_FALSE(st->council_week_posted("2026-W50"));
    CHECK(st->insert_council_run(run("2026-W50", 50, "scheduled")) > 0);
}

TEST_CASE("one vote per member per item and removal needs the same value", "[store][council]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto id = st->insert_item(open_item("refund missing"));
    st->set_vote(ballot(id, "U2", 1, 20));
    st->set_vote(ballot(id, "U1", 1, 10, "reaction"));
    st->set_vote(ballot(id, "U3", -1, 20));
    auto votes = st->votes_of_item(id);
    REQUIRE(votes.size() == 3);
    CHECK(votes[0].member == "U1"); // by time, then member
    CHECK(votes[0].via == "reaction");
    CHECK(votes[1].member == "U2");
    CHECK(votes[2].member == "U3");
    CHECK(votes[2].value == -1);

    st->set_vote(ballot(id, "U1", -1, 30)); // changes their mind: replaces, never adds
    votes = st->votes_of_item(id);
    REQUIRE(votes.size() == 3);
    CHECK(votes.back().member == "U1");
    CHECK(votes.back().value == -1);
    CHECK(votes.back().via == "button");
    CHECK(votes.back().at == 30);

    CHECK_FALSE(st->remove_vote(id, "slack", "U1", 1)); // taking back the old 👍 leaves the 👎
    CHECK(st->votes_of_item(id).size() == 3);
    CHECK(st->remove_vote(id, "slack", "U1", -1));
    CHECK_FALSE(st->remove_vote(id, "slack", "U1", -1));
    CHECK_FALSE(st->remove_vote(id, "teams", "U2", 1));
    REQUIRE(st->votes_of_item(id).size() == 2);
    CHECK(st->votes_of_item(id + 1).empty());
}

TEST_CASE("candidates are the open items with their last week and votes", "[store][council]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto carried = st->insert_item(open_item("a"));
    auto decided = open_item("b", item_status::in_progress);
    decided.decision = "Remove the currency step";
    auto decided_id = st->insert_item(decided);
    auto fresh = st->insert_item(open_item("c", item_status::acknowledged));
    auto closed = st->insert_item(open_item("d", item_status::fixed));
    st->insert_signal(report("U9", 500, fresh));
    st->insert_signal(report("U8", 700, fresh));

    auto w47 = st->insert_council_run(run("2026-W47", 47, "scheduled"));
    auto w48 = st->insert_council_run(run("2026-W48", 48, "scheduled"));
    st->insert_council_entry({w47, carried, 1, st->insert_delivery(reply("council_item", carried)), 0});
    st->insert_council_entry({w48, carried, 2, st->insert_delivery(reply("council_item", carried)), 0});
    st->insert_council_entry({w47, decided_id, 2, st->insert_delivery(reply("council_item", decided_id)), 0});
    st->insert_council_entry({w47, closed, 3, st->insert_delivery(reply("council_item", closed)), 0});
    st->set_vote(ballot(carried, "U2", 1, 20));
    st->set_vote(ballot(carried, "U1", -1, 10));
    st->set_vote(ballot(carried, "U9", 1, 5));
    st->set_vote(ballot(closed, "U1", 1, 10));

    auto cs = st->council_candidates();
    REQUIRE(cs.size() == 3);
    CHECK(cs[0].it.id == carried);
    CHECK(cs[0].last_week == 48);
    CHECK(cs[0].carried_over);
    CHECK(cs[0].votes.prioritise == std::vector<std::string>{"U9", "U2"}); // in voting order
    CHECK(cs[0].votes.not_now == std::vector<std::string>{"U1"});
    CHECK(cs[1].it.id == decided_id);
    CHECK(cs[1].last_week == 47);
    CHECK_FALSE(cs[1].carried_over); // decided: followed up, not carried over
    CHECK(cs[1].it.decision == "Remove the currency step");
    CHECK(cs[2].it.id == fresh);
    CHECK(cs[2].last_week == 0);
    CHECK_FALSE(cs[2].carried_over);
    CHECK(cs[2].votes.prioritise.empty());
    CHECK(cs[2].it.counts.reports == 2);
    CHECK(cs[2].it.counts.last_seen == 700);
    CHECK(st->open_item_count() == 3);
    CHECK(st->council_deliveries_of_item(carried).size() == 2);
}

TEST_CASE("a council reply is found by its outbox row and by its posted message", "[store][council]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto id = st->insert_item(open_item("refund missing"));
    auto run_id = st->insert_council_run(run("2026-W48", 48, "scheduled"));
    auto parent = st->insert_delivery(reply("notice", 0));
    st->set_council_parent(run_id, parent);
    auto row = st->insert_delivery(reply("council_item", id));
    st->insert_council_entry({run_id, id, 3, row, 0});

    auto by_row = st->find_council_entry(row);
    REQUIRE(by_row);
    CHECK(by_row->run_id == run_id);
    CHECK(by_row->item_id == id);
    CHECK(by_row->rank == 3);
    CHECK(by_row->delivery_id == row);
    CHECK(by_row->week_number == 48);
    CHECK_FALSE(st->find_council_entry(parent));

    CHECK_FALSE(st->find_council_entry_by_message("slack", "C0COUNCIL", "")); // not posted yet
    auto d = *st->find_delivery(row);
    d.state = delivery_state::sent;
    d.platform_ref = "1732.000100";
    st->update_delivery(d);
    auto by_message = st->find_council_entry_by_message("slack", "C0COUNCIL", "1732.000100");
    REQUIRE(by_message);
    CHECK(by_message->item_id == id);
    CHECK(by_message->week_number == 48);
    CHECK_FALSE(st->find_council_entry_by_message("slack", "C0OTHER", "1732.000100"));
    CHECK_FALSE(st->find_council_entry_by_message("teams", "C0COUNCIL", "1732.000100"));
    CHECK_FALSE(st->find_council_entry_by_message("slack", "C0COUNCIL", "1732.000200"));
}

TEST_CASE("a fixed item closes its loop only when every notice was sent", "[store][council][loops]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    CHECK(st->closed_loops().fixed_items == 0);
    auto closed = st->insert_item(open_item("a", item_status::fixed));
    auto s1 = st->insert_signal(report("U1", 1 * day_ms, closed));
    auto s2 = st->insert_signal(report("U2", 2 * day_ms, closed));
    auto n1 = st->insert_delivery(reply("notice", closed, "C0SUPPORT"));
    auto n2 = st->insert_delivery(reply("notice", closed, "C0SUPPORT"));
    st->insert_loop_notice(closed, reporter("U1", s1), n1, 3 * day_ms);
    st->insert_loop_notice(closed, reporter("U2", s2), n2, 3 * day_ms);

    auto half = st->insert_item(open_item("b", item_status::fixed));
    auto s3 = st->insert_signal(report("U3", day_ms, half));
    auto s4 = st->insert_signal(report("U4", day_ms, half));
    auto n3 = st->insert_delivery(reply("notice", half, "C0SUPPORT"));
    auto n4 = st->insert_delivery(reply("notice", half, "C0SUPPORT"));
    st->insert_loop_notice(half, reporter("U3", s3), n3, 3 * day_ms);
    st->insert_loop_notice(half, reporter("U4", s4), n4, 3 * day_ms);

    st->insert_item(open_item("c", item_status::fixed)); // fixed, nobody told yet
    st->insert_item(open_item("d"));                       // open: not counted at all

    auto pending = st->closed_loops();
    CHECK(pending.fixed_items == 3);
    CHECK(pending.closed_loops == 0);

    finish(*st, n1, delivery_state::sent, 4 * day_ms);
    finish(*st, n2, delivery_state::sent, 6 * day_ms);
    finish(*st, n3, delivery_state::sent, 4 * day_ms);
    finish(*st, n4, delivery_state::dead, 5 * day_ms); // one reporter never heard back
    auto s = st->closed_loops();
    CHECK(s.fixed_items == 3);
    CHECK(s.closed_loops == 1);
    REQUIRE(s.loop_times.size() == 1);
    CHECK(s.loop_times[0] == 5 * day_ms); // last told (day 6) minus first report (day 1)

    // The KPI rows give the same closed loops as the council's figure: one definition.
    auto rows = st->kpi_items();
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].loop_notices == 2);
    CHECK(rows[0].loop_told == 2);
    CHECK(rows[0].loop_told_at == 6 * day_ms);
    CHECK(rows[1].loop_told == 1);
    auto kpis = compute_kpis(rows, st->kpi_signals(), {}, {}, {}, 10 * day_ms);
    CHECK(kpis.loops.fixed_items == s.fixed_items);
    CHECK(kpis.loops.closed_loops == s.closed_loops);
    CHECK(kpis.loops.loop_times == s.loop_times);
}

TEST_CASE("KPI rows leave duplicates out and carry each signal's source and contacts", "[store][kpis]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto kept = st->insert_item(open_item("kept"));
    auto dup = open_item("dup", item_status::duplicate);
    dup.duplicate_of = kept;
    st->insert_item(dup);
    auto ticket = report("U1", 3 * day_ms, kept);
    ticket.source.platform = "zendesk";
    ticket.external_id = "ZD-1";
    ticket.contacts = 4;
    ticket.stage = "support";
    ticket.comp = component::knowledge;
    st->insert_signal(ticket);
    auto items = st->kpi_items();
    REQUIRE(items.size() == 1);
    CHECK(items[0].it.id == kept);
    auto signals = st->kpi_signals();
    REQUIRE(signals.size() == 1);
    CHECK(signals[0].item_id == kept);
    CHECK(signals[0].at == 3 * day_ms);
    CHECK(signals[0].source == "zendesk");
    CHECK(signals[0].contacts == 4);
    CHECK(signals[0].channel == "C0SUPPORT");
    CHECK(signals[0].stage == "support");
    CHECK(signals[0].comp == component::knowledge);
}

TEST_CASE("settings are read back and overwritten", "[store][council]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    CHECK_FALSE(st->setting("council.since"));
    st->set_setting("council.since", "1700");
    CHECK(st->setting("council.since") == std::optional<std::string>("1700"));
    st->set_setting("council.since", "1800");
    CHECK(st->setting("council.since") == std::optional<std::string>("1800"));
    CHECK_FALSE(st->setting("council"));
}
