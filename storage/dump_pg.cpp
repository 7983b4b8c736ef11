// Export and import on PostgreSQL (dump_backend.hpp), in the schema the URL's search path
// selects, through a session of their own. Rows are read through a cursor, a batch at a time.
#include "storage/dump_backend.hpp"
#include "storage/pg_connection.hpp"

#include <cmath>
#include <unordered_map>

namespace cxos::storage {
namespace {

// libpq's type ids of the columns cxos's schema has (catalog/pg_type.h).
constexpr unsigned bool_oid = 16, int8_oid = 20, int2_oid = 21, int4_oid = 23, float4_oid = 700, float8_oid = 701;

class pg_dump final : public dump_database {
  public:
    explicit pg_dump(const std::string& url) : db_(url) {}

    std::int64_t schema_version() override {
        auto exists = db_.run("SELECT to_regclass('schema_version') IS NOT NULL");
        if (!exists.step() || exists.int64(0) == 0) return 0;
        auto version = db_.run("SELECT coalesce(max(version), 0) FROM schema_version");
        return version.step() ? version.int64(0) : 0;
    }

    std::vector<std::string> tables() override {
        auto rows = db_.run("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                            "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY table_name");
        std::vector<std::string> out;
        while (rows.step()) out.push_back(rows.text(0));
        return out;
    }

    std::vector<std::string> columns(const std::string& table) override {
        pg_params p;
        p.bind(1, table);
        auto rows = db_.run("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                            "current_schema() AND table_name = $1 ORDER BY ordinal_position",
                            p);
        std::vector<std::string> out;
        while (rows.step()) {
            out.push_back(rows.text(0));
            kinds_[table + "." + out.back()] = rows.text(1);
        }
        return out;
    }

    std::int64_t row_count(const std::string& table) override {
        auto rows = db_.run_text("SELECT count(*) FROM " + quoted(table));
        return rows.step() ? rows.int64(0) : 0;
    }

    void begin_snapshot() override { db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }

    void scan(const dump_table& table, const std::vector<std::string>& columns,
              const std::function<void(const dump_row&)>& each) override {
        db_.run_text("DECLARE cxos_dump NO SCROLL CURSOR FOR SELECT " + column_list(columns) + " FROM " +
                     quoted(table.name) + " ORDER BY " + table.order_by);
        dump_row row(columns.size());
        for (;;) {
            auto batch = db_.run_text("FETCH 1000 FROM cxos_dump");
            bool any = false;
            while (batch.step()) {
                any = true;
                for (std::size_t i = 0; i < columns.size(); ++i) row[i] = value(batch, static_cast<int>(i));
                each(row);
            }
            if (!any) break;
        }
        db_.exec("CLOSE cxos_dump");
    }

    void end_snapshot() override { db_.exec("COMMIT"); }

    void begin_load() override { db_.exec("BEGIN"); }

    void insert_into(const std::string& table, const std::vector<std::string>& columns) override {
        table_ = table;
        insert_columns_ = columns;
        std::string values;
        for (std::size_t i = 1; i <= columns.size(); ++i) values += (i > 1 ? ", $" : "$") + std::to_string(i);
        insert_sql_ = "INSERT INTO " + quoted(table) + " (" + column_list(columns) + ") VALUES (" + values + ")";
        if (kinds_.find(table + "." + columns.front()) == kinds_.end()) this->columns(table);
    }

    void insert(const dump_row& row) override {
        pg_params p;
        for (std::size_t i = 0; i < row.size(); ++i) bind(p, static_cast<int>(i) + 1, kinds_[table_ + "." + insert_columns_[i]], row[i]);
        db_.run_text(insert_sql_, p);
    }

    void commit_load() override {
        // Ids were loaded as they were: each identity continues after the largest one.
        auto identities = db_.run("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                                  "current_schema() AND is_identity = 'YES'");
        while (identities.step()) {
            const auto table = identities.text(0), column = identities.text(1);
            pg_params p;
            p.bind(1, quoted(table)).bind(2, column);
            db_.run_text("SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(" + quoted(column) + "), 1), max(" +
                             quoted(column) + ") IS NOT NULL) FROM " + quoted(table),
                         p);
        }
        if (db_.exec("COMMIT") != "COMMIT") throw store_error("PostgreSQL rolled the import back");
    }

    void abandon_load() override {
        try {
            db_.exec("ROLLBACK");
        } catch (const store_error&) {
            // The session is gone, and its transaction with it.
        }
    }

  private:
    static dump_value value(const pg_rows& rows, int col) {
        if (rows.is_null(col)) return std::monostate{};
        switch (rows.type(col)) {
        case bool_oid:
        case int2_oid:
        case int4_oid:
        case int8_oid: return rows.int64(col);
        case float4_oid:
        case float8_oid: return rows.real(col);
        default: return rows.text(col);
        }
    }

    // A value as the column's type wants it: a whole-number float fits a BIGINT, an integer a
    // float column; anything else goes as it is, and PostgreSQL names the mismatch.
    static void bind(pg_params& p, int index, const std::string& kind, const dump_value& v) {
        if (std::holds_alternative<std::monostate>(v)) {
            p.bind_null(index);
        } else if (auto i = std::get_if<std::int64_t>(&v)) {
            if (kind == "double precision" || kind == "real")
                p.bind(index, static_cast<double>(*i));
            else
                p.bind(index, *i);
        } else if (auto d = std::get_if<double>(&v)) {
            if (kind == "bigint" && std::trunc(*d) == *d && std::abs(*d) < 9.2e18)
                p.bind(index, static_cast<std::int64_t>(*d));
            else
                p.bind(index, *d);
        } else {
            p.bind(index, std::get<std::string>(v));
        }
    }

    pg_connection db_;
    std::unordered_map<std::string, std::string> kinds_; // "table.column" → its data_type
    std::string table_, insert_sql_;
    std::vector<std::string> insert_columns_;
};

} // namespace

std::unique_ptr<dump_database> open_pg_dump(const std::string& url) { return std::make_unique<pg_dump>(url); }

} // namespace cxos::storage
