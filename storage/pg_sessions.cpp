// pg_store: people signed in to the dashboard.
#include "storage/pg_store.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

void pg_store::insert_dashboard_session(const dashboard_session& s) {
    run_with("DELETE FROM dashboard_sessions WHERE expires_at < $1", s.created_at);
    run_with("INSERT INTO dashboard_sessions (id_hash, platform, team_id, user_id, user_name, created_at, "
             "last_seen_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
             s.id_hash, s.platform, s.team_id, s.user_id, s.user_name, s.created_at, s.last_seen_at, s.expires_at);
}

std::optional<dashboard_session> pg_store::use_dashboard_session(std::string_view id_hash, millis now, millis idle_ms) {
    auto rows = run_with(CXOS_SELECT_DASHBOARD_SESSIONS "WHERE id_hash = $1", id_hash);
    auto s = read_one<dashboard_session>(rows, read_dashboard_session);
    if (!s) return s;
    if (dashboard_session_ended(*s, now, idle_ms)) {
        delete_dashboard_session(id_hash);
        return std::nullopt;
    }
    if (dashboard_session_touch_due(*s, now)) {
        run_with("UPDATE dashboard_sessions SET last_seen_at = $1 WHERE id_hash = $2", now, id_hash);
        s->last_seen_at = now;
    }
    return s;
}

bool pg_store::delete_dashboard_session(std::string_view id_hash) {
    return run_with("DELETE FROM dashboard_sessions WHERE id_hash = $1", id_hash).affected() > 0;
}

int pg_store::revoke_dashboard_sessions(std::string_view user_id) {
    return static_cast<int>(run_with("DELETE FROM dashboard_sessions WHERE user_id = $1", user_id).affected());
}

int pg_store::end_dashboard_sessions_of(std::string_view platform, std::string_view user_id) {
    return static_cast<int>(
        run_with("DELETE FROM dashboard_sessions WHERE user_id = $1 AND platform = $2", user_id, platform).affected());
}

int pg_store::live_dashboard_sessions_of(std::string_view platform, std::string_view user_id, millis now, millis idle_ms) {
    auto rows = run_with(CXOS_SELECT_DASHBOARD_SESSIONS "WHERE user_id = $1 AND platform = $2", user_id, platform);
    return live_dashboard_sessions(read_all<dashboard_session>(rows, read_dashboard_session), now, idle_ms);
}

} // namespace cxos::storage
