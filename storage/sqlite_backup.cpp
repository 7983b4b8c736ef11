#include "storage/backup.hpp"

#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace cxos::storage {
namespace {

namespace fs = std::filesystem;

std::string sqlite_path_of(const std::string& url) {
    constexpr std::string_view sqlite_scheme = "sqlite://";
    if (url.rfind(sqlite_scheme, 0) != 0) {
        // Only the scheme is repeated: a database URL may carry a password.
        const auto end = url.find("://");
        const std::string scheme = end == std::string::npos ? url : url.substr(0, end);
        if (scheme == "postgres" || scheme == "postgresql")
            throw store_error(
                "cxos backup copies SQLite databases; storage.url is " + scheme +
                "://…: back PostgreSQL up with pg_dump (and restore with pg_restore)");
        throw store_error("cxos backup copies SQLite databases (storage.url sqlite://…), not '" +
                          scheme + "'");
    }
    std::string path = url.substr(sqlite_scheme.size());
    if (path.empty() || path == ":memory:")
        throw store_error("storage.url '" + url + "' names no database file to copy");
    return path;
}

// cxos-20261127T093000Z.db: sorts by time, and a second backup never replaces the first.
std::string timestamped_name() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char name[32];
    std::strftime(name, sizeof name, "cxos-%Y%m%dT%H%M%SZ.db", &utc);
    return name;
}

void fsync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0)
        throw store_error("cannot open '" + path + "' to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        throw store_error("cannot sync '" + path + "': " + std::strerror(err));
}

// One step over every page: the whole copy reads one snapshot. Smaller steps would let the
// server's commits restart the copy, which under steady traffic might never finish.
void copy_pages(const sqlite_connection& from, const sqlite_connection& to) {
    sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
    if (!backup)
        to.fail("backup");
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 250; ++attempt) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(20); // a checkpoint or WAL recovery in the server: brief, so wait it out
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw store_error(std::string("SQLite backup: ") + sqlite3_errstr(rc) + " (" +
                          sqlite3_errmsg(to.get()) + ")");
}

std::int64_t single_number(const sqlite_connection& db, const char* sql) {
    sqlite_statement st(db, sql);
    return st.step() ? st.int64(0) : 0;
}

void check_copy(const sqlite_connection& copy, backup_report& report) {
    sqlite_statement check(copy, "PRAGMA quick_check");
    if (!check.step() || check.text(0) != "ok")
        throw store_error("the copy failed SQLite's quick_check: " + check.text(0));
    report.schema_version = single_number(copy, "PRAGMA user_version");
    // An empty database (no migrations yet) has no tables to count.
    if (report.schema_version > 0) {
        report.signals = single_number(copy, "SELECT count(*) FROM signals");
        report.items = single_number(copy, "SELECT count(*) FROM items");
    }
}

} // namespace

backup_report backup_database(const std::string& storage_url, const std::string& destination) {
    backup_report report;
    report.source = sqlite_path_of(storage_url);
    std::error_code ec;
    if (!fs::is_regular_file(report.source, ec))
        throw store_error("no SQLite database at '" + report.source + "' (storage.url " +
                          storage_url + ")");
    report.written = fs::is_directory(destination, ec)
                         ? (fs::path(destination) / timestamped_name()).string()
                         : destination;
    const auto parent = fs::absolute(report.written, ec).parent_path();
    if (!fs::is_directory(parent, ec))
        throw store_error("cannot write '" + report.written + "': directory '" + parent.string() +
                          "' does not exist");
    if (fs::equivalent(report.source, report.written, ec))
        throw store_error("'" + report.written + "' is the database itself; name another file");

    const std::string partial = report.written + ".tmp";
    for (const auto* suffix : {"", "-journal", "-wal", "-shm"})
        fs::remove(partial + suffix, ec);
    try {
        // Made 0600 before a byte is in it (SQLite keeps an existing file's mode, and gives it to
        // its journal): it holds what customers reported, for its owner only.
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            throw store_error("cannot create '" + partial + "': " + std::strerror(errno));
        ::close(fd);
        {
            // Read-only: the copy never changes the source. Run as root on a database owned by
            // the service's user, SQLite gives any -wal/-shm file it creates that user, not root.
            sqlite_connection from(report.source, SQLITE_OPEN_READONLY);
            sqlite3_busy_timeout(from.get(), 5000);
            sqlite_connection to(partial);
            copy_pages(from, to);
            check_copy(to, report);
        }
        fsync_path(partial, O_RDONLY);
        fs::rename(partial, report.written, ec);
        if (ec)
            throw store_error("cannot rename '" + partial + "' to '" + report.written +
                              "': " + ec.message());
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    fsync_path(parent.string(), O_RDONLY | O_DIRECTORY); // the rename itself survives a crash
    report.bytes = static_cast<std::int64_t>(fs::file_size(report.written, ec));
    return report;
}

} // namespace cxos::storage
