#pragma once
// Thin RAII over the sqlite3 C API: a connection and prepared statements with typed binds.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cxos::storage {

class sqlite_connection {
  public:
    // `flags` are sqlite3_open_v2's; the default opens read-write and creates a missing file.
    explicit sqlite_connection(const std::string& path,
                               int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ~sqlite_connection();
    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;

    void exec(const char* sql);
    sqlite3* get() const { return db_; }
    [[noreturn]] void fail(std::string_view what) const;

  private:
    sqlite3* db_ = nullptr;
};

class sqlite_statement {
  public:
    sqlite_statement(const sqlite_connection& db, const char* sql);
    ~sqlite_statement();
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;

    // Binds are 1-based like SQLite's; the statement is reset on every new use.
    sqlite_statement& bind(int index, std::int64_t v);
    sqlite_statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    sqlite_statement& bind(int index, std::string_view v);
    sqlite_statement& bind(int index, double v);
    sqlite_statement& bind_null(int index);

    bool step(); // true while a row is available
    void run();  // steps to completion, then resets
    bool finds_row(); // steps once, then resets: whether the query has a row
    void reset();

    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    bool is_null(int col) const;
    int type(int col) const { return sqlite3_column_type(stmt_, col); } // SQLITE_INTEGER, SQLITE_FLOAT…

  private:
    const sqlite_connection& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace cxos::storage
