#pragma once
// The PostgreSQL backend, for several cxos instances on one database: one libpq connection per
// store (the commit queue's storage thread owns it), the same logical schema as SQLite
// (pg_migrations.hpp), the same answers for every call. Implemented across pg_store.cpp
// (connection, migrations, transactions, signals, outbox), pg_items.cpp, pg_council.cpp,
// pg_ops.cpp (operations, KPIs, inbox) and pg_multi.cpp (claims, pace and leadership).
#include "storage/pg_connection.hpp"
#include "storage/store.hpp"

namespace cxos::storage {

// The two int keys of cxos's advisory locks: "cxos" as a number, then the schema and purpose
// hashed, so deployments in other schemas of one database do not block each other.
#define CXOS_PG_LOCK_KEY(purpose) "1668837235, hashtext(current_schema() || " purpose ")"

class pg_store final : public store {
  public:
    // `serve_lock`: hold the database's serve lock for the store's life (see store_options).
    pg_store(const std::string& url, bool serve_lock);

    void begin() override;
    void commit() override;
    void rollback() override;
    void savepoint() override;
    void release_savepoint() override;
    void rollback_to_savepoint() override;
    void release_and_savepoint() override;

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
    void take_serve_lock();
    // A new session after the server went away; begin() takes the serve lock again.
    void recover();
    // Every statement but the logging path's own (kept_run) drops the open item held below.
    pg_rows run(const char* sql, const pg_params& params = {}) {
        forget_open_item();
        return db_.run(sql, params);
    }
    template <class... T> pg_rows run_with(const char* sql, const T&... values) {
        pg_params params;
        int index = 0;
        (params.bind(++index, values), ...);
        return run(sql, params);
    }
    pg_rows kept_run(const char* sql, const pg_params& params) { return db_.run(sql, params); }
    void forget_open_item() {
        open_item_read_.reset();
        open_item_held_.reset();
    }
    void fill_counts(item& it); // the first report's who and where (counts are columns)
    void recount(std::int64_t item_id);

    // A hot item's every report asks for its open item by key: one round trip of four per report.
    // The row the report's count UPDATE returns is kept (held) for that key: the UPDATE locked it,
    // so no other transaction can change it until this one ends. Read is the last lookup's key and
    // the id it found, not yet locked. Any statement but the logging path's own, a savepoint's
    // rollback (its locks go with it) or the transaction's end drops both. (Another instance
    // reopening an older item of the same key meanwhile is not seen until then: the lookup's
    // ORDER BY id would prefer it.)
    std::optional<std::pair<std::string, std::int64_t>> open_item_read_;
    std::optional<std::pair<std::string, item>> open_item_held_;
    pg_connection db_;
    const bool serve_lock_;
    bool holds_serve_lock_ = false; // until a new session, or a refusal, says otherwise
};

} // namespace cxos::storage
