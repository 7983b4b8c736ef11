#include "storage/sqlite_store.hpp"

#include "storage/migrations.hpp"
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace cxos::storage {
namespace {

void ensure_parent_directory(const std::string& path) {
    if (path == ":memory:" || path.rfind("file:", 0) == 0) return;
    auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) throw store_error("cannot create directory '" + parent.string() + "': " + ec.message());
}

const std::string& prepared_path(const std::string& path) {
    ensure_parent_directory(path);
    return path;
}

// Two servers on one file would both deliver the same outbox rows: refuse the second.
int lock_database(const std::string& path) {
    if (path == ":memory:" || path.rfind("file:", 0) == 0) return -1;
    ensure_parent_directory(path);
    const std::string lock_path = path + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw store_error("cannot open lock file '" + lock_path + "': " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw store_error("another cxos process is already serving '" + path + "'");
    }
    return fd;
}

} // namespace

sqlite_store::sqlite_store(const std::string& path, double max_size_mb, bool serve_lock)
    : lock_fd_(serve_lock ? lock_database(path) : -1), db_(prepared_path(path)) {
    sqlite3_busy_timeout(db_.get(), 5000);
    // WAL lets readers proceed during a commit; FULL makes an acknowledged commit survive power loss.
    db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    migrate();
    if (max_size_mb > 0) {
        sqlite_statement page_size(db_, "PRAGMA page_size");
        page_size.step();
        const auto pages = static_cast<long long>(max_size_mb * 1024 * 1024 / page_size.int64(0));
        db_.exec(("PRAGMA max_page_count = " + std::to_string(std::max(1LL, pages))).c_str());
    }
}

sqlite_store::~sqlite_store() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void sqlite_store::migrate() {
    sqlite_statement version(db_, "PRAGMA user_version");
    version.step();
    auto current = static_cast<std::size_t>(version.int64(0));
    version.reset();
    const auto& steps = sqlite_migrations();
    check_schema_version(current, steps.size());
    const bool items_are_new = current < 2 && steps.size() >= 2;
    for (std::size_t v = current; v < steps.size(); ++v) {
        db_.exec("BEGIN IMMEDIATE");
        try {
            db_.exec(steps[v]);
            db_.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
            db_.exec("COMMIT");
        } catch (...) {
            db_.exec("ROLLBACK");
            throw;
        }
    }
    if (items_are_new) {
        // Items made from older signals get the same key new signals are matched by, which SQL
        // alone cannot compute.
        db_.exec("BEGIN IMMEDIATE");
        sqlite_statement all(db_, "SELECT id, title FROM items");
        sqlite_statement set(db_, "UPDATE items SET key = ? WHERE id = ?");
        while (all.step()) set.bind(1, item_key(all.text(1))).bind(2, all.int64(0)).run();
        all.reset();
        db_.exec("COMMIT");
    }
}

sqlite_statement& sqlite_store::prepared(const char* text) {
    auto& slot = statements_[text];
    if (!slot) slot = std::make_unique<sqlite_statement>(db_, text);
    return *slot;
}

sqlite_statement& sqlite_store::sql(const char* text) {
    if (!pending_counts_.empty()) flush_counts();
    open_item_read_.reset();
    return prepared(text);
}

void sqlite_store::begin() {
    prepared("BEGIN IMMEDIATE").run();
    forget_pending();
    in_transaction_ = true;
}

void sqlite_store::commit() {
    flush_counts();
    open_item_read_.reset();
    prepared("COMMIT").run(); // with the last job's savepoint, if it is still open
    in_transaction_ = in_savepoint_ = false;
    undo_.clear();
}

void sqlite_store::rollback() {
    forget_pending();
    in_transaction_ = in_savepoint_ = false;
    prepared("ROLLBACK").run();
}

void sqlite_store::savepoint() {
    prepared("SAVEPOINT request").run();
    undo_.clear();
    in_savepoint_ = true;
}

void sqlite_store::release_savepoint() {
    prepared("RELEASE request").run();
    undo_.clear();
    in_savepoint_ = false;
}

void sqlite_store::rollback_to_savepoint() {
    // The pending counts go back with the rows, newest change first.
    for (auto u = undo_.rbegin(); u != undo_.rend(); ++u) {
        if (u->before) pending_counts_[u->item_id] = *u->before;
        else pending_counts_.erase(u->item_id);
    }
    undo_.clear();
    open_item_read_.reset();
    in_savepoint_ = false;
    prepared("ROLLBACK TO request").run();
    prepared("RELEASE request").run();
}

counted_signal sqlite_store::insert_counted_signal(const signal& s) {
    counted_signal out;
    if (s.item_id != 0) out.counts = count_report(s.item_id, s);
    auto& st = prepared("INSERT INTO signals (platform, team_id, channel_id, user_id, user_name, description, "
                   "stage, component, severity, owner, rule, reason, created_at, item_id, customer, link, "
                   "message_ts, thread_ts, permalink, external_id, contacts, error_rate) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_signal(st, s);
    st.run();
    out.id = last_id();
    return out;
}

std::int64_t sqlite_store::insert_delivery(const delivery& d) {
    auto& st = sql("INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, "
                   "next_attempt_at, platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, "
                   "user_id, payload, queued_at, workspace, reply_url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_delivery(st, d);
    st.run();
    return last_id();
}

std::optional<signal> sqlite_store::find_signal(std::int64_t id) {
    auto& st = sql(CXOS_SELECT_SIGNALS "WHERE id = ?");
    st.bind(1, id);
    return read_one<signal>(st, read_signal);
}

std::optional<signal> sqlite_store::find_signal_by_message(std::string_view platform, std::string_view channel,
                                                           std::string_view message_ts) {
    auto& st = sql(CXOS_SELECT_SIGNALS "WHERE channel_id = ? AND message_ts = ? AND platform = ? ORDER BY id LIMIT 1");
    st.bind(1, channel).bind(2, message_ts).bind(3, platform);
    return read_one<signal>(st, read_signal);
}

std::vector<signal> sqlite_store::signals_of_item(std::int64_t item_id) {
    auto& st = sql(CXOS_SELECT_SIGNALS "WHERE item_id = ? ORDER BY id");
    st.bind(1, item_id);
    return read_all<signal>(st, read_signal);
}

std::vector<delivery> sqlite_store::deliveries_for_signal(std::int64_t signal_id) {
    auto& st = sql(CXOS_SELECT_DELIVERIES "WHERE signal_id = ? OR (item_id <> 0 AND item_id = "
                   "(SELECT item_id FROM signals WHERE id = ?) AND kind = 'routed_item') ORDER BY id");
    st.bind(1, signal_id).bind(2, signal_id);
    return read_all<delivery>(st, read_delivery);
}

std::optional<delivery> sqlite_store::find_delivery(std::int64_t id) {
    auto& st = sql(CXOS_SELECT_DELIVERIES "WHERE id = ?");
    st.bind(1, id);
    return read_one<delivery>(st, read_delivery);
}

std::optional<delivery> sqlite_store::channel_head(std::string_view platform, std::string_view channel) {
    auto& st = sql(CXOS_SELECT_DELIVERIES "WHERE platform = ? AND channel = ? AND state IN ('pending','sending') "
                   "ORDER BY id LIMIT 1");
    st.bind(1, platform).bind(2, channel);
    return read_one<delivery>(st, read_delivery);
}

bool sqlite_store::has_pending_update(std::int64_t parent_id) {
    auto& st = prepared("SELECT 1 FROM deliveries WHERE parent_id = ? AND kind = 'item_update' AND state = 'pending' LIMIT 1");
    return st.bind(1, parent_id).finds_row();
}

std::vector<std::pair<std::string, std::string>> sqlite_store::open_channels() {
    auto& st = sql("SELECT DISTINCT platform, channel FROM deliveries WHERE state IN ('pending','sending')");
    return read_all<std::pair<std::string, std::string>>(st, read_channel);
}

void sqlite_store::update_delivery(const delivery& d) {
    // A finished row forgets its response_url: a credential, kept no longer than it is of use.
    auto& st = sql("UPDATE deliveries SET state = ?1, attempts = ?2, next_attempt_at = ?3, platform_ref = ?4, "
                   "last_error = ?5, updated_at = ?6, "
                   "reply_url = CASE WHEN ?1 IN ('sent','dead') THEN '' ELSE reply_url END WHERE id = ?7");
    st.bind(1, to_string(d.state)).bind(2, d.attempts).bind(3, d.next_attempt_at);
    st.bind(4, d.platform_ref).bind(5, d.last_error).bind(6, d.updated_at).bind(7, d.id);
    st.run();
}

std::int64_t sqlite_store::outbox_depth() {
    auto& st = sql("SELECT count(*) FROM deliveries WHERE state IN ('pending','sending')");
    st.step();
    auto n = st.int64(0);
    st.reset();
    return n;
}

std::vector<delivery> sqlite_store::dead_deliveries(std::string_view channel, millis since) {
    auto& st = sql(CXOS_SELECT_DELIVERIES "WHERE state = 'dead' AND (?1 = '' OR channel = ?1) AND updated_at >= ?2 "
                   "ORDER BY id");
    st.bind(1, channel).bind(2, since);
    return read_all<delivery>(st, read_delivery);
}

std::optional<std::int64_t> sqlite_store::first_signal_from(std::int64_t item_id, std::string_view platform,
                                                            std::string_view team_id) {
    auto& st = sql("SELECT min(id) FROM signals WHERE item_id = ? AND platform = ? AND team_id = ?");
    st.bind(1, item_id).bind(2, platform).bind(3, team_id);
    std::optional<std::int64_t> out;
    if (st.step() && !st.is_null(0)) out = st.int64(0);
    st.reset();
    return out;
}

bool sqlite_store::ping() {
    try {
        sqlite_statement st(db_, "SELECT 1");
        return st.step() && st.int64(0) == 1;
    } catch (const store_error&) {
        return false;
    }
}

} // namespace cxos::storage
