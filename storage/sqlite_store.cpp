#include "storage/sqlite_store.hpp"

#include "storage/migrations.hpp"

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

constexpr const char* delivery_columns =
    "id, signal_id, kind, platform, channel, state, attempts, next_attempt_at, platform_ref, "
    "last_error, updated_at";

std::string select_deliveries(const char* tail) {
    return std::string("SELECT ") + delivery_columns + " FROM deliveries " + tail;
}

} // namespace

sqlite_store::sqlite_store(const std::string& path)
    : lock_fd_(lock_database(path)), db_(prepared_path(path)) {
    sqlite3_busy_timeout(db_.get(), 5000);
    // WAL lets readers proceed during a commit; FULL makes an acknowledged commit survive power loss.
    db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    migrate();
    insert_signal_ = std::make_unique<sqlite_statement>(
        db_, "INSERT INTO signals (platform, team_id, channel_id, user_id, user_name, description, "
             "stage, component, severity, owner, rule, reason, created_at) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insert_delivery_ = std::make_unique<sqlite_statement>(
        db_, "INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, "
             "next_attempt_at, platform_ref, last_error, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    find_signal_ = std::make_unique<sqlite_statement>(
        db_, "SELECT id, platform, team_id, channel_id, user_id, user_name, description, stage, "
             "component, severity, owner, rule, reason, created_at FROM signals WHERE id = ?");
    deliveries_for_signal_ = std::make_unique<sqlite_statement>(
        db_, select_deliveries("WHERE signal_id = ? ORDER BY id").c_str());
    channel_head_ = std::make_unique<sqlite_statement>(
        db_, select_deliveries("WHERE platform = ? AND channel = ? AND state IN ('pending','sending') "
                               "ORDER BY id LIMIT 1")
                 .c_str());
    open_channels_ = std::make_unique<sqlite_statement>(
        db_, "SELECT DISTINCT platform, channel FROM deliveries WHERE state IN ('pending','sending')");
    // Transaction control runs once or twice per request: prepare it once, like the rest.
    begin_ = std::make_unique<sqlite_statement>(db_, "BEGIN IMMEDIATE");
    commit_ = std::make_unique<sqlite_statement>(db_, "COMMIT");
    rollback_ = std::make_unique<sqlite_statement>(db_, "ROLLBACK");
    savepoint_ = std::make_unique<sqlite_statement>(db_, "SAVEPOINT request");
    release_ = std::make_unique<sqlite_statement>(db_, "RELEASE request");
    rollback_to_ = std::make_unique<sqlite_statement>(db_, "ROLLBACK TO request");
    update_delivery_ = std::make_unique<sqlite_statement>(
        db_, "UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, platform_ref = ?, "
             "last_error = ?, updated_at = ? WHERE id = ?");
    outbox_depth_ = std::make_unique<sqlite_statement>(
        db_, "SELECT count(*) FROM deliveries WHERE state IN ('pending','sending')");
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
    if (current > steps.size())
        throw store_error("database schema version " + std::to_string(current) +
                          " is newer than this cxos (" + std::to_string(steps.size()) + ")");
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
}

void sqlite_store::begin() { begin_->run(); }
void sqlite_store::commit() { commit_->run(); }
void sqlite_store::rollback() { rollback_->run(); }
void sqlite_store::savepoint() { savepoint_->run(); }
void sqlite_store::release_savepoint() { release_->run(); }
void sqlite_store::rollback_to_savepoint() {
    rollback_to_->run();
    release_->run();
}

std::int64_t sqlite_store::insert_signal(const signal& s) {
    auto& st = *insert_signal_;
    st.bind(1, s.source.platform).bind(2, s.source.team_id).bind(3, s.source.channel_id);
    st.bind(4, s.source.user_id).bind(5, s.source.user_name).bind(6, s.description);
    st.bind(7, s.stage);
    if (s.comp) st.bind(8, to_slug(*s.comp));
    else st.bind_null(8);
    st.bind(9, to_string(s.sev)).bind(10, s.route.owner).bind(11, s.route.rule);
    st.bind(12, s.route.reason).bind(13, s.created_at);
    st.run();
    return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t sqlite_store::insert_delivery(const delivery& d) {
    auto& st = *insert_delivery_;
    st.bind(1, d.signal_id).bind(2, d.kind).bind(3, d.platform).bind(4, d.channel);
    st.bind(5, to_string(d.state)).bind(6, d.attempts).bind(7, d.next_attempt_at);
    st.bind(8, d.platform_ref).bind(9, d.last_error).bind(10, d.updated_at);
    st.run();
    return sqlite3_last_insert_rowid(db_.get());
}

std::optional<signal> sqlite_store::find_signal(std::int64_t id) {
    auto& st = *find_signal_;
    st.bind(1, id);
    if (!st.step()) {
        st.reset();
        return std::nullopt;
    }
    signal s;
    s.id = st.int64(0);
    s.source = {st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
    s.description = st.text(6);
    s.stage = st.text(7);
    if (!st.is_null(8)) s.comp = parse_component(st.text(8));
    s.sev = parse_severity(st.text(9)).value_or(severity::medium);
    s.route = {st.text(10), st.text(11), st.text(12)};
    s.created_at = st.int64(13);
    st.reset();
    return s;
}

delivery sqlite_store::read_delivery(const sqlite_statement& st) const {
    delivery d;
    d.id = st.int64(0);
    d.signal_id = st.int64(1);
    d.kind = st.text(2);
    d.platform = st.text(3);
    d.channel = st.text(4);
    d.state = parse_delivery_state(st.text(5)).value_or(delivery_state::pending);
    d.attempts = static_cast<int>(st.int64(6));
    d.next_attempt_at = st.int64(7);
    d.platform_ref = st.text(8);
    d.last_error = st.text(9);
    d.updated_at = st.int64(10);
    return d;
}

std::vector<delivery> sqlite_store::deliveries_for_signal(std::int64_t signal_id) {
    auto& st = *deliveries_for_signal_;
    st.bind(1, signal_id);
    std::vector<delivery> out;
    while (st.step()) out.push_back(read_delivery(st));
    st.reset();
    return out;
}

std::optional<delivery> sqlite_store::channel_head(std::string_view platform, std::string_view channel) {
    auto& st = *channel_head_;
    st.bind(1, platform).bind(2, channel);
    std::optional<delivery> head;
    if (st.step()) head = read_delivery(st);
    st.reset();
    return head;
}

std::vector<std::pair<std::string, std::string>> sqlite_store::open_channels() {
    auto& st = *open_channels_;
    std::vector<std::pair<std::string, std::string>> out;
    while (st.step()) out.emplace_back(st.text(0), st.text(1));
    st.reset();
    return out;
}

void sqlite_store::update_delivery(const delivery& d) {
    auto& st = *update_delivery_;
    st.bind(1, to_string(d.state)).bind(2, d.attempts).bind(3, d.next_attempt_at);
    st.bind(4, d.platform_ref).bind(5, d.last_error).bind(6, d.updated_at).bind(7, d.id);
    st.run();
}

std::int64_t sqlite_store::outbox_depth() {
    auto& st = *outbox_depth_;
    st.step();
    auto n = st.int64(0);
    st.reset();
    return n;
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
