// What only the PostgreSQL backend has: migrations shared by instances starting together, the
// serve lock, passwords kept out of messages, text PostgreSQL would refuse, a commit PostgreSQL
// turns into a rollback, a session the server ended, and a prepared statement's cached plan that
// must not go quadratic. Each test passes at once without CXOS_TEST_POSTGRES_URL.
#include "storage/commit_queue.hpp"
#include "storage/pg_connection.hpp"
#include "storage/pg_migrations.hpp"
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

using namespace cxos;

namespace {

// A scratch PostgreSQL schema, or nothing when no test server is configured.
std::unique_ptr<test::scratch_database> postgres_scratch() {
    if (test::test_postgres_url().empty()) return nullptr;
    return std::make_unique<test::scratch_database>("postgresql");
}

// A connection to the test server's own database, outside any test's schema.
storage::pg_connection admin() { return storage::pg_connection(test::test_postgres_url()); }

std::int64_t single_number(storage::pg_connection& c, const std::string& sql) {
    auto rows = c.run(sql.c_str());
    rows.step();
    return rows.int64(0);
}

std::string what_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

signal ticket(std::string external_id, std::string description = "refund missing") {
    signal s;
    s.source.platform = "zendesk";
    s.description = std::move(description);
    s.route = {"billing", "", "no rule matched"};
    s.external_id = std::move(external_id);
    return s;
}

} // namespace

TEST_CASE("instances starting together apply each migration once", "[postgresql][migration]") {
    auto db = postgres_scratch();
    if (!db) return;
    std::vector<std::future<void>> starts;
    for (int i = 0; i < 4; ++i) starts.push_back(std::async(std::launch::async, [&] { db->open(); }));
    for (auto& s : starts) s.get();
    auto c = admin();
    const auto table = db->schema() + ".schema_version";
    CHECK(single_number(c, "SELECT count(*) FROM " + table) == static_cast<std::int64_t>(storage::pg_migrations().size()));
    CHECK(single_number(c, "SELECT max(version) FROM " + table) == static_cast<std::int64_t>(storage::pg_migrations().size()));
}

TEST_CASE("a second server on one PostgreSQL database waits, then is refused", "[postgresql]") {
    auto db = postgres_scratch();
    if (!db) return;
    auto first = db->open({0, true});
    // The holder goes away while the second waits (as a killed server's session ends): it serves.
    auto second = std::async(std::launch::async, [&] { return db->open({0, true}); });
    CHECK(second.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
    first.reset();
    auto serving = second.get();
    CHECK(serving->ping());
    // An admin command beside it takes no lock; another server gives up after a few seconds.
    CHECK(db->open({0, false})->ping());
    CHECK_THROWS_WITH(db->open({0, true}), Catch::Contains("another cxos process is already serving"));
}

TEST_CASE("a PostgreSQL password never appears in a message", "[postgresql]") {
    CHECK(storage::redacted_url("postgresql://cxos:s3cret@db:5432/cxos?sslmode=require") ==
          "postgresql://cxos:***@db:5432/cxos?sslmode=require");
    CHECK(storage::redacted_url("postgres://db/cxos?sslmode=verify-full&password=s3cret&user=cxos") ==
          "postgres://db/cxos?sslmode=verify-full&password=***&user=cxos");
    CHECK(storage::redacted_url("postgresql://cxos@db/cxos") == "postgresql://cxos@db/cxos");
    // Nothing listens on port 1: the connection fails at once, and says where without the password.
    for (auto url : {"postgresql://cxos:s3cret%21@127.0.0.1:1/cxos", "postgres://cxos@127.0.0.1:1/cxos?password=s3cret!"}) {
        const auto message = what_of([&] { storage::open_store(url); });
        CHECK_THAT(message, Catch::Contains("127.0.0.1:1/cxos") && Catch::Contains("***"));
        CHECK_THAT(message, !Catch::Contains("s3cret"));
    }
    CHECK_THROWS_WITH(storage::open_store("postgresql://127.0.0.1:1/cxos", {1, true}), Catch::Contains("max_size_mb"));
}

TEST_CASE("text PostgreSQL cannot store is kept with U+FFFD in place of the bad bytes", "[postgresql]") {
    auto db = postgres_scratch();
    if (!db) return;
    auto st = db->open();
    const char bytes[] = "caf\xC3\xA9 \xFF\xFE and a \0 byte";
    auto id = st->insert_signal(ticket("", std::string(bytes, sizeof bytes - 1)));
    CHECK(st->find_signal(id)->description == "caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD and a \xEF\xBF\xBD byte");
}

TEST_CASE("a statement that failed makes the commit fail instead of passing for durable", "[postgresql]") {
    auto db = postgres_scratch();
    if (!db) return;
    auto st = db->open();
    st->begin();
    auto first = st->insert_signal(ticket("ZD-1"));
    CHECK_THROWS_WITH(st->insert_signal(ticket("ZD-1")), Catch::Contains("SQLSTATE 23505"));
    CHECK_THROWS_WITH(st->commit(), Catch::Contains("rolled the transaction back"));
    CHECK_FALSE(st->find_signal(first));
}

TEST_CASE("the store reconnects when the server ended its session, and serves on under its lock", "[postgresql]") {
    auto db = postgres_scratch();
    if (!db) return;
    storage::commit_queue queue(db->open({0, true}));
    auto run = [&](std::function<void(storage::store&)> work) {
        std::promise<std::exception_ptr> done;
        queue.submit({std::move(work), [&](std::exception_ptr e) { done.set_value(e); }});
        return done.get_future().get();
    };
    auto c = admin();
    const auto sessions = "FROM pg_stat_activity WHERE application_name = '" + db->schema() + "'";
    const auto serve_locks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid IN (SELECT pid " + sessions + ")";
    std::int64_t id = 0;
    CHECK_FALSE(run([&](storage::store& s) { id = s.insert_signal(ticket("ZD-1")); }));
    CHECK(single_number(c, serve_locks) == 1);
    CHECK(single_number(c, "SELECT count(pg_terminate_backend(pid)) " + sessions) == 1);
    bool found = false;
    CHECK_FALSE(run([&](storage::store& s) { found = s.find_signal(id).has_value(); }));
    CHECK(found);
    CHECK(single_number(c, serve_locks) == 1); // the new session holds it again
}

TEST_CASE("the outbox look-ahead stays quick when a backlog builds after it was first planned", "[postgresql]") {
    auto db = postgres_scratch();
    if (!db) return;
    auto st = db->open();
    auto queue_post = [&](millis due) {
        delivery d;
        d.kind = delivery_kind::notice;
        d.platform = "slack";
        d.channel = "C0TRIAGE";
        d.next_attempt_at = due;
        st->insert_delivery(d);
    };
    // One post waiting while a server polls, as after its first report: PostgreSQL caches the
    // prepared statement's generic plan, made for a table of a row or so, after its fifth run.
    queue_post(1000);
    for (int i = 0; i < 8; ++i) CHECK(st->look_ahead(0, {}).next_claim_at == 1000);
    st->begin();
    for (int i = 0; i < 5000; ++i) queue_post(2000); // a burst of new items, posted to one paced channel
    st->commit();
    // The plan that reread the backlog for each of its rows took about 2 s here; one read, 3 ms.
    const auto started = std::chrono::steady_clock::now();
    CHECK(st->look_ahead(0, {}).next_claim_at == 1000);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));
}
