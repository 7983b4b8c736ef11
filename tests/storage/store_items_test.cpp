#include "storage/store.hpp"

#include "tests/storage/item_reports.hpp"
#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::test;

TEST_CASE("an item counts reports and distinct reporters and customers", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto id = st->insert_item(billing_item("refund missing"));
    auto first = st->insert_signal(report("U1", "Acme", 100, id));
    st->insert_signal(report("U2", "acme", 200, id)); // same customer, other case
    st->insert_signal(report("U1", "", 300, id));
    CHECK(st->add_reporter(first, "slack", "U3", 400));
    CHECK_FALSE(st->add_reporter(first, "slack", "U3", 500)); // already a reporter
    CHECK_FALSE(st->add_reporter(first, "slack", "U1", 500)); // the signal's own reporter

    auto it = st->find_item(id);
    REQUIRE(it);
    CHECK(it->counts.reports == 4);
    CHECK(it->counts.reporters == 3);
    CHECK(it->counts.customers == 1);
    CHECK(it->counts.first_seen == 100);
    CHECK(it->counts.last_seen == 400);
    CHECK(it->counts.first_reporter == "U1");
    CHECK(st->reporters_of_item(id).size() == 4);
}

TEST_CASE("storing a report answers its item's counts as they now stand", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto id = st->insert_item(billing_item("refund missing"));
    // Each report against what the item row says after it: the logging path shows the former.
    auto counted = [&](const signal& s) {
        const auto stored = st->insert_counted_signal(s);
        const auto row = st->find_item_summary(id);
        REQUIRE(row);
        CHECK(stored.id != 0);
        CHECK(stored.counts.reports == row->counts.reports);
        CHECK(stored.counts.reporters == row->counts.reporters);
        CHECK(stored.counts.customers == row->counts.customers);
        CHECK(stored.counts.first_seen == row->counts.first_seen);
        CHECK(stored.counts.last_seen == row->counts.last_seen);
        return stored.counts;
    };
    auto c = counted(report("U1", "Acme", 300, id));
    CHECK((c.reports == 1 && c.reporters == 1 && c.customers == 1 && c.first_seen == 300 && c.last_seen == 300));
    c = counted(report("U1", "acme", 200, id)); // the same person and customer, earlier
    CHECK((c.reports == 2 && c.reporters == 1 && c.customers == 1 && c.first_seen == 200 && c.last_seen == 300));
    c = counted(report("U2", "Globex", 400, id));
    CHECK((c.reports == 3 && c.reporters == 2 && c.customers == 2 && c.first_seen == 200 && c.last_seen == 400));

    auto loose = report("U3", "", 500, 0); // no item yet: nothing counted
    const auto stored = st->insert_counted_signal(loose);
    CHECK(stored.id != 0);
    CHECK(stored.counts.reports == 0);
}

TEST_CASE("only open items take new signals by key", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto open_id = st->insert_item(billing_item("refund missing"));
    CHECK(st->find_open_item("refund missing")->id == open_id);
    auto closed = *st->find_item(open_id);
    closed.status = item_status::fixed;
    st->update_item(closed);
    CHECK_FALSE(st->find_open_item("refund missing"));
}

TEST_CASE("merging moves signals and accuracy counts reroutes per rule", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto a = billing_item("a");
    a.routed_at = 10;
    auto b = billing_item("b");
    b.routed_at = 10;
    b.rerouted = true;
    auto c = billing_item("c"); // never reached an owner: not counted
    auto fallback = billing_item("d");
    fallback.rule = "";
    fallback.routed_at = 10;
    auto ia = st->insert_item(a), ib = st->insert_item(b);
    st->insert_item(c);
    st->insert_item(fallback);
    st->insert_signal(report("U1", "", 1, ib));
    st->move_signals(ib, ia);
    CHECK(st->find_item(ia)->counts.reports == 1);
    CHECK(st->find_item(ib)->counts.reports == 0);

    auto rows = st->routing_accuracy();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].rule.empty());
    CHECK(rows[0].routed == 1);
    CHECK(rows[1].rule == "invoices");
    CHECK(rows[1].routed == 2);
    CHECK(rows[1].rerouted == 1);
}

TEST_CASE("an event id is remembered once and inbox rows come back when due", "[store][inbox]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    CHECK_FALSE(st->event_seen("slack:Ev1"));
    CHECK(st->remember_event("slack:Ev1", 1));
    CHECK(st->event_seen("slack:Ev1"));
    CHECK_FALSE(st->remember_event("slack:Ev1", 2));
    // Forgotten (the work it guarded failed), the retry is new again; other keys stay.
    CHECK(st->remember_event("slack:Ev2", 1));
    st->forget_event("slack:Ev1");
    CHECK_FALSE(st->event_seen("slack:Ev1"));
    CHECK(st->remember_event("slack:Ev1", 3));
    CHECK_FALSE(st->remember_event("slack:Ev2", 3));
    CHECK_FALSE(st->event_seen("slack:Ev3"));
    storage::inbox_row row;
    row.platform = "slack";
    row.kind = "slack.reaction";
    row.payload = "{}";
    row.next_attempt_at = 100;
    row.id = st->insert_inbox(row);
    CHECK(st->due_inbox(99, 10).empty());
    REQUIRE(st->due_inbox(100, 10).size() == 1);
    row.state = "done";
    st->update_inbox(row);
    CHECK(st->due_inbox(1000, 10).empty());
}

// An item's counts inside the storage thread's transactions: what every read in the batch sees,
// what a job rolled back to its savepoint leaves, and what a whole rolled-back batch leaves. SQLite
// keeps them pending until the commit (sqlite_counts.cpp), PostgreSQL writes them at once: a
// reader cannot tell the two apart.
TEST_CASE("reports counted in one transaction are seen by every read in it and after it", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    const auto id = new_item(*st, "refund missing");
    const auto other = new_item(*st, "login loop");

    st->begin();
    st->savepoint();
    CHECK(st->insert_counted_signal(report("U1", "Acme", 100, id)).counts.reports == 1);
    st->release_savepoint();
    st->savepoint();
    const auto second = st->insert_counted_signal(report("U2", "Globex", 200, id));
    CHECK((second.counts.reports == 2 && second.counts.reporters == 2 && second.counts.customers == 2));
    CHECK(st->insert_counted_signal(report("U1", "", 150, other)).counts.reports == 1);
    // The logging path's own reads, and the others (the dashboard's, triage's) alike.
    CHECK(st->find_open_item("refund missing")->counts.reports == 2);
    CHECK(st->find_item_summary(id)->counts.last_seen == 200);
    CHECK(counts_of(*st, id).reporters == 2);
    st->release_savepoint();
    // Counted again after another statement read the row: from what it now holds.
    CHECK(st->add_reporter(second.id, "slack", "U3", 250));
    const auto third = st->insert_counted_signal(report("U3", "", 300, id));
    CHECK((third.counts.reports == 4 && third.counts.reporters == 3 && third.counts.last_seen == 300));
    st->commit();

    const auto stored = counts_of(*st, id);
    CHECK((stored.reports == 4 && stored.reporters == 3 && stored.customers == 2));
    CHECK((stored.first_seen == 100 && stored.last_seen == 300));
    CHECK(counts_of(*st, other).reports == 1);
    auto reopened = db.open(); // another connection sees the committed row
    CHECK(counts_of(*reopened, id).reports == 4);
}

TEST_CASE("a job rolled back to its savepoint takes only its own reports off the counts", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    const auto id = new_item(*st, "refund missing");

    st->begin();
    st->savepoint(); // job 1 keeps its report
    st->insert_counted_signal(report("U1", "Acme", 100, id));
    st->release_savepoint();

    st->savepoint(); // job 2 counts two reports and fails
    st->insert_counted_signal(report("U2", "Globex", 200, id));
    st->insert_counted_signal(report("U3", "", 300, id));
    st->rollback_to_savepoint();

    st->savepoint(); // job 3 reads the item (job 1's count is written), counts, reads again, and fails
    CHECK(counts_of(*st, id).reports == 1);
    st->insert_counted_signal(report("U4", "Initech", 400, id));
    CHECK(counts_of(*st, id).reports == 2);
    st->insert_counted_signal(report("U5", "", 500, id));
    st->rollback_to_savepoint();

    st->savepoint(); // job 4 counts from what jobs 1 left
    const auto next = st->insert_counted_signal(report("U2", "", 600, id));
    CHECK((next.counts.reports == 2 && next.counts.reporters == 2 && next.counts.customers == 1));
    CHECK(next.counts.first_seen == 100);
    st->release_savepoint();
    st->commit();

    const auto stored = counts_of(*st, id);
    CHECK((stored.reports == 2 && stored.reporters == 2 && stored.customers == 1));
    CHECK((stored.first_seen == 100 && stored.last_seen == 600));
}

TEST_CASE("a rolled-back transaction leaves the counts as the last commit left them", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    const auto id = new_item(*st, "refund missing");
    st->insert_counted_signal(report("U1", "Acme", 100, id)); // outside a transaction: stored at once
    CHECK(counts_of(*st, id).reports == 1);

    st->begin();
    st->savepoint();
    st->insert_counted_signal(report("U2", "Globex", 200, id));
    st->release_savepoint();
    st->rollback();

    CHECK(counts_of(*st, id).reports == 1);
    st->begin();
    CHECK(st->insert_counted_signal(report("U2", "", 300, id)).counts.reports == 2);
    st->commit();
    const auto stored = counts_of(*st, id);
    CHECK((stored.reports == 2 && stored.reporters == 2 && stored.customers == 1 && stored.last_seen == 300));
}

TEST_CASE("the open item found by key in a transaction is the row as it now stands", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->begin();
    st->savepoint(); // a job starts the item, then fails: the item is gone
    new_item(*st, "refund missing");
    CHECK(st->find_open_item("refund missing"));
    st->rollback_to_savepoint();
    CHECK_FALSE(st->find_open_item("refund missing"));

    st->savepoint();
    const auto id = new_item(*st, "refund missing");
    st->insert_counted_signal(report("U1", "", 100, id));
    auto found = st->find_open_item("refund missing");
    REQUIRE(found);
    CHECK(found->id == id);
    found->title = "refund missing since March";
    st->update_item(*found);
    CHECK(st->find_open_item("refund missing")->title == "refund missing since March");
    CHECK(st->insert_counted_signal(report("U2", "", 200, id)).counts.reports == 2);
    CHECK(st->find_open_item("refund missing")->counts.reports == 2);
    found->status = item_status::fixed;
    st->update_item(*found);
    CHECK_FALSE(st->find_open_item("refund missing"));
    st->release_savepoint();
    st->commit();
    CHECK_FALSE(st->find_open_item("refund missing"));
    CHECK(counts_of(*st, id).reports == 2);
}

TEST_CASE("a hot item's rows read again in one transaction follow its counts and savepoints", "[store][items]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    const auto id = new_item(*st, "refund missing");
    st->begin();
    for (int i = 1; i <= 3; ++i) { // each report finds the open item, then counts itself on it
        st->savepoint();
        auto open = st->find_open_item("refund missing");
        REQUIRE(open);
        CHECK(open->counts.reports == i - 1);
        st->insert_counted_signal(report("U" + std::to_string(i), "", 100 * i, id));
        st->release_savepoint();
    }
    st->savepoint(); // a job counts a fourth, reads it, and fails
    st->insert_counted_signal(report("U4", "", 400, id));
    CHECK(st->find_open_item("refund missing")->counts.reports == 4);
    st->rollback_to_savepoint();
    const auto after = st->find_open_item("refund missing");
    REQUIRE(after);
    CHECK((after->counts.reports == 3 && after->counts.reporters == 3 && after->counts.last_seen == 300));
    st->commit();
    CHECK(counts_of(*st, id).reports == 3);
}

TEST_CASE("an item another instance closed while a report was counted is not found open again", "[store][items][multi]") {
    // Only PostgreSQL lets a second instance write during a transaction: SQLite serialises writers.
    if (test::test_postgres_url().empty()) return;
    test::scratch_database db("postgresql");
    auto st = db.open();
    auto other = db.open();
    const auto id = new_item(*st, "refund missing");
    st->begin();
    auto open = st->find_open_item("refund missing");
    REQUIRE(open);
    auto closed = *open; // the other instance's owner marks it fixed between the read and the count
    closed.status = item_status::fixed;
    closed.updated_at = 50;
    other->update_item(closed);
    st->insert_counted_signal(report("U1", "", 100, id));
    CHECK_FALSE(st->find_open_item("refund missing")); // the row as it now stands, not as first read
    st->commit();
}
