#pragma once
// What export and import need of a backend, apart from the store: its catalog (tables, columns,
// schema version), rows read from one snapshot in a stable order, rows written in one transaction.
// Table and column names reach SQL only after they were found in the database's own catalog.
#include "storage/dump.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxos::storage {

class dump_database {
  public:
    virtual ~dump_database() = default;
    // How many migrations the database has (0: none, not a cxos database).
    virtual std::int64_t schema_version() = 0;
    // Every table of the schema, the migrations' bookkeeping left out.
    virtual std::vector<std::string> tables() = 0;
    virtual std::vector<std::string> columns(const std::string& table) = 0;
    virtual std::int64_t row_count(const std::string& table) = 0;

    // Reading: every scan between these sees one snapshot.
    virtual void begin_snapshot() = 0;
    virtual void scan(const dump_table& table, const std::vector<std::string>& columns,
                      const std::function<void(const dump_row&)>& each) = 0;
    virtual void end_snapshot() = 0;

    // Writing: one transaction; nothing is kept unless commit_load() returns.
    virtual void begin_load() = 0;
    virtual void insert_into(const std::string& table, const std::vector<std::string>& columns) = 0;
    virtual void insert(const dump_row& row) = 0; // a row of the last insert_into's table
    virtual void commit_load() = 0;
    virtual void abandon_load() = 0;
};

std::unique_ptr<dump_database> open_sqlite_dump(const std::string& path, bool read_only);
std::unique_ptr<dump_database> open_pg_dump(const std::string& url);

// "name" with its quotes doubled: an identifier in either dialect.
inline std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

inline std::string column_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quoted(c);
    return out;
}

} // namespace cxos::storage
