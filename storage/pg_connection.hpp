#pragma once
// Thin RAII over libpq: one connection, statements prepared once per session, parameters sent
// apart from the SQL in binary form, and result rows read like sqlite_statement's so both
// backends share the row mapping (row_mapping.hpp).
#include "storage/store.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cxos::storage {

// A statement PostgreSQL refused, with its SQLSTATE ("23505": a unique violation) for the few
// callers that tell causes apart.
struct pg_error : store_error {
    pg_error(const std::string& message, std::string code) : store_error(message), sqlstate(std::move(code)) {}
    std::string sqlstate;
};

// A URL as it may be shown: the password (in the user part or a `password=` parameter) replaced.
std::string redacted_url(std::string_view url);

// Statement parameters, 1-based like the SQL's $1. Numbers go in PostgreSQL's binary format (no
// text round trip); text goes as its bytes, made valid UTF-8 first (see pg_params::bind).
class pg_params {
  public:
    pg_params& bind(int index, std::int64_t v);
    pg_params& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    pg_params& bind(int index, double v);
    // PostgreSQL stores only valid UTF-8 without NUL, where SQLite stores any bytes: a byte that
    // is neither becomes U+FFFD instead of failing the whole write.
    pg_params& bind(int index, std::string_view v);
    pg_params& bind_null(int index); // its type is inferred from the statement

    int size() const { return static_cast<int>(types_.size()); }
    const unsigned* types() const { return types_.data(); }
    const char* const* values() const;
    const int* lengths() const { return lengths_.data(); }
    const int* formats() const { return formats_.data(); }

  private:
    void set(int index, unsigned type, std::string bytes, bool null);
    std::vector<unsigned> types_;
    std::vector<std::string> bytes_;
    std::vector<char> null_;
    std::vector<int> lengths_, formats_;
    mutable std::vector<const char*> values_;
};

// What a statement returned, stepped through like sqlite_statement (text-format columns).
class pg_rows {
  public:
    explicit pg_rows(PGresult* result) : result_(result, &PQclear) {}

    bool step() { return ++row_ < PQntuples(result_.get()); }
    void reset() {}
    std::int64_t int64(int col) const; // NULL reads as 0, true as 1
    double real(int col) const;
    std::string text(int col) const; // NULL reads as ""
    bool is_null(int col) const { return PQgetisnull(result_.get(), row_, col) != 0; }
    unsigned type(int col) const { return PQftype(result_.get(), col); } // the column's type oid
    // Rows an INSERT, UPDATE or DELETE changed (or a SELECT returned).
    std::int64_t affected() const;

  private:
    std::unique_ptr<PGresult, decltype(&PQclear)> result_;
    int row_ = -1;
};

class pg_connection {
  public:
    // `url` goes to libpq as it is (it decides where the password comes from); errors name the
    // URL without its password.
    explicit pg_connection(const std::string& url);
    ~pg_connection();
    pg_connection(const pg_connection&) = delete;
    pg_connection& operator=(const pg_connection&) = delete;

    // Runs one or more statements with no parameters; returns the last command's tag ("COMMIT",
    // or "ROLLBACK" when PostgreSQL answered a COMMIT of a failed transaction with a rollback).
    std::string exec(const char* sql);
    // Runs a statement, prepared on first use in this session and reused after: `sql` must be a
    // string literal (its address is the key).
    pg_rows run(const char* sql, const pg_params& params = {});
    // Runs a statement built at run time (not prepared): for the few that name tables and columns.
    pg_rows run_text(const std::string& sql, const pg_params& params = {});
    // After the server went away: a new session (prepared statements and session locks are
    // gone with the old one). False when the server is still unreachable.
    bool reconnect();
    bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
    const std::string& safe_url() const { return safe_url_; }
    [[noreturn]] void fail(std::string_view what, const PGresult* result) const;

  private:
    PGconn* conn_ = nullptr;
    std::string safe_url_;
    std::vector<std::string> secrets_; // never let these into a message
    std::unordered_map<const char*, std::string> prepared_;
};

} // namespace cxos::storage
