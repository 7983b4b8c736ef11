// sqlite_store: Slack installations and the state of started OAuth flows.
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

namespace {
constexpr millis day_ms = 24LL * 3600 * 1000;
} // namespace

void sqlite_store::save_slack_installation(const slack_installation& i) {
    // Installing again (new scopes, a reinstall after an uninstall) replaces the tokens, but the
    // workspace keeps its first install time.
    auto& st = sql("INSERT INTO slack_installations (workspace, team_id, enterprise_id, team_name, bot_user_id, "
                   "bot_token, refresh_token, expires_at, scopes, installed_by, installed_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (workspace) DO UPDATE SET "
                   "team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, team_name = excluded.team_name, "
                   "bot_user_id = excluded.bot_user_id, bot_token = excluded.bot_token, "
                   "refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, scopes = excluded.scopes, "
                   "installed_by = excluded.installed_by, updated_at = excluded.updated_at");
    bind_slack_installation(st, i);
    st.run();
}

std::optional<slack_installation> sqlite_store::find_slack_installation(std::string_view workspace) {
    auto& st = sql(CXOS_SELECT_SLACK_INSTALLATIONS "WHERE workspace = ?");
    st.bind(1, workspace);
    return read_one<slack_installation>(st, read_slack_installation);
}

std::vector<slack_installation> sqlite_store::slack_installations() {
    auto& st = sql(CXOS_SELECT_SLACK_INSTALLATIONS "ORDER BY workspace");
    return read_all<slack_installation>(st, read_slack_installation);
}

bool sqlite_store::remove_slack_installation(std::string_view workspace) {
    auto& st = sql("DELETE FROM slack_installations WHERE workspace = ?");
    st.bind(1, workspace);
    st.run();
    return changes() > 0;
}

void sqlite_store::insert_oauth_state(const oauth_state& s) {
    // A replay must still be told apart from a forgery for a while: a used state is kept a day.
    auto& prune = sql("DELETE FROM oauth_states WHERE expires_at < ?");
    prune.bind(1, s.created_at - day_ms);
    prune.run();
    auto& st = sql("INSERT INTO oauth_states (state_hash, browser_hash, purpose, created_at, expires_at, used_at) "
                   "VALUES (?,?,?,?,?,0)");
    st.bind(1, s.state_hash).bind(2, s.browser_hash).bind(3, s.purpose).bind(4, s.created_at).bind(5, s.expires_at);
    st.run();
}

std::optional<oauth_state> sqlite_store::use_oauth_state(std::string_view state_hash, millis now) {
    auto& read = sql("SELECT state_hash, browser_hash, purpose, created_at, expires_at, used_at FROM oauth_states "
                     "WHERE state_hash = ?");
    read.bind(1, state_hash);
    auto before = read_one<oauth_state>(read, read_oauth_state);
    if (before && before->used_at == 0) {
        auto& use = sql("UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at = 0");
        use.bind(1, now).bind(2, state_hash);
        use.run();
    }
    return before;
}

} // namespace cxos::storage
