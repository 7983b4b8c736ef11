#include "storage/store.hpp"

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

TEST_CASE("an item counts reports and distinct reporters and customers", "[sqlite][items]") {
    auto st = storage::open_store("sqlite://:memory:");
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

TEST_CASE("only open items take new signals by key", "[sqlite][items]") {
    auto st = storage::open_store("sqlite://:memory:");
    auto open_id = st->insert_item(billing_item("refund missing"));
    CHECK(st->find_open_item("refund missing")->id == open_id);
    auto closed = *st->find_item(open_id);
    closed.status = item_status::fixed;
    st->update_item(closed);
    CHECK_FALSE(st->find_open_item("refund missing"));
}

TEST_CASE("merging moves signals and accuracy counts reroutes per rule", "[sqlite][items]") {
    auto st = storage::open_store("sqlite://:memory:");
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

TEST_CASE("an event id is remembered once and inbox rows come back when due", "[sqlite][inbox]") {
    auto st = storage::open_store("sqlite://:memory:");
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

#include "storage/migrations.hpp"
#include "storage/sqlite_statement.hpp"

#include <filesystem>
#include <unistd.h>

TEST_CASE("a version 1 database upgrades with one item per old signal", "[sqlite][migration]") {
    auto path = (std::filesystem::temp_directory_path() / ("cxos-v1-" + std::to_string(::getpid()) + ".db")).string();
    {
        storage::sqlite_connection v1(path);
        v1.exec(storage::sqlite_migrations()[0]);
        v1.exec("PRAGMA user_version = 1");
        v1.exec("INSERT INTO signals (platform, team_id, channel_id, user_id, user_name, description, stage, "
                "component, severity, owner, rule, reason, created_at) VALUES ('slack','T1','C1','U1','ana',"
                "'Refund missing!','', NULL, 'high', 'billing', 'invoices', 'matched ''refund''', 5)");
        v1.exec("INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, next_attempt_at, "
                "platform_ref, last_error, updated_at) VALUES (1, 'routed_signal', 'slack', 'C0BILLING', 'sent', 1, 5, "
                "'1.5', '', 5)");
    }
    {
        auto st = storage::open_store("sqlite://" + path);
        auto it = st->find_open_item("refund missing"); // the key new signals are matched by
        REQUIRE(it);
        CHECK(it->owner == "billing");
        CHECK(it->counts.reports == 1);
        REQUIRE(it->routed_delivery_id != 0);
        auto post = st->find_delivery(it->routed_delivery_id);
        REQUIRE(post);
        CHECK(post->kind == "routed_item");
        CHECK(post->platform_ref == "1.5");
        CHECK(st->find_signal(1)->item_id == it->id);
    }
    for (auto suffix : {"", "-wal", "-shm", ".lock"}) std::filesystem::remove(path + suffix);
}
