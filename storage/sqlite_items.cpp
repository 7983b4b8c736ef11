// sqlite_store: friction items, reporters, audit and routing accuracy.
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

void sqlite_store::recount(std::int64_t item_id) {
    auto& st = sql(
        "UPDATE items SET "
        "  reports = (SELECT count(*) FROM signals WHERE item_id = ?1) + "
        "    (SELECT count(*) FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = ?1), "
        "  reporters = (SELECT count(*) FROM (SELECT platform, user_id FROM signals WHERE item_id = ?1 UNION "
        "    SELECT r.platform, r.user_id FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = ?1)), "
        "  customers = (SELECT count(DISTINCT lower(customer)) FROM signals WHERE item_id = ?1 AND customer <> ''), "
        "  first_seen = (SELECT coalesce(min(created_at), 0) FROM signals WHERE item_id = ?1), "
        "  last_seen = max((SELECT coalesce(max(created_at), 0) FROM signals WHERE item_id = ?1), "
        "    (SELECT coalesce(max(r.added_at), 0) FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = ?1)) "
        "WHERE id = ?1");
    st.bind(1, item_id);
    st.run();
}

void sqlite_store::fill_counts(item& it) {
    // First by time, which signals_by_item_time answers from its first entry: "ORDER BY id" sorted
    // every report of the item, and an item with 300k reports stalled the storage thread ~20 ms
    // each time its post was refreshed.
    auto& first = sql("SELECT user_id, channel_id, permalink FROM signals WHERE item_id = ? ORDER BY created_at, id LIMIT 1");
    first.bind(1, it.id);
    if (first.step()) {
        it.counts.first_reporter = first.text(0);
        it.counts.first_channel = first.text(1);
        it.counts.first_permalink = first.text(2);
    }
    first.reset();
    if (it.fixed_at > 0) {
        auto& since = sql("SELECT count(*) FROM signals WHERE item_id = ? AND created_at >= ?");
        since.bind(1, it.id).bind(2, it.fixed_at);
        it.counts.since_fix = static_cast<int>(read_one<std::int64_t>(since, read_int64).value_or(0));
    }
}

std::optional<item> sqlite_store::find_fixed_item(std::string_view key, millis fixed_since) {
    auto& st = sql(CXOS_SELECT_ITEMS "WHERE key = ? AND status = 'fixed' AND fixed_at >= ? ORDER BY fixed_at DESC, id DESC LIMIT 1");
    st.bind(1, key).bind(2, fixed_since);
    return read_one<item>(st, read_item);
}

std::vector<audit_entry> sqlite_store::audit_of_item(std::int64_t item_id) {
    auto& st = sql("SELECT actor, action, detail, at FROM audit WHERE item_id = ? ORDER BY at, id");
    st.bind(1, item_id);
    return read_all<audit_entry>(st, read_audit);
}

std::int64_t sqlite_store::insert_item(const item& it) {
    auto& st = sql("INSERT INTO items (key, title, owner, rule, reason, status, duplicate_of, stage, "
                   "component, severity, note, link, rerouted, created_at, routed_at, acknowledged_at, "
                   "closed_at, updated_at, last_actor, routed_delivery_id, decision, decided_by, decided_at, due_at, "
                   "mirror_delivery_id, fixed_at, regressed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_item(st, it);
    st.run();
    return last_id();
}

void sqlite_store::update_item(const item& it) {
    auto& st = sql("UPDATE items SET key = ?, title = ?, owner = ?, rule = ?, reason = ?, status = ?, "
                   "duplicate_of = ?, stage = ?, component = ?, severity = ?, note = ?, link = ?, "
                   "rerouted = ?, created_at = ?, routed_at = ?, acknowledged_at = ?, closed_at = ?, "
                   "updated_at = ?, last_actor = ?, routed_delivery_id = ?, decision = ?, decided_by = ?, "
                   "decided_at = ?, due_at = ?, mirror_delivery_id = ?, fixed_at = ?, regressed_at = ? WHERE id = ?");
    bind_item(st, it);
    st.bind(28, it.id);
    st.run();
}

std::optional<item> sqlite_store::find_item(std::int64_t id) {
    auto& st = sql(CXOS_SELECT_ITEMS "WHERE id = ?");
    st.bind(1, id);
    auto it = read_one<item>(st, read_item);
    if (it) fill_counts(*it);
    return it;
}

// The two reads of the logging path leave the pending counts pending and patch them in.
std::optional<item> sqlite_store::find_item_summary(std::int64_t id) {
    auto& st = prepared(CXOS_SELECT_ITEMS "WHERE id = ?");
    st.bind(1, id);
    auto it = read_one<item>(st, read_item);
    if (it) patch_counts(*it);
    return it;
}

std::optional<item> sqlite_store::find_open_item(std::string_view key) {
    if (open_item_read_ && open_item_read_->first == key) {
        auto it = open_item_read_->second;
        patch_counts(it);
        return it;
    }
    auto& st = prepared(CXOS_SELECT_ITEMS "WHERE key = ? AND status IN ('new','routed','acknowledged','in_progress','regressed') ORDER BY id LIMIT 1");
    st.bind(1, key);
    auto it = read_one<item>(st, read_item);
    if (it && in_transaction_) open_item_read_.emplace(std::string(key), *it);
    if (it) patch_counts(*it);
    return it;
}

void sqlite_store::move_signals(std::int64_t from_item, std::int64_t to_item) {
    auto& st = sql("UPDATE signals SET item_id = ? WHERE item_id = ?");
    st.bind(1, to_item).bind(2, from_item);
    st.run();
    recount(from_item);
    recount(to_item);
}

bool sqlite_store::add_reporter(std::int64_t signal_id, std::string_view platform, std::string_view user_id,
                                millis at) {
    auto& st = sql("INSERT INTO reporters (signal_id, platform, user_id, added_at) "
                   "SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS "
                   "(SELECT 1 FROM signals WHERE id = ?1 AND platform = ?2 AND user_id = ?3) "
                   "ON CONFLICT DO NOTHING");
    st.bind(1, signal_id).bind(2, platform).bind(3, user_id).bind(4, at);
    st.run();
    if (changes() == 0) return false;
    // A new reporter of the item unless they reported another of its signals before.
    auto& count = sql(
        "UPDATE items SET reports = reports + 1, last_seen = max(last_seen, ?4), "
        "  reporters = reporters + (NOT EXISTS (SELECT 1 FROM signals WHERE item_id = items.id AND platform = ?2 AND user_id = ?3) "
        "    AND (SELECT count(*) FROM reporters r JOIN signals s ON s.id = r.signal_id "
        "         WHERE r.platform = ?2 AND r.user_id = ?3 AND s.item_id = items.id) = 1) "
        "WHERE id = (SELECT item_id FROM signals WHERE id = ?1)");
    count.bind(1, signal_id).bind(2, platform).bind(3, user_id).bind(4, at);
    count.run();
    return true;
}

std::vector<reporter_ref> sqlite_store::reporters_of_item(std::int64_t item_id) {
    // A captured thread reply is answered in its thread: under the parent, as Slack threads work.
    auto& st = sql("SELECT id, platform, user_id, channel_id, CASE WHEN thread_ts <> '' THEN thread_ts ELSE message_ts END, "
                   "created_at, team_id FROM signals WHERE item_id = ?1 "
                   "UNION ALL SELECT s.id, r.platform, r.user_id, s.channel_id, "
                   "CASE WHEN s.thread_ts <> '' THEN s.thread_ts ELSE s.message_ts END, r.added_at, s.team_id "
                   "FROM reporters r JOIN signals s ON s.id = r.signal_id WHERE s.item_id = ?1 ORDER BY 1, 6");
    st.bind(1, item_id);
    return read_all<reporter_ref>(st, read_reporter);
}

void sqlite_store::insert_audit(std::int64_t item_id, std::string_view actor, std::string_view action,
                                std::string_view detail, millis at) {
    auto& st = sql("INSERT INTO audit (item_id, actor, action, detail, at) VALUES (?,?,?,?,?)");
    st.bind(1, item_id).bind(2, actor).bind(3, action).bind(4, detail).bind(5, at);
    st.run();
}

std::vector<rule_accuracy> sqlite_store::routing_accuracy() {
    // Only items that reached an owner count; duplicates merged away still count where routed.
    auto& st = sql("SELECT rule, count(*), sum(rerouted) FROM items WHERE routed_at > 0 GROUP BY rule ORDER BY rule");
    return read_all<rule_accuracy>(st, read_rule_accuracy);
}

} // namespace cxos::storage
