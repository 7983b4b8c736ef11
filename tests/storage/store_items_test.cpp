#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

signal report(std::string user, std::string customer, millis at, std::int64_t item_id) {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", std::move(user), "", "", "", ""};
    s.description = "refund missing";
    s.route = {"billing", "invoices", "matched 'refund'"};
    s.customer = std::move(customer);
    s.created_at = at;
    s.item_id = item_id;
    return s;
}

item billing_item(std::string key) {
    item it;
    it.key = std::move(key);
    it.title = "refund missing";
    it.owner = "billing";
    it.rule = "invoices";
    it.created_at = it.updated_at = 1;
    return it;
}

} // namespace

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
    CHECK(st->remember_event("slack:Ev1", 1));
    CHECK_FALSE(st->remember_event("slack:Ev1", 2));
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
