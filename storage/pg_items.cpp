// pg_store: friction items, reporters, audit and routing accuracy (the SQL of sqlite_items.cpp in
// PostgreSQL's dialect: greatest() for two-argument max(), booleans cast to count).
#include "storage/pg_store.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

void pg_store::recount(std::int64_t item_id) {
    run_with("UPDATE items SET "
             "  reports = (SELECT count(*) FROM signals WHERE item_id = $1) + "
             "    (SELECT count(*) FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = $1), "
             "  reporters = (SELECT count(*) FROM (SELECT platform, user_id FROM signals WHERE item_id = $1 UNION "
             "    SELECT r.platform, r.user_id FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = $1) who), "
             "  customers = (SELECT count(DISTINCT lower(customer)) FROM signals WHERE item_id = $1 AND customer <> ''), "
             "  first_seen = (SELECT coalesce(min(created_at), 0) FROM signals WHERE item_id = $1), "
             "  last_seen = greatest((SELECT coalesce(max(created_at), 0) FROM signals WHERE item_id = $1), "
             "    (SELECT coalesce(max(r.added_at), 0) FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = $1)) "
             "WHERE id = $1",
             item_id);
}

void pg_store::fill_counts(item& it) {
    auto first = run_with("SELECT user_id, channel_id, permalink FROM signals WHERE item_id = $1 ORDER BY created_at, id LIMIT 1", it.id);
    if (first.step()) {
        it.counts.first_reporter = first.text(0);
        it.counts.first_channel = first.text(1);
        it.counts.first_permalink = first.text(2);
    }
    if (it.fixed_at > 0) {
        auto since = run_with("SELECT count(*) FROM signals WHERE item_id = $1 AND created_at >= $2", it.id, it.fixed_at);
        it.counts.since_fix = static_cast<int>(read_one<std::int64_t>(since, read_int64).value_or(0));
    }
}

std::optional<item> pg_store::find_fixed_item(std::string_view key, millis fixed_since) {
    auto rows = run_with(CXOS_SELECT_ITEMS "WHERE key = $1 AND status = 'fixed' AND fixed_at >= $2 "
                         "ORDER BY fixed_at DESC, id DESC LIMIT 1", key, fixed_since);
    return read_one<item>(rows, read_item);
}

std::vector<audit_entry> pg_store::audit_of_item(std::int64_t item_id) {
    auto rows = run_with("SELECT actor, action, detail, at FROM audit WHERE item_id = $1 ORDER BY at, id", item_id);
    return read_all<audit_entry>(rows, read_audit);
}

std::int64_t pg_store::insert_item(const item& it) {
    pg_params params;
    bind_item(params, it);
    auto id = run("INSERT INTO items (key, title, owner, rule, reason, status, duplicate_of, stage, "
                  "component, severity, note, link, rerouted, created_at, routed_at, acknowledged_at, "
                  "closed_at, updated_at, last_actor, routed_delivery_id, decision, decided_by, decided_at, due_at, "
                  "mirror_delivery_id, fixed_at, regressed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,"
                  "$21,$22,$23,$24,$25,$26,$27) RETURNING id",
                  params);
    return read_one<std::int64_t>(id, read_int64).value_or(0);
}

void pg_store::update_item(const item& it) {
    pg_params params;
    bind_item(params, it);
    params.bind(28, it.id);
    run("UPDATE items SET key = $1, title = $2, owner = $3, rule = $4, reason = $5, status = $6, "
        "duplicate_of = $7, stage = $8, component = $9, severity = $10, note = $11, link = $12, "
        "rerouted = $13, created_at = $14, routed_at = $15, acknowledged_at = $16, closed_at = $17, "
        "updated_at = $18, last_actor = $19, routed_delivery_id = $20, decision = $21, decided_by = $22, "
        "decided_at = $23, due_at = $24, mirror_delivery_id = $25, fixed_at = $26, regressed_at = $27 WHERE id = $28",
        params);
}

std::optional<item> pg_store::find_item(std::int64_t id) {
    auto it = find_item_summary(id);
    if (it) fill_counts(*it);
    return it;
}

std::optional<item> pg_store::find_item_summary(std::int64_t id) {
    auto rows = run_with(CXOS_SELECT_ITEMS "WHERE id = $1", id);
    return read_one<item>(rows, read_item);
}

std::optional<item> pg_store::find_open_item(std::string_view key) {
    if (open_item_held_ && open_item_held_->first == key) return open_item_held_->second;
    auto rows = run_with(CXOS_SELECT_ITEMS "WHERE key = $1 AND status IN ('new','routed','acknowledged','in_progress','regressed') "
                         "ORDER BY id LIMIT 1", key);
    auto it = read_one<item>(rows, read_item);
    if (it) open_item_read_.emplace(std::string(key), it->id);
    return it;
}

void pg_store::move_signals(std::int64_t from_item, std::int64_t to_item) {
    run_with("UPDATE signals SET item_id = $1 WHERE item_id = $2", to_item, from_item);
    recount(from_item);
    recount(to_item);
}

bool pg_store::add_reporter(std::int64_t signal_id, std::string_view platform, std::string_view user_id, millis at) {
    auto added = run_with("INSERT INTO reporters (signal_id, platform, user_id, added_at) "
                          "SELECT $1, $2, $3, $4 WHERE NOT EXISTS "
                          "(SELECT 1 FROM signals WHERE id = $1 AND platform = $2 AND user_id = $3) "
                          "ON CONFLICT DO NOTHING",
                          signal_id, platform, user_id, at);
    if (added.affected() == 0) return false;
    // A new reporter of the item unless they reported another of its signals before.
    run_with("UPDATE items SET reports = reports + 1, last_seen = greatest(last_seen, $4), "
             "  reporters = reporters + (NOT EXISTS (SELECT 1 FROM signals WHERE item_id = items.id AND platform = $2 "
             "    AND user_id = $3) AND (SELECT count(*) FROM reporters r JOIN signals s ON s.id = r.signal_id "
             "    WHERE r.platform = $2 AND r.user_id = $3 AND s.item_id = items.id) = 1)::int "
             "WHERE id = (SELECT item_id FROM signals WHERE id = $1)",
             signal_id, platform, user_id, at);
    return true;
}

std::vector<reporter_ref> pg_store::reporters_of_item(std::int64_t item_id) {
    // A captured thread reply is answered in its thread: under the parent, as Slack threads work.
    auto rows = run_with("SELECT id, platform, user_id, channel_id, CASE WHEN thread_ts <> '' THEN thread_ts ELSE message_ts END, "
                         "created_at, team_id FROM signals WHERE item_id = $1 "
                         "UNION ALL SELECT s.id, r.platform, r.user_id, s.channel_id, "
                         "CASE WHEN s.thread_ts <> '' THEN s.thread_ts ELSE s.message_ts END, r.added_at, s.team_id "
                         "FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = $1 ORDER BY 1, 6",
                         item_id);
    return read_all<reporter_ref>(rows, read_reporter);
}

void pg_store::insert_audit(std::int64_t item_id, std::string_view actor, std::string_view action,
                            std::string_view detail, millis at) {
    run_with("INSERT INTO audit (item_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, $5)",
             item_id, actor, action, detail, at);
}

std::vector<rule_accuracy> pg_store::routing_accuracy() {
    // Only items that reached an owner count; duplicates merged away still count where routed.
    auto rows = run("SELECT rule, count(*), sum(rerouted) FROM items WHERE routed_at > 0 GROUP BY rule ORDER BY rule");
    return read_all<rule_accuracy>(rows, read_rule_accuracy);
}

} // namespace cxos::storage
