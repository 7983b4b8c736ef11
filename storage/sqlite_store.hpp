#pragma once
// The embedded default backend: one SQLite file in WAL mode, fsync on every commit.
#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

#include <memory>

namespace cxos::storage {

class sqlite_store final : public store {
  public:
    explicit sqlite_store(const std::string& path);

    void begin() override;
    void commit() override;
    void rollback() override;
    void savepoint() override;
    void release_savepoint() override;
    void rollback_to_savepoint() override;

    std::int64_t insert_signal(const signal& s) override;
    std::int64_t insert_delivery(const delivery& d) override;
    std::optional<signal> find_signal(std::int64_t id) override;
    std::vector<delivery> deliveries_for_signal(std::int64_t signal_id) override;
    std::vector<delivery> due_deliveries(millis now, int limit) override;
    void update_delivery(const delivery& d) override;
    std::int64_t outbox_depth() override;
    bool ping() override;

  private:
    void migrate();
    delivery read_delivery(const sqlite_statement& st) const;

    sqlite_connection db_;
    std::unique_ptr<sqlite_statement> insert_signal_, insert_delivery_, find_signal_,
        deliveries_for_signal_, due_deliveries_, update_delivery_, outbox_depth_;
};

} // namespace cxos::storage
