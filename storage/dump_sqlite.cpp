// Export and import on a SQLite file (dump_backend.hpp), through a connection of their own.
#include "storage/dump_backend.hpp"
#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

namespace cxos::storage {
namespace {

class sqlite_dump final : public dump_database {
  public:
    sqlite_dump(const std::string& path, bool read_only)
        : db_(path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) {
        sqlite3_busy_timeout(db_.get(), 5000);
        db_.exec("PRAGMA foreign_keys=ON");
    }

    std::int64_t schema_version() override {
        sqlite_statement st(db_, "PRAGMA user_version");
        return st.step() ? st.int64(0) : 0;
    }

    std::vector<std::string> tables() override {
        sqlite_statement st(db_, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' "
                                 "ESCAPE '!' ORDER BY name");
        std::vector<std::string> out;
        while (st.step()) out.push_back(st.text(0));
        return out;
    }

    std::vector<std::string> columns(const std::string& table) override {
        sqlite_statement st(db_, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
        st.bind(1, table);
        std::vector<std::string> out;
        while (st.step()) out.push_back(st.text(0));
        return out;
    }

    std::int64_t row_count(const std::string& table) override {
        sqlite_statement st(db_, ("SELECT count(*) FROM " + quoted(table)).c_str());
        return st.step() ? st.int64(0) : 0;
    }

    void begin_snapshot() override {
        // A deferred transaction's first read fixes the snapshot every later read sees.
        db_.exec("BEGIN");
        db_.exec("SELECT count(*) FROM sqlite_master");
    }

    void scan(const dump_table& table, const std::vector<std::string>& columns,
              const std::function<void(const dump_row&)>& each) override {
        sqlite_statement st(db_, ("SELECT " + column_list(columns) + " FROM " + quoted(table.name) + " ORDER BY " +
                                  table.order_by).c_str());
        dump_row row(columns.size());
        while (st.step()) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const int col = static_cast<int>(i);
                switch (st.type(col)) {
                case SQLITE_NULL: row[i] = std::monostate{}; break;
                case SQLITE_INTEGER: row[i] = st.int64(col); break;
                case SQLITE_FLOAT: row[i] = st.real(col); break;
                default: row[i] = st.text(col); break; // text, and any blob as its bytes
                }
            }
            each(row);
        }
    }

    void end_snapshot() override { db_.exec("COMMIT"); }

    void begin_load() override { db_.exec("BEGIN IMMEDIATE"); }

    void insert_into(const std::string& table, const std::vector<std::string>& columns) override {
        std::string values;
        for (std::size_t i = 1; i <= columns.size(); ++i) values += (i > 1 ? ", ?" : "?") + std::to_string(i);
        insert_.reset();
        insert_ = std::make_unique<sqlite_statement>(
            db_, ("INSERT INTO " + quoted(table) + " (" + column_list(columns) + ") VALUES (" + values + ")").c_str());
    }

    void insert(const dump_row& row) override {
        for (std::size_t i = 0; i < row.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>)
                        insert_->bind_null(index);
                    else
                        insert_->bind(index, v);
                },
                row[i]);
        }
        insert_->run();
    }

    void commit_load() override {
        insert_.reset();
        db_.exec("COMMIT");
    }

    void abandon_load() override {
        insert_.reset();
        if (!sqlite3_get_autocommit(db_.get())) db_.exec("ROLLBACK");
    }

  private:
    sqlite_connection db_;
    std::unique_ptr<sqlite_statement> insert_;
};

} // namespace

std::unique_ptr<dump_database> open_sqlite_dump(const std::string& path, bool read_only) {
    return std::make_unique<sqlite_dump>(path, read_only);
}

} // namespace cxos::storage
