#pragma once
// The embedded default backend: one SQLite file in WAL mode, fsync on every commit.
#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

#include <memory>

namespace cxos::storage {

class sqlite_store final : public store {
  public:
    explicit sqlite_store(const std::string& path);
    ~sqlite_store() override;

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
    std::optional<delivery> channel_head(std::string_view platform, std::string_view channel) override;
    std::vector<std::pair<std::string, std::string>> open_channels() override;
    void update_delivery(const delivery& d) override;
    std::int64_t outbox_depth() override;
    bool ping() override;

  private:
    void migrate();
    delivery read_delivery(const sqlite_statement& st) const;

    int lock_fd_ = -1; // held for the store's life: one cxos process per database file
    sqlite_connection db_;
    std::unique_ptr<sqlite_statement> insert_signal_, insert_delivery_, find_signal_,
        deliveries_for_signal_, channel_head_, open_channels_, update_delivery_, outbox_depth_,
        begin_, commit_, rollback_, savepoint_, release_, rollback_to_;
};

} // namespace cxos::storage
