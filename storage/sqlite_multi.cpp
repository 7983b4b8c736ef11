// sqlite_store: the multi-instance primitives for the one process that owns the file. Claims and
// the shared pace are stored as on PostgreSQL, so a single process sees the same results; writers
// are serialised by BEGIN IMMEDIATE, so no row locks are needed.
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

#include <algorithm>

namespace cxos::storage {

// The head of every open channel, one seek per channel (see CXOS_PG_CHANNEL_HEADS in
// pg_multi.cpp): SQLite's min(id) ... GROUP BY scanned the whole of deliveries_open on each poll
// (100,000 queued over 20 channels: a look-ahead took 12 ms, now 0.03 ms). The next channel is
// looked for in the same platform first, then in the next platform: SQLite seeks a row value on
// its first column only ("platform > ?", then a scan of the rest of the platform).
#define CXOS_SQLITE_CHANNEL_HEADS                                                                  \
    "heads(id, platform, channel, next_attempt_at, claimed_by, lease_until) AS ("                 \
    "  SELECT * FROM (SELECT id, platform, channel, next_attempt_at, claimed_by, lease_until "      \
    "    FROM deliveries WHERE state IN ('pending','sending') ORDER BY platform, channel, id LIMIT 1) " \
    "  UNION ALL "                                                                                 \
    "  SELECT d.id, d.platform, d.channel, d.next_attempt_at, d.claimed_by, d.lease_until "        \
    "  FROM heads h JOIN deliveries d ON d.id = coalesce("                                         \
    "    (SELECT n.id FROM deliveries n WHERE n.state IN ('pending','sending') AND n.platform = h.platform " \
    "      AND n.channel > h.channel ORDER BY n.platform, n.channel, n.id LIMIT 1), "              \
    "    (SELECT n.id FROM deliveries n WHERE n.state IN ('pending','sending') AND n.platform > h.platform " \
    "      ORDER BY n.platform, n.channel, n.id LIMIT 1))) "

std::vector<delivery> sqlite_store::claim_due_heads(std::string_view instance, millis now, millis lease_until,
                                                    int limit, const std::vector<std::string>& skip_platforms) {
    auto& st = sql("WITH RECURSIVE " CXOS_SQLITE_CHANNEL_HEADS
                   "UPDATE deliveries SET claimed_by = ?1, lease_until = ?3 WHERE id IN ("
                   "  SELECT d.id FROM heads h JOIN deliveries d ON d.id = h.id "
                   "  WHERE d.next_attempt_at <= ?2 AND (d.claimed_by = '' OR d.lease_until <= ?2) "
                   "  AND instr(?5, char(10) || d.platform || char(10)) = 0 "
                   "  AND NOT EXISTS (SELECT 1 FROM channel_pace p WHERE p.platform = d.platform "
                   "    AND p.channel = d.channel AND p.next_allowed_at > ?2) "
                   "  ORDER BY d.id LIMIT ?4) "
                   "RETURNING " CXOS_DELIVERY_COLUMNS);
    st.bind(1, instance).bind(2, now).bind(3, lease_until).bind(4, limit).bind(5, platform_list(skip_platforms));
    auto rows = read_all<delivery>(st, read_delivery);
    std::sort(rows.begin(), rows.end(), [](const delivery& a, const delivery& b) { return a.id < b.id; });
    return rows;
}

bool sqlite_store::renew_claim(std::int64_t delivery_id, std::string_view instance, millis lease_until) {
    auto& st = sql("UPDATE deliveries SET lease_until = ?3 WHERE id = ?1 AND claimed_by = ?2 "
                   "AND state IN ('pending','sending')");
    st.bind(1, delivery_id).bind(2, instance).bind(3, lease_until);
    st.run();
    return changes() > 0;
}

void sqlite_store::release_claim(std::int64_t delivery_id, std::string_view instance) {
    auto& st = sql("UPDATE deliveries SET claimed_by = '', lease_until = 0 WHERE id = ?1 AND claimed_by = ?2");
    st.bind(1, delivery_id).bind(2, instance);
    st.run();
}

void sqlite_store::release_every_claim() {
    sql("UPDATE deliveries SET claimed_by = '', lease_until = 0 WHERE claimed_by <> ''").run();
}

outbox_outlook sqlite_store::look_ahead(millis now, const std::vector<std::string>& skip_platforms) {
    auto& st = sql("WITH RECURSIVE " CXOS_SQLITE_CHANNEL_HEADS
                   "SELECT min(max(h.next_attempt_at, coalesce(p.next_allowed_at, 0), "
                   "    CASE WHEN h.claimed_by = '' THEN 0 ELSE h.lease_until END)), "
                   "  coalesce(max(CASE WHEN h.next_attempt_at <= ?1 THEN 1 ELSE 0 END), 0) "
                   "FROM heads h LEFT JOIN channel_pace p ON p.platform = h.platform AND p.channel = h.channel "
                   "WHERE instr(?2, char(10) || h.platform || char(10)) = 0");
    st.bind(1, now).bind(2, platform_list(skip_platforms));
    return read_one<outbox_outlook>(st, read_outbox_outlook).value_or(outbox_outlook{});
}

millis sqlite_store::reserve_channel_slot(std::string_view platform, std::string_view channel, millis now,
                                          const pace_rule& rule) {
    auto& take = sql("INSERT INTO channel_pace (platform, channel, next_allowed_at) VALUES (?1, ?2, ?3 - ?5 + ?4) "
                     "ON CONFLICT (platform, channel) DO UPDATE SET next_allowed_at = max(next_allowed_at, ?3 - ?5) + ?4 "
                     "WHERE next_allowed_at <= ?3 RETURNING next_allowed_at");
    take.bind(1, platform).bind(2, channel).bind(3, now).bind(4, rule.interval).bind(5, burst_allowance(rule));
    if (read_one<std::int64_t>(take, read_int64)) return 0;
    auto& next = sql("SELECT next_allowed_at FROM channel_pace WHERE platform = ? AND channel = ?");
    next.bind(1, platform).bind(2, channel);
    return pace_wait(read_one<std::int64_t>(next, read_int64).value_or(now), now);
}

void sqlite_store::pause_channel(std::string_view platform, std::string_view channel, millis until) {
    auto& st = sql("INSERT INTO channel_pace (platform, channel, next_allowed_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (platform, channel) DO UPDATE SET "
                   "next_allowed_at = max(next_allowed_at, excluded.next_allowed_at)");
    st.bind(1, platform).bind(2, channel).bind(3, until);
    st.run();
}

// The lock file already makes this process the only server of the database.
bool sqlite_store::try_lead(std::string_view) { return true; }
void sqlite_store::release_lead(std::string_view) {}

} // namespace cxos::storage
