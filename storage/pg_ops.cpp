// pg_store: operations (the outbox at a glance, signals by external id, spike bookkeeping), the
// rows the KPIs are computed from, event dedupe and the inbox.
#include "storage/pg_store.hpp"
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

outbox_summary pg_store::outbox_summary_now() {
    auto rows = run("SELECT count(*), coalesce(min(queued_at), 0), "
                    "(SELECT count(*) FROM deliveries WHERE state = 'dead') "
                    "FROM deliveries WHERE state IN ('pending','sending')");
    return read_one<outbox_summary>(rows, read_outbox_summary).value_or(outbox_summary{});
}

std::optional<signal> pg_store::find_signal_by_external_id(std::string_view source, std::string_view external_id) {
    auto rows = run_with(CXOS_SELECT_SIGNALS "WHERE platform = $1 AND external_id = $2 AND external_id <> ''",
                         source, external_id);
    return read_one<signal>(rows, read_signal);
}

std::vector<item_activity> pg_store::item_activity_since(millis recent_since, millis baseline_since) {
    auto rows = run_with("SELECT s.item_id, count(*) FILTER (WHERE s.created_at >= $1), "
                         "count(*) FILTER (WHERE s.created_at < $1), i.first_seen "
                         "FROM signals s JOIN items i ON i.id = s.item_id "
                         "WHERE s.created_at >= $2 AND i.status IN ('new','routed','acknowledged','in_progress','regressed') "
                         "GROUP BY s.item_id, i.first_seen HAVING count(*) FILTER (WHERE s.created_at >= $1) > 0 "
                         "ORDER BY s.item_id",
                         recent_since, baseline_since);
    return read_all<item_activity>(rows, read_item_activity);
}

std::vector<std::int64_t> pg_store::alerted_spikes() {
    auto rows = run("SELECT item_id FROM spike_alerts WHERE active = 1 ORDER BY item_id");
    return read_all<std::int64_t>(rows, read_int64);
}

void pg_store::set_spike_alerted(std::int64_t item_id, bool alerted, millis at) {
    if (alerted)
        run_with("INSERT INTO spike_alerts (item_id, active, alerted_at, ended_at) VALUES ($1, 1, $2, 0) "
                 "ON CONFLICT (item_id) DO UPDATE SET active = 1, alerted_at = excluded.alerted_at, ended_at = 0",
                 item_id, at);
    else
        run_with("UPDATE spike_alerts SET active = 0, ended_at = $1 WHERE item_id = $2 AND active = 1", at, item_id);
}

std::vector<kpi_item> pg_store::kpi_items() {
    auto items = run(CXOS_SELECT_ITEMS "WHERE status <> 'duplicate' ORDER BY id");
    auto out = read_all<kpi_item>(items, read_kpi_item);
    // Told = the notice's outbox row was delivered (the same rule as closed_loops()).
    auto loops = run("SELECT n.item_id, count(*), count(*) FILTER (WHERE d.state = 'sent'), "
                     "coalesce(max(CASE WHEN d.state = 'sent' THEN d.updated_at END), 0) "
                     "FROM loop_notices n LEFT JOIN deliveries d ON d.id = n.delivery_id GROUP BY n.item_id");
    attach_loops(out, read_all<loop_figures>(loops, read_loop_figures));
    auto posts = run(CXOS_SELECT_ITEM_POSTS);
    attach_posts(out, read_all<post_figures>(posts, read_post_figures));
    return out;
}

std::vector<kpi_signal> pg_store::kpi_signals() {
    auto rows = run("SELECT id, item_id, created_at, stage, component, platform, contacts, channel_id FROM signals ORDER BY id");
    return read_all<kpi_signal>(rows, read_kpi_signal);
}

bool pg_store::remember_event(std::string_view key, millis at) {
    // Unique in the database: a retry that reached another instance inserts nothing here.
    return run_with("INSERT INTO seen_events (event_key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING", key, at)
               .affected() > 0;
}

void pg_store::forget_event(std::string_view key) { run_with("DELETE FROM seen_events WHERE event_key = $1", key); }

bool pg_store::event_seen(std::string_view key) {
    return run_with("SELECT 1 FROM seen_events WHERE event_key = $1", key).step();
}

std::int64_t pg_store::insert_inbox(const inbox_row& row) {
    auto id = run_with("INSERT INTO inbox (platform, kind, payload, state, attempts, next_attempt_at, last_error) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       row.platform, row.kind, row.payload, row.state, row.attempts, row.next_attempt_at, row.last_error);
    return read_one<std::int64_t>(id, read_int64).value_or(0);
}

std::vector<inbox_row> pg_store::due_inbox(millis now, int limit) {
    auto rows = run_with(CXOS_SELECT_INBOX "WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
                         now, limit);
    return read_all<inbox_row>(rows, read_inbox);
}

void pg_store::update_inbox(const inbox_row& row) {
    run_with("UPDATE inbox SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $5",
             row.state, row.attempts, row.next_attempt_at, row.last_error, row.id);
}

} // namespace cxos::storage
