// sqlite_store: people signed in to the dashboard.
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

void sqlite_store::insert_dashboard_session(const dashboard_session& s) {
    auto& prune = sql("DELETE FROM dashboard_sessions WHERE expires_at < ?");
    prune.bind(1, s.created_at);
    prune.run();
    auto& st = sql("INSERT INTO dashboard_sessions (id_hash, platform, team_id, user_id, user_name, created_at, "
                   "last_seen_at, expires_at) VALUES (?,?,?,?,?,?,?,?)");
    st.bind(1, s.id_hash).bind(2, s.platform).bind(3, s.team_id).bind(4, s.user_id).bind(5, s.user_name);
    st.bind(6, s.created_at).bind(7, s.last_seen_at).bind(8, s.expires_at);
    st.run();
}

std::optional<dashboard_session> sqlite_store::use_dashboard_session(std::string_view id_hash, millis now,
                                                                     millis idle_ms) {
    auto& read = sql(CXOS_SELECT_DASHBOARD_SESSIONS "WHERE id_hash = ?");
    read.bind(1, id_hash);
    auto s = read_one<dashboard_session>(read, read_dashboard_session);
    if (!s) return s;
    if (dashboard_session_ended(*s, now, idle_ms)) {
        delete_dashboard_session(id_hash);
        return std::nullopt;
    }
    if (dashboard_session_touch_due(*s, now)) {
        auto& touch = sql("UPDATE dashboard_sessions SET last_seen_at = ? WHERE id_hash = ?");
        touch.bind(1, now).bind(2, id_hash);
        touch.run();
        s->last_seen_at = now;
    }
    return s;
}

bool sqlite_store::delete_dashboard_session(std::string_view id_hash) {
    auto& st = sql("DELETE FROM dashboard_sessions WHERE id_hash = ?");
    st.bind(1, id_hash);
    st.run();
    return changes() > 0;
}

int sqlite_store::revoke_dashboard_sessions(std::string_view user_id) {
    auto& st = sql("DELETE FROM dashboard_sessions WHERE user_id = ?");
    st.bind(1, user_id);
    st.run();
    return changes();
}

int sqlite_store::end_dashboard_sessions_of(std::string_view platform, std::string_view user_id) {
    auto& st = sql("DELETE FROM dashboard_sessions WHERE user_id = ? AND platform = ?");
    st.bind(1, user_id).bind(2, platform);
    st.run();
    return changes();
}

int sqlite_store::live_dashboard_sessions_of(std::string_view platform, std::string_view user_id, millis now,
                                             millis idle_ms) {
    auto& st = sql(CXOS_SELECT_DASHBOARD_SESSIONS "WHERE user_id = ? AND platform = ?");
    st.bind(1, user_id).bind(2, platform);
    return live_dashboard_sessions(read_all<dashboard_session>(st, read_dashboard_session), now, idle_ms);
}

} // namespace cxos::storage
