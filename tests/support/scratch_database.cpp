#include "tests/support/scratch_database.hpp"

#include "storage/migrations.hpp"
#include "storage/pg_connection.hpp"
#include "storage/pg_migrations.hpp"
#include "storage/sqlite_statement.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace cxos::test {
namespace {

// The URL with its database (the path) replaced by `name`.
std::string with_database(const std::string& url, const std::string& name) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) throw std::runtime_error("CXOS_TEST_POSTGRES_URL is not a postgresql:// URL");
    const auto authority_end = std::min(url.find_first_of("/?", scheme_end + 3), url.size());
    const auto path_end = std::min(url.find('?', authority_end), url.size());
    return url.substr(0, authority_end) + "/" + name + url.substr(path_end);
}

std::string database_of(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto slash = url.find('/', scheme_end + 3);
    if (slash == std::string::npos) return {};
    return url.substr(slash + 1, url.find('?', slash) - slash - 1);
}

} // namespace

std::string test_postgres_url() {
    const char* url = std::getenv("CXOS_TEST_POSTGRES_URL");
    return url ? url : "";
}

std::vector<std::string> store_backends() {
    if (test_postgres_url().empty()) return {"sqlite"};
    return {"sqlite", "postgresql"};
}

std::string create_postgres_database(const std::string& prefix) {
    static std::atomic<int> counter{0};
    const auto server = test_postgres_url();
    const auto name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    storage::pg_connection admin(server);
    admin.exec(("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").c_str());
    admin.exec(("CREATE DATABASE " + name).c_str());
    return with_database(server, name);
}

void drop_postgres_database(const std::string& url) {
    storage::pg_connection admin(test_postgres_url());
    admin.exec(("DROP DATABASE IF EXISTS " + database_of(url) + " WITH (FORCE)").c_str());
}

scratch_database::scratch_database(std::string backend) : backend_(std::move(backend)) {
    if (postgres()) {
        static std::atomic<int> counter{0};
        schema_ = "cxos_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        storage::pg_connection admin(test_postgres_url());
        admin.exec(("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_).c_str());
        const auto server = test_postgres_url();
        // The application name tells this test's sessions apart from other tests' on the server.
        url_ = server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_ +
               "&application_name=" + schema_;
        return;
    }
    std::string dir = (std::filesystem::temp_directory_path() / "cxos-test-XXXXXX").string();
    if (!::mkdtemp(dir.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    url_ = "sqlite://" + (dir_ / "cxos.db").string();
}

scratch_database::~scratch_database() {
    try {
        if (postgres()) storage::pg_connection(test_postgres_url()).exec(("DROP SCHEMA " + schema_ + " CASCADE").c_str());
    } catch (const std::exception&) {
        // The server is gone already (the run is ending): nothing left to drop.
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

void scratch_database::write_old_version(std::size_t version, const char* sql) const {
    if (postgres()) {
        storage::pg_connection c(url_);
        c.exec("CREATE TABLE schema_version (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        for (std::size_t v = 0; v < version; ++v) {
            c.exec(storage::pg_migrations()[v]);
            c.exec(("INSERT INTO schema_version (version) VALUES (" + std::to_string(v + 1) + ")").c_str());
        }
        c.exec(sql);
        return;
    }
    storage::sqlite_connection c((dir_ / "cxos.db").string());
    for (std::size_t v = 0; v < version; ++v) c.exec(storage::sqlite_migrations()[v]);
    c.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
    c.exec(sql);
}

void scratch_database::exec(const char* sql) const {
    if (postgres()) storage::pg_connection(url_).exec(sql);
    else storage::sqlite_connection((dir_ / "cxos.db").string()).exec(sql);
}

std::unique_ptr<storage::store> scratch_database::open(storage::store_options options) const {
    return storage::open_store(url_, options);
}

} // namespace cxos::test
