#pragma once
// Databases for tests, one per test case or process, on the backend under test: SQLite always,
// PostgreSQL too when CXOS_TEST_POSTGRES_URL names a server that trusts the test
// (scripts/test-postgres.sh starts a throwaway one and sets it).
#include "storage/store.hpp"

#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cxos::test {

// "sqlite", then "postgresql" when CXOS_TEST_POSTGRES_URL is set.
std::vector<std::string> store_backends();

// CXOS_TEST_POSTGRES_URL, or "" when unset.
std::string test_postgres_url();

// A fresh database on the test server, named after `prefix`, the process and a counter; its URL.
std::string create_postgres_database(const std::string& prefix);
// Drops it, closing any session still on it.
void drop_postgres_database(const std::string& url);

// A database of its own on the test server for the instances of one test, dropped once they are gone.
struct postgres_database {
    explicit postgres_database(const std::string& prefix) : url(create_postgres_database(prefix)) {}
    ~postgres_database() {
        try {
            drop_postgres_database(url);
        } catch (const std::exception&) {
            // The test server is gone already: nothing left to drop.
        }
    }
    postgres_database(const postgres_database&) = delete;
    postgres_database& operator=(const postgres_database&) = delete;
    std::string url;
};

// One empty database for one test, removed when this goes: a SQLite file in a temporary
// directory, or on PostgreSQL a schema of its own in the server's database (a few milliseconds,
// where a database takes most of a second on a busy machine; cxos keys its advisory locks by
// schema, so schemas are as independent as databases).
class scratch_database {
  public:
    explicit scratch_database(std::string backend);
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    const std::string& backend() const { return backend_; }
    bool postgres() const { return backend_ == "postgresql"; }
    const std::string& url() const { return url_; }
    // PostgreSQL: the schema, which is also the application_name of every session of this test.
    const std::string& schema() const { return schema_; }
    // Makes the database what cxos left at schema `version` (its first migration steps, the
    // version recorded as that backend records it), then runs `sql` on it: data to upgrade.
    void write_old_version(std::size_t version, const char* sql) const;
    // Runs statements on the database directly, as an operator with a SQL shell would.
    void exec(const char* sql) const;
    // Without the serve lock unless asked: tests open one database several times.
    std::unique_ptr<storage::store> open(storage::store_options options = {0, false}) const;

  private:
    std::string backend_;
    std::string url_;
    std::filesystem::path dir_;
    std::string schema_;
};

} // namespace cxos::test

// Runs the rest of the test case once per backend, with `db` that backend's scratch database.
#define CXOS_EACH_BACKEND(db)                                                                      \
    const std::string db##_backend = GENERATE(from_range(::cxos::test::store_backends()));          \
    INFO("backend: " << db##_backend);                                                            \
    ::cxos::test::scratch_database db(db##_backend)
