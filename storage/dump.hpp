#pragma once
// `cxos export` / `cxos import`: a deployment's whole state as a portable dump, to move it between
// SQLite and PostgreSQL. The dump is JSON lines, written and read one row at a time:
//
//   {"cxos_dump":1,"schema_version":10,"source":"sqlite","tables":["signals",…]}
//   {"table":"signals","columns":["channel_id","component",…]}      columns sorted by name
//   [1,"C0SUPPORT",null,…]                                           one line per row
//   {"end":"signals","rows":1}
//   …every table of the header, in its order…
//   {"end_of_dump":true,"rows":123}
//
// Values are JSON integers (64-bit), floats, strings or null: what both backends store. The
// closing line proves the file whole; an import refuses a dump that lacks it.
#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace cxos::storage {

// A table that holds state, and the key its rows are dumped in (so two dumps of one state are
// the same lines, whichever backend wrote them). Parents come before the rows that refer to them.
struct dump_table {
    const char* name;
    const char* order_by;
};
// Every table of the schema but the migrations' own bookkeeping. An export refuses a database
// with a table missing here, so a table added by a later migration cannot be left behind.
const std::vector<dump_table>& dump_tables();

using dump_value = std::variant<std::monostate, std::int64_t, double, std::string>;
using dump_row = std::vector<dump_value>;

constexpr std::int64_t dump_format_version = 1;

struct dump_header {
    std::int64_t format = dump_format_version;
    std::int64_t schema_version = 0;
    std::string source; // "sqlite" or "postgresql": for the reader's information
    std::vector<std::string> tables;
};

// Writes a dump to a stream, line by line.
class dump_writer {
  public:
    explicit dump_writer(std::ostream& out) : out_(out) {}
    void header(const dump_header& h);
    void begin_table(const std::string& name, const std::vector<std::string>& columns);
    void row(const dump_row& values);
    void end_table();
    void finish();

  private:
    std::ostream& out_;
    std::string table_;
    std::int64_t table_rows_ = 0, total_rows_ = 0;
};

// Reads a dump and checks its shape as it goes: the header first, each table of the header in
// order with its columns, rows as wide as the columns, every count as announced, the closing
// line last. Throws dump_error (a store_error) naming the line on anything else.
class dump_reader {
  public:
    explicit dump_reader(std::istream& in) : in_(in) {}
    const dump_header& header(); // reads it on first call

    struct table_start {
        std::string name;
        std::vector<std::string> columns;
    };
    // The next table, or nothing once the closing line is read (and nothing follows it).
    std::optional<table_start> next_table();
    // The next row of the current table into `out`; false at the table's end line.
    bool next_row(dump_row& out);
    std::int64_t line() const { return line_; }

  private:
    bool read_line(std::string& out);
    [[noreturn]] void fail(const std::string& why) const;

    std::istream& in_;
    std::optional<dump_header> header_;
    std::size_t next_table_ = 0;
    std::size_t columns_ = 0;
    bool in_table_ = false, finished_ = false;
    std::int64_t line_ = 0, table_rows_ = 0, total_rows_ = 0;
    std::string text_;
};

struct table_count {
    std::string table;
    std::int64_t rows = 0;
    bool operator==(const table_count&) const = default;
};

// Writes the state of the database `url` names (sqlite://… or postgresql://…) to `out`, from one
// snapshot: a server may keep running, though a move stops it first so nothing arrives after.
std::vector<table_count> export_database(const std::string& url, std::ostream& out);

// Loads a dump into the database `url` names: migrated first, refused unless every table is
// empty and its schema version is the dump's, then filled in one transaction (all or nothing),
// PostgreSQL's id sequences moved past the loaded ids.
std::vector<table_count> import_database(const std::string& url, std::istream& in);

} // namespace cxos::storage
