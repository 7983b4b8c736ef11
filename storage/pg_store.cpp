#include "storage/pg_store.hpp"

#include "storage/pg_migrations.hpp"
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

pg_store::pg_store(const std::string& url, bool serve_lock) : db_(url), serve_lock_(serve_lock) {
    // Text goes in as UTF-8; a database in another encoding would refuse some of it later, on
    // some report, instead of now.
    auto encoding = run("SELECT current_setting('server_encoding')");
    if (encoding.step() && encoding.text(0) != "UTF8")
        throw store_error("PostgreSQL database at " + db_.safe_url() + " is encoded " + encoding.text(0) +
                          "; cxos needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)");
    if (serve_lock_) take_serve_lock();
    migrate();
}

void pg_store::take_serve_lock() {
    // A killed server's session ends a moment after its process: wait that long, not forever.
    db_.exec("SET lock_timeout = '5s'");
    try {
        db_.exec("SELECT pg_advisory_lock(" CXOS_PG_LOCK_KEY("'/serve'") ")");
    } catch (const pg_error& e) {
        if (e.sqlstate != "55P03") throw; // lock_not_available
        throw store_error("another cxos process is already serving " + db_.safe_url());
    }
    db_.exec("RESET lock_timeout");
    holds_serve_lock_ = true;
}

void pg_store::migrate() {
    // One migrator at a time: instances starting together apply each step once, in order.
    db_.exec("SELECT pg_advisory_lock(" CXOS_PG_LOCK_KEY("'/migrate'") ")");
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
             "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    auto version = run("SELECT coalesce(max(version), 0) FROM schema_version");
    version.step();
    const auto current = static_cast<std::size_t>(version.int64(0));
    const auto& steps = pg_migrations();
    check_schema_version(current, steps.size());
    for (std::size_t v = current; v < steps.size(); ++v) {
        db_.exec("BEGIN");
        try {
            db_.exec(steps[v]);
            if (v == 1) {
                // Items made from older signals get the key new signals are matched by, which
                // SQL alone cannot compute (as SQLite's migration does).
                auto all = run("SELECT id, title FROM items");
                while (all.step()) run_with("UPDATE items SET key = $1 WHERE id = $2", item_key(all.text(1)), all.int64(0));
            }
            run_with("INSERT INTO schema_version (version) VALUES ($1)", static_cast<std::int64_t>(v + 1));
            commit();
        } catch (...) {
            db_.exec("ROLLBACK");
            throw;
        }
    }
    db_.exec("SELECT pg_advisory_unlock(" CXOS_PG_LOCK_KEY("'/migrate'") ")");
}

void pg_store::recover() {
    // The old session's locks went with it; another server may have taken the serve lock since.
    holds_serve_lock_ = false;
    if (!db_.reconnect()) throw store_error("PostgreSQL at " + db_.safe_url() + " is unreachable");
}

void pg_store::begin() {
    forget_open_item();
    if (db_.broken()) recover();
    try {
        if (serve_lock_ && !holds_serve_lock_) take_serve_lock();
        db_.exec("BEGIN");
    } catch (const store_error&) {
        // The server restarted since the last batch: nothing of this one ran yet, so a new
        // session may simply start it again.
        if (!db_.broken()) throw;
        recover();
        if (serve_lock_) take_serve_lock();
        db_.exec("BEGIN");
    }
}

void pg_store::commit() {
    // PostgreSQL answers COMMIT of a transaction a failed statement aborted with ROLLBACK and no
    // error: that must fail the batch, never pass for durable.
    forget_open_item();
    if (db_.exec("COMMIT") != "COMMIT")
        throw store_error("PostgreSQL rolled the transaction back instead of committing it");
}

void pg_store::rollback() {
    forget_open_item();
    db_.exec("ROLLBACK");
}
void pg_store::savepoint() { db_.exec("SAVEPOINT request"); }
void pg_store::release_savepoint() { db_.exec("RELEASE SAVEPOINT request"); }
void pg_store::rollback_to_savepoint() {
    forget_open_item();
    db_.exec("ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request");
}
void pg_store::release_and_savepoint() { db_.exec("RELEASE SAVEPOINT request; SAVEPOINT request"); }

#define CXOS_INSERT_SIGNAL                                                                            \
    "INSERT INTO signals (platform, team_id, channel_id, user_id, user_name, description, stage, "     \
    "component, severity, owner, rule, reason, created_at, item_id, customer, link, message_ts, "      \
    "thread_ts, permalink, external_id, contacts, error_rate) "                                        \
    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22) RETURNING id"

counted_signal pg_store::insert_counted_signal(const signal& s) {
    pg_params params;
    bind_signal(params, s); // $1 platform, $4 user, $13 time, $14 item, $15 customer
    counted_signal out;
    if (s.item_id == 0) {
        auto id = run(CXOS_INSERT_SIGNAL, params);
        out.id = read_one<std::int64_t>(id, read_int64).value_or(0);
        return out;
    }
    // Counted and stored in one round trip. The statements of one WITH share a snapshot, so the
    // count's "new reporter" and "new customer" see only the other signals, as a count run before
    // the insert would; an item that is gone counts nothing (the join finds no row: zeros).
    auto rows = kept_run("WITH counted AS (UPDATE items SET reports = reports + 1, "
                    "  reporters = reporters + (NOT EXISTS (SELECT 1 FROM signals WHERE item_id = $14 "
                    "      AND platform = $1 AND user_id = $4) "
                    "    AND NOT EXISTS (SELECT 1 FROM reporters r JOIN signals s ON s.id = r.signal_id "
                    "      WHERE r.platform = $1 AND r.user_id = $4 AND s.item_id = $14))::int, "
                    "  customers = customers + ($15 <> '' AND NOT EXISTS (SELECT 1 FROM signals WHERE item_id = $14 "
                    "    AND customer <> '' AND lower(customer) = lower($15 COLLATE \"C\")))::int, "
                    "  first_seen = CASE WHEN first_seen = 0 OR $13 < first_seen THEN $13 ELSE first_seen END, "
                    "  last_seen = greatest(last_seen, $13) "
                    "  WHERE id = $14 RETURNING " CXOS_ITEM_COLUMNS "), "
                    "stored AS (" CXOS_INSERT_SIGNAL ") "
                    "SELECT counted.*, stored.id FROM stored LEFT JOIN counted ON true",
                    params);
    std::optional<item> counted; // the item's row as the UPDATE left it, locked till the commit
    if (rows.step()) {
        if (!rows.is_null(0)) counted = read_item(rows);
        out.id = rows.int64(item_column_count);
        if (counted) out.counts = counted->counts;
    }
    // Held when the lookup by key found this item and it is still open: from now on this
    // transaction's own statements are the only ones that can change the row.
    const bool found_by_key = open_item_held_ ? open_item_held_->second.id == s.item_id
                                              : open_item_read_ && open_item_read_->second == s.item_id;
    if (counted && found_by_key && !is_closed(counted->status)) {
        auto key = open_item_held_ ? std::move(open_item_held_->first) : std::move(open_item_read_->first);
        open_item_held_.emplace(std::move(key), std::move(*counted));
        open_item_read_.reset();
    } else
        forget_open_item();
    return out;
}

std::int64_t pg_store::insert_delivery(const delivery& d) {
    pg_params params;
    bind_delivery(params, d);
    auto id = run("INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, "
                  "next_attempt_at, platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, "
                  "user_id, payload, queued_at, workspace, reply_url) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) "
                  "RETURNING id",
                  params);
    return read_one<std::int64_t>(id, read_int64).value_or(0);
}

std::optional<signal> pg_store::find_signal(std::int64_t id) {
    auto rows = run_with(CXOS_SELECT_SIGNALS "WHERE id = $1", id);
    return read_one<signal>(rows, read_signal);
}

std::optional<signal> pg_store::find_signal_by_message(std::string_view platform, std::string_view channel,
                                                       std::string_view message_ts) {
    auto rows = run_with(CXOS_SELECT_SIGNALS "WHERE channel_id = $1 AND message_ts = $2 AND platform = $3 "
                         "ORDER BY id LIMIT 1", channel, message_ts, platform);
    return read_one<signal>(rows, read_signal);
}

std::vector<signal> pg_store::signals_of_item(std::int64_t item_id) {
    auto rows = run_with(CXOS_SELECT_SIGNALS "WHERE item_id = $1 ORDER BY id", item_id);
    return read_all<signal>(rows, read_signal);
}

std::vector<delivery> pg_store::deliveries_for_signal(std::int64_t signal_id) {
    auto rows = run_with(CXOS_SELECT_DELIVERIES "WHERE signal_id = $1 OR (item_id <> 0 AND item_id = "
                         "(SELECT item_id FROM signals WHERE id = $1) AND kind = 'routed_item') ORDER BY id", signal_id);
    return read_all<delivery>(rows, read_delivery);
}

std::optional<delivery> pg_store::find_delivery(std::int64_t id) {
    auto rows = run_with(CXOS_SELECT_DELIVERIES "WHERE id = $1", id);
    return read_one<delivery>(rows, read_delivery);
}

std::optional<delivery> pg_store::channel_head(std::string_view platform, std::string_view channel) {
    auto rows = run_with(CXOS_SELECT_DELIVERIES "WHERE platform = $1 AND channel = $2 AND state IN ('pending','sending') "
                         "ORDER BY id LIMIT 1", platform, channel);
    return read_one<delivery>(rows, read_delivery);
}

bool pg_store::has_pending_update(std::int64_t parent_id) {
    pg_params params;
    params.bind(1, parent_id);
    return kept_run("SELECT 1 FROM deliveries WHERE parent_id = $1 AND kind = 'item_update' AND state = 'pending' "
                    "LIMIT 1", params).step();
}

std::vector<std::pair<std::string, std::string>> pg_store::open_channels() {
    auto rows = run("SELECT DISTINCT platform, channel FROM deliveries WHERE state IN ('pending','sending')");
    return read_all<std::pair<std::string, std::string>>(rows, read_channel);
}

void pg_store::update_delivery(const delivery& d) {
    // A finished row forgets its response_url: a credential, kept no longer than it is of use.
    run_with("UPDATE deliveries SET state = $1, attempts = $2, next_attempt_at = $3, platform_ref = $4, "
             "last_error = $5, updated_at = $6, "
             "reply_url = CASE WHEN $1 IN ('sent','dead') THEN '' ELSE reply_url END WHERE id = $7",
             to_string(d.state), d.attempts, d.next_attempt_at, d.platform_ref, d.last_error, d.updated_at, d.id);
}

std::int64_t pg_store::outbox_depth() {
    auto rows = run("SELECT count(*) FROM deliveries WHERE state IN ('pending','sending')");
    return read_one<std::int64_t>(rows, read_int64).value_or(0);
}

std::vector<delivery> pg_store::dead_deliveries(std::string_view channel, millis since) {
    auto rows = run_with(CXOS_SELECT_DELIVERIES "WHERE state = 'dead' AND ($1 = '' OR channel = $1) AND updated_at >= $2 "
                         "ORDER BY id", channel, since);
    return read_all<delivery>(rows, read_delivery);
}

std::optional<std::int64_t> pg_store::first_signal_from(std::int64_t item_id, std::string_view platform,
                                                        std::string_view team_id) {
    auto rows = run_with("SELECT min(id) FROM signals WHERE item_id = $1 AND platform = $2 AND team_id = $3", item_id,
                         platform, team_id);
    if (!rows.step() || rows.is_null(0)) return std::nullopt;
    return rows.int64(0);
}

bool pg_store::ping() {
    try {
        auto rows = run("SELECT 1");
        return rows.step() && rows.int64(0) == 1;
    } catch (const store_error&) {
        return false;
    }
}

} // namespace cxos::storage
