#pragma once
// The embedded default backend: one SQLite file in WAL mode, fsync on every commit.
// Implemented across sqlite_store.cpp (signals, outbox), sqlite_items.cpp (items, triage),
// sqlite_inbox.cpp (event dedupe, inbox), sqlite_council.cpp (council, votes, closed loops),
// sqlite_ops.cpp, sqlite_kpis.cpp and sqlite_multi.cpp (claims, pace and leadership).
#include "storage/sqlite_statement.hpp"
#include "storage/store.hpp"

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cxos::storage {

class sqlite_store final : public store {
  public:
    // `max_size_mb` > 0 caps the database file (SQLite's max_page_count).
    // `serve_lock` false: an admin command beside a running server (SQLite serialises writers).
    explicit sqlite_store(const std::string& path, double max_size_mb = 0, bool serve_lock = true);
    ~sqlite_store() override;

    void begin() override;
    void commit() override;
    void rollback() override;
    void savepoint() override;
    void release_savepoint() override;
    void rollback_to_savepoint() override;

    counted_signal insert_counted_signal(const signal& s) override;
    std::int64_t insert_delivery(const delivery& d) override;
    std::optional<signal> find_signal(std::int64_t id) override;
    std::vector<delivery> deliveries_for_signal(std::int64_t signal_id) override;
    std::optional<delivery> channel_head(std::string_view platform, std::string_view channel) override;
    std::vector<std::pair<std::string, std::string>> open_channels() override;
    void update_delivery(const delivery& d) override;
    std::int64_t outbox_depth() override;

    std::int64_t insert_item(const item& it) override;
    void update_item(const item& it) override;
    std::optional<item> find_item(std::int64_t id) override;
    std::optional<item> find_item_summary(std::int64_t id) override;
    std::optional<item> find_open_item(std::string_view key) override;
    std::optional<item> find_fixed_item(std::string_view key, millis fixed_since) override;
    std::vector<audit_entry> audit_of_item(std::int64_t item_id) override;
    std::vector<loop_notice_row> loop_notices_of_item(std::int64_t item_id) override;
    std::optional<signal> find_signal_by_message(std::string_view platform, std::string_view channel,
                                                 std::string_view message_ts) override;
    std::vector<signal> signals_of_item(std::int64_t item_id) override;
    void move_signals(std::int64_t from_item, std::int64_t to_item) override;
    bool add_reporter(std::int64_t signal_id, std::string_view platform, std::string_view user_id,
                      millis at) override;
    std::vector<reporter_ref> reporters_of_item(std::int64_t item_id) override;
    void insert_audit(std::int64_t item_id, std::string_view actor, std::string_view action,
                      std::string_view detail, millis at) override;
    std::vector<rule_accuracy> routing_accuracy() override;
    std::vector<indexed_item> grouping_items(std::int64_t after_id, millis fixed_since, std::size_t texts) override;
    std::optional<indexed_item> grouping_item(std::int64_t id, std::size_t texts) override;
    void move_signal(std::int64_t signal_id, std::int64_t to_item) override;
    void insert_grouping_event(const grouping_event& e) override;
    std::vector<grouping_event> grouping_events(millis since) override;
    std::vector<grouping_event> grouping_events_of_signal(std::int64_t signal_id) override;
    std::vector<reroute_record> reroutes() override;
    std::optional<delivery> find_delivery(std::int64_t id) override;
    bool has_pending_update(std::int64_t parent_id) override;

    bool remember_event(std::string_view key, millis at) override;
    void forget_event(std::string_view key) override;
    bool event_seen(std::string_view key) override;
    std::int64_t insert_inbox(const inbox_row& row) override;
    std::vector<inbox_row> due_inbox(millis now, int limit) override;
    void update_inbox(const inbox_row& row) override;

    std::int64_t insert_council_run(const council_run& r) override;
    void set_council_parent(std::int64_t run_id, std::int64_t delivery_id) override;
    bool council_week_posted(std::string_view week) override;
    void insert_council_entry(const council_entry_ref& e) override;
    void set_council_teams_reply(std::int64_t run_id, std::int64_t item_id, std::int64_t delivery_id) override;
    std::vector<agenda_candidate> council_candidates() override;
    std::optional<council_entry_ref> find_council_entry(std::int64_t delivery_id) override;
    std::optional<council_entry_ref> find_council_entry_by_message(std::string_view platform, std::string_view channel,
                                                                   std::string_view message_ref) override;
    std::vector<std::int64_t> council_deliveries_of_item(std::int64_t item_id) override;
    void set_vote(const vote& v) override;
    bool remove_vote(std::int64_t item_id, std::string_view platform, std::string_view member, int value) override;
    std::vector<vote> votes_of_item(std::int64_t item_id) override;
    int signals_since(millis since) override;
    int open_item_count() override;
    void insert_loop_notice(std::int64_t item_id, const reporter_ref& to, std::int64_t delivery_id,
                            millis at) override;
    closed_loop_stats closed_loops() override;
    std::vector<kpi_item> kpi_items() override;
    std::vector<kpi_signal> kpi_signals() override;
    std::optional<std::string> setting(std::string_view key) override;
    void set_setting(std::string_view key, std::string_view value) override;
    void save_teams_route(const teams_route& r) override;
    std::optional<teams_route> teams_route_for(std::string_view conversation) override;
    std::optional<teams_route> teams_route_in_tenant(std::string_view tenant_id) override;

    outbox_summary outbox_summary_now() override;
    std::optional<signal> find_signal_by_external_id(std::string_view source, std::string_view external_id) override;
    std::vector<item_activity> item_activity_since(millis recent_since, millis baseline_since) override;
    std::vector<std::int64_t> alerted_spikes() override;
    void set_spike_alerted(std::int64_t item_id, bool alerted, millis at) override;

    bool ping() override;
    std::optional<std::int64_t> first_signal_from(std::int64_t item_id, std::string_view platform,
                                                  std::string_view team_id) override;
    std::vector<delivery> dead_deliveries(std::string_view channel, millis since) override;

    void save_slack_installation(const slack_installation& i) override;
    std::optional<slack_installation> find_slack_installation(std::string_view workspace) override;
    std::vector<slack_installation> slack_installations() override;
    bool remove_slack_installation(std::string_view workspace) override;
    void insert_oauth_state(const oauth_state& s) override;
    std::optional<oauth_state> use_oauth_state(std::string_view state_hash, millis now) override;
    void insert_dashboard_session(const dashboard_session& s) override;
    std::optional<dashboard_session> use_dashboard_session(std::string_view id_hash, millis now, millis idle_ms) override;
    bool delete_dashboard_session(std::string_view id_hash) override;
    int revoke_dashboard_sessions(std::string_view user_id) override;
    int end_dashboard_sessions_of(std::string_view platform, std::string_view user_id) override;
    int live_dashboard_sessions_of(std::string_view platform, std::string_view user_id, millis now, millis idle_ms) override;

    std::vector<delivery> claim_due_heads(std::string_view instance, millis now, millis lease_until, int limit,
                                          const std::vector<std::string>& skip_platforms) override;
    bool renew_claim(std::int64_t delivery_id, std::string_view instance, millis lease_until) override;
    void release_claim(std::int64_t delivery_id, std::string_view instance) override;
    void release_every_claim() override;
    outbox_outlook look_ahead(millis now, const std::vector<std::string>& skip_platforms) override;
    millis reserve_channel_slot(std::string_view platform, std::string_view channel, millis now,
                                const pace_rule& rule) override;
    void pause_channel(std::string_view platform, std::string_view channel, millis until) override;
    bool try_lead(std::string_view job) override;
    void release_lead(std::string_view job) override;

  private:
    void migrate();
    // Prepared once on first use, then reused: `sql` must be a string literal. Writes the
    // transaction's pending item counts first, so that the statement sees them.
    sqlite_statement& sql(const char* text);
    // The same for the statements of the logging path that neither read nor write an item's count
    // columns, or whose caller takes the counts from pending_counts_ (patch_counts).
    sqlite_statement& prepared(const char* text);
    std::int64_t last_id() const { return sqlite3_last_insert_rowid(db_.get()); }
    int changes() const { return sqlite3_changes(db_.get()); }
    void fill_counts(item& it); // the first report's who and where (counts are columns)
    item_counts count_report(std::int64_t item_id, const signal& s);
    void recount(std::int64_t item_id);

    // Counting a report on its item was the one write per report to a row that every report of a
    // hot item shares: in a transaction the counts wait here, as the absolute values the row will
    // hold, and are written once per item before the commit or before any other statement (sql()
    // flushes). The undo list lets a job's savepoint roll back what it changed here with the rows.
    struct pending_undo {
        std::int64_t item_id;
        std::optional<item_counts> before; // nothing: the item had no pending counts
    };
    void write_counts(std::int64_t item_id, const item_counts& counts);
    void flush_counts();
    void forget_pending(); // the counts, their undo and the open item read
    void note_undo(std::int64_t item_id);
    void patch_counts(item& it) const;
    bool in_transaction_ = false, in_savepoint_ = false;
    std::unordered_map<std::int64_t, item_counts> pending_counts_;
    std::vector<pending_undo> undo_;
    // The open item last found by key in this transaction, as its row was read: every report of a
    // hot item asks for it again. Good until a statement other than the logging path's own runs
    // (sql() drops it) or a job rolls back.
    std::optional<std::pair<std::string, item>> open_item_read_;

    int lock_fd_ = -1; // held for the store's life: one cxos process per database file
    sqlite_connection db_;
    std::unordered_map<const char*, std::unique_ptr<sqlite_statement>> statements_;
};

} // namespace cxos::storage
