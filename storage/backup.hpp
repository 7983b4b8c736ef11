#pragma once
// `cxos backup`: a consistent copy of the SQLite database, taken while a server may be writing it.
#include <cstdint>
#include <string>

namespace cxos::storage {

// What a backup wrote, for the operator to check against what they expect.
struct backup_report {
    std::string source;  // the database file that was copied
    std::string written; // the file the copy is in
    std::int64_t bytes = 0;
    std::int64_t schema_version = 0; // PRAGMA user_version: how many migrations the copy has
    std::int64_t signals = 0;
    std::int64_t items = 0;
};

// Copies the database `storage_url` names (sqlite://…) to `destination` with SQLite's online
// backup API: one read transaction, so the copy is the database as of one commit, and a server
// on the same file keeps committing meanwhile (WAL readers do not block writers). The copy is
// written to `destination`.tmp, checked, fsynced and renamed over `destination`, so
// `destination` is only ever absent, the previous copy, or a whole new one. A `destination` that
// is a directory gets a file named cxos-<UTC time>.db in it. Never takes the serve lock and
// never writes the source. Throws store_error with what to do, e.g. for a PostgreSQL URL.
backup_report backup_database(const std::string& storage_url, const std::string& destination);

} // namespace cxos::storage
