// SQLite databases written by older cxos versions upgrade in place (pg_store_test.cpp has
// PostgreSQL's).
#include "storage/migrations.hpp"
#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

using namespace cxos;

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

TEST_CASE("a version 2 item gains the council decision columns", "[sqlite][council][migration]") {
    auto path = (std::filesystem::temp_directory_path() / ("cxos-v2-" + std::to_string(::getpid()) + ".db")).string();
    {
        storage::sqlite_connection v2(path);
        v2.exec(storage::sqlite_migrations()[0]);
        v2.exec(storage::sqlite_migrations()[1]);
        v2.exec("PRAGMA user_version = 2");
        v2.exec("INSERT INTO items (key, title, owner, rule, reason, status, stage, severity, created_at, updated_at) "
                "VALUES ('refund missing', 'Refund missing', 'billing', 'invoices', '', 'acknowledged', '', 'high', 5, 5)");
    }
    {
        auto st = storage::open_store("sqlite://" + path);
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
    for (auto suffix : {"", "-wal", "-shm", ".lock"}) std::filesystem::remove(path + suffix);
}
