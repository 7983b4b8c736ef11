// pg_store: what lets several instances share one database: outbox claims (row locks skipped, not
// waited for, and a lease that outlives the transaction), the shared channel pace (one row per
// channel updated atomically), and leadership (session advisory locks).
#include "storage/pg_store.hpp"
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"

#include <algorithm>

namespace cxos::storage {

// The head of every open channel (its lowest pending or sending row), by a loose index scan of
// deliveries_open: from one channel's head the next channel's is the first index entry past
// (platform, channel), one descent each, so a poll costs a seek per open channel however many rows
// queue behind the heads. PostgreSQL does not skip through an index by itself: min(id) ... GROUP
// BY read every queued row on each poll (100,000 queued over 20 channels: a look-ahead took 29 ms,
// now 0.1 ms; a claim's generic plan, made while the outbox was empty, 277 ms; bench/outbox_bench.cpp).
// The recursion carries the head rows' columns, so a look-ahead joins nothing back. Each step is
// an index scan whatever the statistics were when the generic plan was made: ORDER BY the
// index's columns, LIMIT 1.
#define CXOS_PG_CHANNEL_HEADS                                                                      \
    "heads AS ("                                                                                   \
    "  (SELECT id, platform, channel, next_attempt_at, claimed_by, lease_until FROM deliveries "    \
    "   WHERE state IN ('pending','sending') ORDER BY platform, channel, id LIMIT 1) "             \
    "  UNION ALL "                                                                                 \
    "  SELECT n.* FROM heads h CROSS JOIN LATERAL ("                                               \
    "    SELECT id, platform, channel, next_attempt_at, claimed_by, lease_until FROM deliveries "   \
    "    WHERE state IN ('pending','sending') AND (platform, channel) > (h.platform, h.channel) "   \
    "    ORDER BY platform, channel, id LIMIT 1) n) "

std::vector<delivery> pg_store::claim_due_heads(std::string_view instance, millis now, millis lease_until, int limit,
                                                const std::vector<std::string>& skip_platforms) {
    // Two statements, so that a plan PostgreSQL cached while the outbox was nearly empty cannot
    // read the backlog: the claimable heads come from the index walk alone, whatever the plan, and
    // only when there are some are their rows locked, by id (a cached plan may then scan the open
    // rows once; a join of the heads to deliveries scanned them once per head, 45-100 ms a poll
    // at 20,000 queued over 20 channels, and the old GROUP BY up to 277 ms at 100,000).
    // A channel's pace is read, not locked: its slot is taken later by reserve_channel_slot.
    auto heads = run_with("WITH RECURSIVE " CXOS_PG_CHANNEL_HEADS
                          "SELECT array_agg(h.id)::text FROM heads h WHERE h.next_attempt_at <= $1 "
                          "AND (h.claimed_by = '' OR h.lease_until <= $1) "
                          "AND position(E'\\n' || h.platform || E'\\n' in $2) = 0 "
                          "AND NOT EXISTS (SELECT 1 FROM channel_pace p WHERE p.platform = h.platform "
                          "  AND p.channel = h.channel AND p.next_allowed_at > $1)",
                          now, platform_list(skip_platforms));
    if (!heads.step() || heads.is_null(0)) return {};
    // FOR UPDATE SKIP LOCKED: a head another instance is claiming right now is left to it. A head
    // whose claim committed after this statement's snapshot is locked, then checked again on its
    // newest version (PostgreSQL re-evaluates the WHERE of a locked row), so it is not taken twice;
    // one sent or failed since the heads were read is not taken either.
    auto rows = run_with("UPDATE deliveries SET claimed_by = $1, lease_until = $3 WHERE id IN ("
                         "  SELECT id FROM deliveries WHERE id = ANY ($5::bigint[]) "
                         "  AND state IN ('pending','sending') AND next_attempt_at <= $2 "
                         "  AND (claimed_by = '' OR lease_until <= $2) "
                         "  ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                         "RETURNING " CXOS_DELIVERY_COLUMNS,
                         instance, now, lease_until, limit, heads.text(0));
    auto claimed = read_all<delivery>(rows, read_delivery);
    std::sort(claimed.begin(), claimed.end(), [](const delivery& a, const delivery& b) { return a.id < b.id; });
    return claimed;
}

bool pg_store::renew_claim(std::int64_t delivery_id, std::string_view instance, millis lease_until) {
    return run_with("UPDATE deliveries SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 "
                    "AND state IN ('pending','sending')",
                    delivery_id, instance, lease_until).affected() > 0;
}

void pg_store::release_claim(std::int64_t delivery_id, std::string_view instance) {
    run_with("UPDATE deliveries SET claimed_by = '', lease_until = 0 WHERE id = $1 AND claimed_by = $2",
             delivery_id, instance);
}

void pg_store::release_every_claim() {
    run_with("UPDATE deliveries SET claimed_by = '', lease_until = 0 WHERE claimed_by <> ''");
}

outbox_outlook pg_store::look_ahead(millis now, const std::vector<std::string>& skip_platforms) {
    auto rows = run_with("WITH RECURSIVE " CXOS_PG_CHANNEL_HEADS
                         "SELECT min(greatest(h.next_attempt_at, coalesce(p.next_allowed_at, 0), "
                         "    CASE WHEN h.claimed_by = '' THEN 0 ELSE h.lease_until END)), "
                         "  coalesce(max(CASE WHEN h.next_attempt_at <= $1 THEN 1 ELSE 0 END), 0) "
                         "FROM heads h LEFT JOIN channel_pace p ON p.platform = h.platform AND p.channel = h.channel "
                         "WHERE position(E'\\n' || h.platform || E'\\n' in $2) = 0",
                         now, platform_list(skip_platforms));
    return read_one<outbox_outlook>(rows, read_outbox_outlook).value_or(outbox_outlook{});
}

millis pg_store::reserve_channel_slot(std::string_view platform, std::string_view channel, millis now,
                                      const pace_rule& rule) {
    // The upsert locks the channel's row, so instances reserving at once take turns.
    auto taken = run_with("INSERT INTO channel_pace (platform, channel, next_allowed_at) VALUES ($1, $2, $3 - $5 + $4) "
                          "ON CONFLICT (platform, channel) DO UPDATE SET "
                          "next_allowed_at = greatest(channel_pace.next_allowed_at, $3 - $5) + $4 "
                          "WHERE channel_pace.next_allowed_at <= $3 RETURNING next_allowed_at",
                          platform, channel, now, rule.interval, burst_allowance(rule));
    if (taken.step()) return 0;
    auto next = run_with("SELECT next_allowed_at FROM channel_pace WHERE platform = $1 AND channel = $2", platform, channel);
    return pace_wait(read_one<std::int64_t>(next, read_int64).value_or(now), now);
}

void pg_store::pause_channel(std::string_view platform, std::string_view channel, millis until) {
    run_with("INSERT INTO channel_pace (platform, channel, next_allowed_at) VALUES ($1, $2, $3) "
             "ON CONFLICT (platform, channel) DO UPDATE SET "
             "next_allowed_at = greatest(channel_pace.next_allowed_at, excluded.next_allowed_at)",
             platform, channel, until);
}

// A session advisory lock rather than a lease row: it ends with the leader's connection, so a
// crashed or killed leader hands over at once and a hung one cannot write anyway; no clock is
// involved. Session locks stack, so one already held is not taken a second time (CASE runs the
// lock only when pg_locks shows none), and they survive a rolled-back transaction, which is what
// a leader whose run failed wants.
bool pg_store::try_lead(std::string_view job) {
    auto rows = run_with("SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                         "  AND pid = pg_backend_pid() AND granted AND objsubid = 2 AND classid = 1668837235 "
                         "  AND objid = hashtext(current_schema() || '/lead/' || $1)::oid) "
                         "THEN true ELSE pg_try_advisory_lock(" CXOS_PG_LOCK_KEY("'/lead/' || $1") ") END",
                         job);
    return rows.step() && rows.int64(0) == 1;
}

void pg_store::release_lead(std::string_view job) {
    run_with("SELECT pg_advisory_unlock(" CXOS_PG_LOCK_KEY("'/lead/' || $1") ")", job);
}

} // namespace cxos::storage
