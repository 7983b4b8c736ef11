// Databases written by older cxos versions upgrade in place, on each backend.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

TEST_CASE("a version 1 database upgrades with one item per old signal", "[store][migration]") {
    CXOS_EACH_BACKEND(db);
    db.write_old_version(1, "INSERT INTO signals (platform, team_id, channel_id, user_id, user_name, description, stage, "
                            "component, severity, owner, rule, reason, created_at) VALUES ('slack','T1','C1','U1','ana',"
                            "'Refund missing!','', NULL, 'high', 'billing', 'invoices', 'matched ''refund''', 5); "
                            "INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, next_attempt_at, "
                            "platform_ref, last_error, updated_at) VALUES (1, 'routed_signal', 'slack', 'C0BILLING', 'sent', "
                            "1, 5, '1.5', '', 5)");
    auto st = db.open();
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
    item next;
    next.key = next.title = "another";
    CHECK(st->insert_item(next) > it->id); // new ids continue after the migrated ones
}

TEST_CASE("a version 2 item gains the council decision columns", "[store][council][migration]") {
    CXOS_EACH_BACKEND(db);
    db.write_old_version(2, "INSERT INTO items (key, title, owner, rule, reason, status, stage, severity, created_at, "
                            "updated_at) VALUES ('refund missing', 'Refund missing', 'billing', 'invoices', '', "
                            "'acknowledged', '', 'high', 5, 5)");
    auto st = db.open();
    auto it = st->find_open_item("refund missing");
    REQUIRE(it);
    CHECK(it->decision.empty());
    CHECK(it->due_at == 0);
    it->status = item_status::in_progress;
    it->decision = "Remove the currency step";
    it->decided_by = "U0LEAD";
    it->decided_at = 1795564800000;
    it->due_at = 1796860800000;
    st->update_item(*it);
    auto back = st->find_item(it->id);
    REQUIRE(back);
    CHECK(back->status == item_status::in_progress);
    CHECK(back->decision == "Remove the currency step");
    CHECK(back->decided_by == "U0LEAD");
    CHECK(back->decided_at == 1795564800000);
    CHECK(back->due_at == 1796860800000);
    // An item in progress still takes new reports of the same friction.
    CHECK(st->find_open_item("refund missing")->id == it->id);
}

TEST_CASE("a step that fails leaves its version unapplied, and a newer database is refused", "[store][migration]") {
    CXOS_EACH_BACKEND(db);
    // Version 6, with a table in the way of step 7.
    db.write_old_version(6, "CREATE TABLE channel_pace (x INT)");
    CHECK_THROWS_WITH(db.open(), Catch::Contains("already exists"));
    db.exec("DROP TABLE channel_pace");
    auto st = db.open();
    delivery d;
    d.platform = "slack";
    d.channel = "C1";
    // Step 7 applied whole now (had it been half applied before, adding its columns again would fail).
    st->insert_delivery(d);
    CHECK(st->claim_due_heads("A", 0, 1, 1, {}).size() == 1);
    st.reset();
    db.exec(db.postgres() ? "INSERT INTO schema_version (version) VALUES (99)" : "PRAGMA user_version = 99");
    CHECK_THROWS_WITH(db.open(), Catch::Contains("schema version 99 is newer than this cxos"));
}

TEST_CASE("a version 7 fixed item gains its fix time, so its fix is verified and a new report reopens it",
          "[store][migration][golden]") {
    CXOS_EACH_BACKEND(db);
    db.write_old_version(7, "INSERT INTO items (key, title, owner, rule, reason, status, stage, severity, created_at, "
                            "updated_at, closed_at) VALUES ('refund missing', 'Refund missing', 'billing', 'invoices', "
                            "'', 'fixed', '', 'high', 5, 9, 9)");
    auto st = db.open();
    auto fixed = st->find_fixed_item("refund missing", 0);
    REQUIRE(fixed);
    CHECK(fixed->fixed_at == 9);
    CHECK(fixed->regressed_at == 0);
    CHECK_FALSE(st->find_open_item("refund missing"));
}
