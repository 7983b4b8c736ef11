#include "storage/sqlite_statement.hpp"

#include "storage/store.hpp"

namespace cxos::storage {
namespace {

// SQLite's memory statistics (on by default in Debian's build) take a process-wide mutex on every
// allocation it makes: ~4 % of cxos's samples under load, on the storage thread, for figures
// nothing reads. They can only be turned off before SQLite initialises, so before the first open;
// if something initialised it earlier the call is refused and nothing changes.
void skip_memory_statistics() {
    static const bool once = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)once;
}

} // namespace

sqlite_connection::sqlite_connection(const std::string& path, int flags) {
    skip_memory_statistics();
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw store_error("cannot open SQLite database '" + path + "': " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
}

sqlite_connection::~sqlite_connection() { sqlite3_close_v2(db_); }

void sqlite_connection::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw store_error("SQLite: " + msg);
    }
}

void sqlite_connection::fail(std::string_view what) const {
    throw store_error("SQLite " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

sqlite_statement::sqlite_statement(const sqlite_connection& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
        SQLITE_OK)
        db.fail("prepare");
}

sqlite_statement::~sqlite_statement() { sqlite3_finalize(stmt_); }

sqlite_statement& sqlite_statement::bind(int index, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, index, v) != SQLITE_OK) db_.fail("bind");
    return *this;
}

sqlite_statement& sqlite_statement::bind(int index, double v) {
    if (sqlite3_bind_double(stmt_, index, v) != SQLITE_OK) db_.fail("bind");
    return *this;
}

sqlite_statement& sqlite_statement::bind(int index, std::string_view v) {
    if (sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
        db_.fail("bind");
    return *this;
}

sqlite_statement& sqlite_statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("bind");
    return *this;
}

bool sqlite_statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    db_.fail("step");
}

void sqlite_statement::run() {
    while (step()) {
    }
    reset();
}

bool sqlite_statement::finds_row() {
    const bool found = step();
    reset();
    return found;
}

void sqlite_statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t sqlite_statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double sqlite_statement::real(int col) const { return sqlite3_column_double(stmt_, col); }

std::string sqlite_statement::text(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

bool sqlite_statement::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

} // namespace cxos::storage
