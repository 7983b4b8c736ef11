// export_database and import_database (dump.hpp): the checks that make a move safe, on either
// backend (dump_sqlite.cpp, dump_pg.cpp), with the dump's lines from dump_format.cpp.
#include "storage/dump.hpp"

#include "storage/dump_backend.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

#include <algorithm>
#include <set>

namespace cxos::storage {

const std::vector<dump_table>& dump_tables() {
    static const std::vector<dump_table> tables = {
        {"signals", "id"},
        {"items", "id"},
        {"deliveries", "id"},
        {"reporters", "signal_id, platform, user_id"},
        {"audit", "id"},
        {"seen_events", "event_key"},
        {"inbox", "id"},
        {"council_runs", "id"},
        {"council_entries", "run_id, item_id"},
        {"votes", "item_id, platform, member"},
        {"loop_notices", "item_id, platform, user_id"},
        {"settings", "key"},
        {"teams_conversations", "conversation"},
        {"spike_alerts", "item_id"},
        {"channel_pace", "platform, channel"},
        {"slack_installations", "workspace"},
        {"oauth_states", "state_hash"},
        {"grouping_events", "id"},
        {"dashboard_sessions", "id_hash"},
    };
    return tables;
}

namespace {

struct opened {
    std::unique_ptr<dump_database> db;
    std::string backend;
};

opened connect(const std::string& url, bool read_only) {
    constexpr std::string_view sqlite_scheme = "sqlite://";
    if (url.rfind(sqlite_scheme, 0) == 0) {
        const std::string path = url.substr(sqlite_scheme.size());
        if (path.empty() || path == ":memory:") throw store_error("storage URL '" + url + "' names no database file");
        return {open_sqlite_dump(path, read_only), "sqlite"};
    }
    if (shared_by_instances(url)) return {open_pg_dump(url), "postgresql"};
    throw store_error("export and import read sqlite://path or postgresql://… URLs, not '" +
                      url.substr(0, url.find("://")) + "'");
}

std::int64_t current_schema_version() { return static_cast<std::int64_t>(sqlite_migrations().size()); }

std::vector<std::string> table_names() {
    std::vector<std::string> out;
    for (const auto& t : dump_tables()) out.emplace_back(t.name);
    return out;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::vector<std::string> missing_from(const std::vector<std::string>& have, const std::vector<std::string>& want) {
    const std::set<std::string> got(have.begin(), have.end());
    std::vector<std::string> out;
    for (const auto& w : want)
        if (!got.count(w)) out.push_back(w);
    return out;
}

// The database's tables must be the dump's list exactly: a table the list lacks would be lost.
void check_tables(dump_database& db) {
    const auto present = db.tables();
    if (auto unlisted = missing_from(table_names(), present); !unlisted.empty())
        throw store_error("the database has tables no dump covers (" + joined(unlisted) +
                          "): add them to dump_tables() in storage/dump.cpp");
    if (auto absent = missing_from(present, table_names()); !absent.empty())
        throw store_error("the database lacks tables (" + joined(absent) + "): is it a cxos database?");
}

void check_version(std::int64_t version, const char* whose) {
    if (version == current_schema_version()) return;
    throw store_error(std::string(whose) + " is at schema version " + std::to_string(version) + ", this cxos at " +
                      std::to_string(current_schema_version()) +
                      (version < current_schema_version()
                           ? ": run `cxos migrate` on it (or start that server once) with this cxos first"
                           : ": use the cxos version that wrote it"));
}

} // namespace

std::vector<table_count> export_database(const std::string& url, std::ostream& out) {
    auto [db, backend] = connect(url, true);
    db->begin_snapshot();
    check_version(db->schema_version(), "the database");
    check_tables(*db);
    dump_writer writer(out);
    writer.header({dump_format_version, current_schema_version(), backend, table_names()});
    std::vector<table_count> counts;
    for (const auto& table : dump_tables()) {
        auto columns = db->columns(table.name);
        std::sort(columns.begin(), columns.end()); // the same lines from either backend
        writer.begin_table(table.name, columns);
        auto& count = counts.emplace_back(table_count{table.name, 0});
        db->scan(table, columns, [&](const dump_row& row) {
            writer.row(row);
            ++count.rows;
        });
        writer.end_table();
    }
    writer.finish();
    db->end_snapshot();
    return counts;
}

std::vector<table_count> import_database(const std::string& url, std::istream& in) {
    dump_reader reader(in);
    const auto& header = reader.header();
    check_version(header.schema_version, "the dump");
    if (header.tables != table_names())
        throw store_error("the dump's tables (" + joined(header.tables) + ") are not this cxos's (" +
                          joined(table_names()) + ")");
    // Migrated by the store itself; on SQLite its serve lock keeps a server off the file meanwhile.
    store_options options;
    options.serve_lock = !shared_by_instances(url);
    const auto migrated = open_store(url, options);
    auto [db, backend] = connect(url, false);
    check_version(db->schema_version(), "the target database");
    check_tables(*db);
    db->begin_load();
    try {
        for (const auto& name : table_names())
            if (auto rows = db->row_count(name); rows > 0)
                throw store_error("the target database is not empty (" + name + " has " + std::to_string(rows) +
                                  " rows): import into a new database");
        std::vector<table_count> counts;
        dump_row row;
        while (auto table = reader.next_table()) {
            auto want = db->columns(table->name);
            auto have = table->columns;
            std::sort(want.begin(), want.end());
            std::sort(have.begin(), have.end());
            if (have != want || std::adjacent_find(have.begin(), have.end()) != have.end())
                throw store_error("table " + table->name + ": the dump's columns (" + joined(table->columns) +
                                  ") are not the database's (" + joined(want) + ")");
            db->insert_into(table->name, table->columns);
            auto& count = counts.emplace_back(table_count{table->name, 0});
            while (reader.next_row(row)) {
                db->insert(row);
                ++count.rows;
            }
        }
        db->commit_load();
        return counts;
    } catch (...) {
        db->abandon_load();
        throw;
    }
}

} // namespace cxos::storage
