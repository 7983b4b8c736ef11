// sqlite_store: what operations need: the outbox at a glance, signals from other tools by their
// external id, and spike bookkeeping.
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

outbox_summary sqlite_store::outbox_summary_now() {
    auto& st = sql("SELECT count(*), coalesce(min(queued_at), 0), "
                   "(SELECT count(*) FROM deliveries WHERE state = 'dead') "
                   "FROM deliveries WHERE state IN ('pending','sending')");
    return read_one<outbox_summary>(st, read_outbox_summary).value_or(outbox_summary{});
}

std::optional<signal> sqlite_store::find_signal_by_external_id(std::string_view source, std::string_view external_id) {
    auto& st = sql(CXOS_SELECT_SIGNALS "WHERE platform = ? AND external_id = ? AND external_id <> ''");
    st.bind(1, source).bind(2, external_id);
    return read_one<signal>(st, read_signal);
}

std::vector<item_activity> sqlite_store::item_activity_since(millis recent_since, millis baseline_since) {
    // The time index narrows to the baseline window; grouping counts both windows in one pass.
    auto& st = sql("SELECT s.item_id, sum(s.created_at >= ?1), sum(s.created_at < ?1), i.first_seen "
                   "FROM signals s JOIN items i ON i.id = s.item_id "
                   "WHERE s.created_at >= ?2 AND i.status IN ('new','routed','acknowledged','in_progress','regressed') "
                   "GROUP BY s.item_id HAVING sum(s.created_at >= ?1) > 0 ORDER BY s.item_id");
    st.bind(1, recent_since).bind(2, baseline_since);
    return read_all<item_activity>(st, read_item_activity);
}

std::vector<std::int64_t> sqlite_store::alerted_spikes() {
    auto& st = sql("SELECT item_id FROM spike_alerts WHERE active = 1 ORDER BY item_id");
    return read_all<std::int64_t>(st, read_int64);
}

void sqlite_store::set_spike_alerted(std::int64_t item_id, bool alerted, millis at) {
    if (alerted) {
        auto& st = sql("INSERT INTO spike_alerts (item_id, active, alerted_at, ended_at) VALUES (?, 1, ?, 0) "
                       "ON CONFLICT (item_id) DO UPDATE SET active = 1, alerted_at = excluded.alerted_at, ended_at = 0");
        st.bind(1, item_id).bind(2, at);
        st.run();
    } else {
        auto& st = sql("UPDATE spike_alerts SET active = 0, ended_at = ? WHERE item_id = ? AND active = 1");
        st.bind(1, at).bind(2, item_id);
        st.run();
    }
}

} // namespace cxos::storage
