// pg_store: Slack installations and the state of started OAuth flows.
#include "storage/pg_store.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

namespace {
constexpr millis day_ms = 24LL * 3600 * 1000;
} // namespace

void pg_store::save_slack_installation(const slack_installation& i) {
    pg_params params;
    bind_slack_installation(params, i);
    run("INSERT INTO slack_installations (workspace, team_id, enterprise_id, team_name, bot_user_id, "
        "bot_token, refresh_token, expires_at, scopes, installed_by, installed_at, updated_at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (workspace) DO UPDATE SET "
        "team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, team_name = excluded.team_name, "
        "bot_user_id = excluded.bot_user_id, bot_token = excluded.bot_token, "
        "refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, scopes = excluded.scopes, "
        "installed_by = excluded.installed_by, updated_at = excluded.updated_at",
        params);
}

std::optional<slack_installation> pg_store::find_slack_installation(std::string_view workspace) {
    auto rows = run_with(CXOS_SELECT_SLACK_INSTALLATIONS "WHERE workspace = $1", workspace);
    return read_one<slack_installation>(rows, read_slack_installation);
}

std::vector<slack_installation> pg_store::slack_installations() {
    auto rows = run(CXOS_SELECT_SLACK_INSTALLATIONS "ORDER BY workspace");
    return read_all<slack_installation>(rows, read_slack_installation);
}

bool pg_store::remove_slack_installation(std::string_view workspace) {
    auto rows = run_with("DELETE FROM slack_installations WHERE workspace = $1 RETURNING workspace", workspace);
    return rows.step();
}

void pg_store::insert_oauth_state(const oauth_state& s) {
    run_with("DELETE FROM oauth_states WHERE expires_at < $1", s.created_at - day_ms);
    run_with("INSERT INTO oauth_states (state_hash, browser_hash, purpose, created_at, expires_at, used_at) "
             "VALUES ($1,$2,$3,$4,$5,0)",
             s.state_hash, s.browser_hash, s.purpose, s.created_at, s.expires_at);
}

std::optional<oauth_state> pg_store::use_oauth_state(std::string_view state_hash, millis now) {
    // Two instances given the same state at once: the row lock makes exactly one see it unused.
    auto rows = run_with("SELECT state_hash, browser_hash, purpose, created_at, expires_at, used_at FROM oauth_states "
                         "WHERE state_hash = $1 FOR UPDATE",
                         state_hash);
    auto before = read_one<oauth_state>(rows, read_oauth_state);
    if (before && before->used_at == 0)
        run_with("UPDATE oauth_states SET used_at = $1 WHERE state_hash = $2", now, state_hash);
    return before;
}

} // namespace cxos::storage
