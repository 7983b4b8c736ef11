#pragma once
// The store: every durable fact of cxos. Calls run on the storage thread only (commit_queue),
// inside a transaction the queue opens; implementations need no locking of their own.
#include "commands/council.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/item_thread.hpp"
#include "commands/kpis.hpp"
#include "commands/routing_suggestions.hpp"
#include "commands/similarity_index.hpp"
#include "storage/store_rows.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxos::storage {

// A storage URL or schema problem found at start-up.
struct store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class store {
  public:
    virtual ~store() = default;

    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    // Nested scopes inside a batch, so one failing request does not undo its neighbours.
    virtual void savepoint() = 0;
    virtual void release_savepoint() = 0;
    virtual void rollback_to_savepoint() = 0;
    // Ends one request's scope and opens the next's: one round trip where the backend can send
    // both statements at once (PostgreSQL), which is one fewer per request in a batch. A commit
    // ends the last scope with the transaction.
    virtual void release_and_savepoint() {
        release_savepoint();
        savepoint();
    }

    // Stores the signal and returns its id; a signal of an item (item_id != 0) is counted there.
    std::int64_t insert_signal(const signal& s) { return insert_counted_signal(s).id; }
    // insert_signal, answering the item's counts as counting the report left them: the logging path
    // shows them without reading the item again.
    virtual counted_signal insert_counted_signal(const signal& s) = 0;
    virtual std::int64_t insert_delivery(const delivery& d) = 0;
    virtual std::optional<signal> find_signal(std::int64_t id) = 0;
    virtual std::vector<delivery> deliveries_for_signal(std::int64_t signal_id) = 0;

    // The oldest unfinished (pending or sending) outbox row of one channel: delivering only a
    // channel's head keeps it in order, and the indexed lookup stays cheap with any backlog.
    virtual std::optional<delivery> channel_head(std::string_view platform, std::string_view channel) = 0;
    // Every (platform, channel) with unfinished rows: where the outbox resumes after a restart.
    virtual std::vector<std::pair<std::string, std::string>> open_channels() = 0;
    // Writes state, attempts, next_attempt_at, platform_ref, last_error and updated_at.
    virtual void update_delivery(const delivery& d) = 0;
    // Outbox rows not yet sent or dead: the depth figure for logs and health.
    virtual std::int64_t outbox_depth() = 0;

    // Items: the friction behind signals. find_item fills in all of item::counts; the cheap
    // lookups on the logging path (find_item_summary, find_open_item) only the counted columns
    // (reports, reporters, customers, first and last seen).
    virtual std::int64_t insert_item(const item& it) = 0;
    virtual void update_item(const item& it) = 0;
    virtual std::optional<item> find_item(std::int64_t id) = 0;
    virtual std::optional<item> find_item_summary(std::int64_t id) = 0;
    virtual std::optional<item> find_open_item(std::string_view key) = 0;
    // The most recently fixed item with this key fixed at or after `fixed_since` (regressions).
    virtual std::optional<item> find_fixed_item(std::string_view key, millis fixed_since) = 0;
    virtual std::optional<signal> find_signal_by_message(std::string_view platform, std::string_view channel,
                                                         std::string_view message_ts) = 0;
    virtual std::vector<signal> signals_of_item(std::int64_t item_id) = 0;
    virtual void move_signals(std::int64_t from_item, std::int64_t to_item) = 0;
    // False when this person already reported that signal.
    virtual bool add_reporter(std::int64_t signal_id, std::string_view platform, std::string_view user_id,
                              millis at) = 0;
    virtual std::vector<reporter_ref> reporters_of_item(std::int64_t item_id) = 0;
    virtual void insert_audit(std::int64_t item_id, std::string_view actor, std::string_view action,
                              std::string_view detail, millis at) = 0;
    virtual std::vector<rule_accuracy> routing_accuracy() = 0;
    // The item's triage and council actions, oldest first (its thread).
    virtual std::vector<audit_entry> audit_of_item(std::int64_t item_id) = 0;

    // Grouping (sqlite_grouping.cpp). The items a new report may join, in id order: open items
    // and items fixed at or after `fixed_since`, with an id above `after_id`; each with the distinct
    // descriptions of its first reports other than its title (at most `texts` of them).
    virtual std::vector<indexed_item> grouping_items(std::int64_t after_id, millis fixed_since, std::size_t texts) = 0;
    // The same for one item whatever its status (closed: open false, fixed_at set only when fixed).
    virtual std::optional<indexed_item> grouping_item(std::int64_t id, std::size_t texts) = 0;
    // One report moves to another item (split out, or moved by its reporter); both are recounted.
    virtual void move_signal(std::int64_t signal_id, std::int64_t to_item) = 0;
    virtual void insert_grouping_event(const grouping_event& e) = 0;
    // Grouping events at or after `since`, oldest first; or all of one report's.
    virtual std::vector<grouping_event> grouping_events(millis since) = 0;
    virtual std::vector<grouping_event> grouping_events_of_signal(std::int64_t signal_id) = 0;
    // Every reroute in the audit trail with its item's title and first rule, oldest first.
    virtual std::vector<reroute_record> reroutes() = 0;

    virtual std::optional<delivery> find_delivery(std::int64_t id) = 0;
    // True when an item_update for that routed post is still waiting: one is enough.
    virtual bool has_pending_update(std::int64_t parent_id) = 0;

    // Remembers a platform event id; false when it was seen before (a retried delivery).
    virtual bool remember_event(std::string_view key, millis at) = 0;
    // Forgets it again: the work it guarded failed, and the platform's retry should redo it.
    virtual void forget_event(std::string_view key) = 0;
    // Whether that key is remembered, without remembering it.
    virtual bool event_seen(std::string_view key) = 0;
    virtual std::int64_t insert_inbox(const inbox_row& row) = 0;
    virtual std::vector<inbox_row> due_inbox(millis now, int limit) = 0;
    virtual void update_inbox(const inbox_row& row) = 0;

    // The Experience Council. insert_council_run returns 0 when the schedule already posted
    // that week (a second scheduled run for a week is refused by the store itself).
    virtual std::int64_t insert_council_run(const council_run& r) = 0;
    virtual void set_council_parent(std::int64_t run_id, std::int64_t delivery_id) = 0;
    virtual bool council_week_posted(std::string_view week) = 0;
    virtual void insert_council_entry(const council_entry_ref& e) = 0;
    // The item's reply in the Teams copy of the same agenda (council.teams_channel).
    virtual void set_council_teams_reply(std::int64_t run_id, std::int64_t item_id, std::int64_t delivery_id) = 0;
    // Every open item with its votes and the last week it was on an agenda.
    virtual std::vector<agenda_candidate> council_candidates() = 0;
    virtual std::optional<council_entry_ref> find_council_entry(std::int64_t delivery_id) = 0;
    virtual std::optional<council_entry_ref> find_council_entry_by_message(std::string_view platform,
                                                                           std::string_view channel,
                                                                           std::string_view message_ref) = 0;
    // The council replies that show this item (one per run it was on, and its Teams copies).
    virtual std::vector<std::int64_t> council_deliveries_of_item(std::int64_t item_id) = 0;
    // One vote per member per item: a new one replaces the old. remove_vote only removes a vote
    // with that value (taking back a 👍 reaction leaves a later 👎 button vote alone).
    virtual void set_vote(const vote& v) = 0;
    virtual bool remove_vote(std::int64_t item_id, std::string_view platform, std::string_view member, int value) = 0;
    virtual std::vector<vote> votes_of_item(std::int64_t item_id) = 0;
    virtual int signals_since(millis since) = 0;
    virtual int open_item_count() = 0;

    // Closed loops: which reporter was told about a fix, through which outbox row.
    virtual void insert_loop_notice(std::int64_t item_id, const reporter_ref& to, std::int64_t delivery_id,
                                    millis at) = 0;
    virtual closed_loop_stats closed_loops() = 0;
    // The reporters told about the item's last fix, and whether each notice was delivered.
    virtual std::vector<loop_notice_row> loop_notices_of_item(std::int64_t item_id) = 0;

    // What the KPIs are computed from (commands/kpis.hpp): every item but duplicates, with its
    // closed-loop notices, and every signal in the light form the figures need.
    virtual std::vector<kpi_item> kpi_items() = 0;
    virtual std::vector<kpi_signal> kpi_signals() = 0;

    // Small durable facts of the server itself ("council.since").
    virtual std::optional<std::string> setting(std::string_view key) = 0;
    virtual void set_setting(std::string_view key, std::string_view value) = 0;

    // Teams: remembered per conversation; teams_route_for falls back to the most recently seen
    // route (one tenant's serviceUrl serves all its teams), nothing when none was ever seen.
    virtual void save_teams_route(const teams_route& r) = 0;
    virtual std::optional<teams_route> teams_route_for(std::string_view conversation) = 0;
    // The most recently seen route of one tenant's conversations; nothing for an empty tenant id
    // (an activity that named no tenant says nothing about where any tenant lives).
    virtual std::optional<teams_route> teams_route_in_tenant(std::string_view tenant_id) = 0;

    // Operations (sqlite_ops.cpp): metrics, signals from other tools, spike alerts.
    virtual outbox_summary outbox_summary_now() = 0;
    // A signal another tool sent before under the same id (`source` is its source.platform).
    virtual std::optional<signal> find_signal_by_external_id(std::string_view source, std::string_view external_id) = 0;
    // Open items with at least one report at or after `recent_since`.
    virtual std::vector<item_activity> item_activity_since(millis recent_since, millis baseline_since) = 0;
    // Items whose current spike was already alerted (the alert is re-armed when the spike ends).
    virtual std::vector<std::int64_t> alerted_spikes() = 0;
    virtual void set_spike_alerted(std::int64_t item_id, bool alerted, millis at) = 0;

    virtual bool ping() = 0;

    // The item's first signal from this workspace (platform and team); nothing when it has none
    // there, which is what makes an item visible to `status` from a workspace.
    virtual std::optional<std::int64_t> first_signal_from(std::int64_t item_id, std::string_view platform,
                                                          std::string_view team_id) = 0;

    // Several instances on one database. Each call is atomic in the database, so instances agree
    // without talking to each other; SQLite, where one process owns the file, gives the same
    // results for that one process. Times are the callers' clocks: instances must agree on the
    // time to well within a lease (NTP does).
    //
    // Outbox claims. A claim is a lease on a channel's head row (the oldest pending or sending
    // row of its channel): while it lasts no other instance is handed that row, nor anything
    // behind it in its channel, so each row is sent by one instance and channels stay in order.
    // claim_due_heads claims, oldest first and at most `limit`, the heads due at `now` that hold no
    // live claim (another instance's, or the caller's own: a row in flight is never handed out
    // twice), for `instance` until `lease_until`. A claim whose lease ran out (its instance died
    // or hung) is taken over. Heads another transaction is claiming at that moment are skipped,
    // never waited for. channel_head and update_delivery ignore claims.
    // Skipped too, so nobody claims a row only to give it back: heads of a channel whose shared
    // pace has no slot at `now` (paced, or paused after a 429), and heads of `skip_platforms`
    // (the caller's platforms on hold).
    virtual std::vector<delivery> claim_due_heads(std::string_view instance, millis now, millis lease_until,
                                                  int limit, const std::vector<std::string>& skip_platforms) = 0;
    // Extends a claim before (and while) its row is sent; false when the row is no longer this
    // instance's (its lease ran out and another took it, or it was finished): then do not send it.
    virtual bool renew_claim(std::int64_t delivery_id, std::string_view instance, millis lease_until) = 0;
    // Gives a claim back (the send failed and the row waits for its retry, or the instance stops),
    // so any instance may claim the row when it is due instead of after the lease.
    virtual void release_claim(std::int64_t delivery_id, std::string_view instance) = 0;
    // Every claim made void: for the only server of a database (SQLite's lock file says so), whose
    // claims left by a crashed run would otherwise hold their channels until their leases ran out.
    virtual void release_every_claim() = 0;
    // When claim_due_heads may next hand out a head: per open channel the latest of its head's due
    // time, its channel's next slot and the end of a live claim on it; the earliest of those over
    // every channel but those of `skip_platforms`. `due_waiting`: some such head is due by `now`
    // yet waits for its channel's slot or another claim, so the outbox is not idle.
    virtual outbox_outlook look_ahead(millis now, const std::vector<std::string>& skip_platforms) = 0;

    // The pace of one channel, shared by every instance (Slack's one post a second holds for all
    // of them together). 0: a post may go now and its slot is taken; else the milliseconds until
    // the next slot, and nothing is taken.
    virtual millis reserve_channel_slot(std::string_view platform, std::string_view channel, millis now,
                                        const pace_rule& rule) = 0;
    // No slot before `until` on any instance (HTTP 429 Retry-After); the burst refills from then.
    virtual void pause_channel(std::string_view platform, std::string_view channel, millis until) = 0;

    // Leadership of a job that must run on one instance at a time (the council schedule, the spike
    // monitor). True while this store leads `job`: takes the lead when nobody holds it and keeps
    // it when this store already does, so it is also the renewal. Call it in the same transaction
    // as the run's writes. PostgreSQL: a session advisory lock, so the lead ends with the leader's
    // connection (a crash or kill hands it over at once, no lease to wait out, no clock involved),
    // and a leader whose connection broke cannot write on a lead it lost. A lease row would
    // survive a restart of the leader, which hand-over does not want. SQLite: always true.
    virtual bool try_lead(std::string_view job) = 0;
    // Hands the job over (an instance stopping); nothing when this store does not lead it.
    virtual void release_lead(std::string_view job) = 0;

    // Dead letters, oldest first: in `channel` when not empty, dead-lettered at or after `since`.
    virtual std::vector<delivery> dead_deliveries(std::string_view channel, millis since) = 0;

    // Slack installations (storage/*_installs.cpp): one per workspace, replaced when installed again.
    virtual void save_slack_installation(const slack_installation& i) = 0;
    virtual std::optional<slack_installation> find_slack_installation(std::string_view workspace) = 0;
    virtual std::vector<slack_installation> slack_installations() = 0;
    // False when that workspace had none.
    virtual bool remove_slack_installation(std::string_view workspace) = 0;
    // Remembers a started flow, and forgets flows that ended more than a day ago.
    virtual void insert_oauth_state(const oauth_state& s) = 0;
    // Marks the flow used and returns it as it was before (used_at != 0: it was used already, a
    // replay); nothing when no flow had that state (forged, or forgotten long ago).
    virtual std::optional<oauth_state> use_oauth_state(std::string_view state_hash, millis now) = 0;

    // Dashboard sessions. Starting one forgets every session past its end.
    virtual void insert_dashboard_session(const dashboard_session& s) = 0;
    // The live session with that hash, its last use moved to `now`; nothing when there is none, or
    // it ended (idle longer than `idle_ms`, or past its absolute end), and then it is deleted.
    virtual std::optional<dashboard_session> use_dashboard_session(std::string_view id_hash, millis now,
                                                                   millis idle_ms) = 0;
    // Signing out; false when there was no such session.
    virtual bool delete_dashboard_session(std::string_view id_hash) = 0;
    // Every session of `user_id` (on any platform), and how many there were: an operator's revoke.
    virtual int revoke_dashboard_sessions(std::string_view user_id) = 0;
    // Every session of `user_id` signed in on `platform`, and how many there were: a person's own
    // "sign out everywhere", which reaches only the identity their session proves.
    virtual int end_dashboard_sessions_of(std::string_view platform, std::string_view user_id) = 0;
    // How many sessions of `user_id` signed in on `platform` are live at `now`: what signing out
    // everywhere would end. Reads only.
    virtual int live_dashboard_sessions_of(std::string_view platform, std::string_view user_id, millis now,
                                           millis idle_ms) = 0;
};

// Opens the store a URL names: `sqlite://./relative.db`, `sqlite:///abs/path.db`,
// `sqlite://:memory:`, or a PostgreSQL connection URI (`postgresql://` or `postgres://`, handed
// to libpq as it is: the password may come from it, PGPASSWORD or ~/.pgpass, and sslmode and
// every other libpq parameter are honoured). Applies pending migrations. Throws store_error,
// whose message never contains the password.
struct store_options {
    // The most the database may grow to (0: no cap); past it every write fails as on a full
    // disk, while reads and health checks go on. Keeps a runaway from filling the disk. SQLite
    // only: PostgreSQL refuses to start with it (its quotas belong to the database server).
    double max_size_mb = 0;
    // A serving SQLite process takes the database's lock file (it is the one server: it voids
    // claims left by a crashed run); an admin command that edits rows while one serves does not.
    // PostgreSQL: a session advisory lock when asked for, waited for a few seconds (a killed
    // server's session may take a moment to end); `cxos serve` does not ask for it there, as
    // several instances serve one database through claims and try_lead.
    bool serve_lock = true;
};
std::unique_ptr<store> open_store(const std::string& url, const store_options& options = {});
// Whether several cxos instances may serve the database the URL names (PostgreSQL): they then
// take no serve lock and coordinate through claims and leadership. A SQLite file has one server.
bool shared_by_instances(const std::string& url);

} // namespace cxos::storage
