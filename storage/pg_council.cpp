// pg_store: Experience Council runs and agenda entries, votes, closed loops, settings, Teams routes.
#include "storage/pg_store.hpp"
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

std::int64_t pg_store::insert_council_run(const council_run& r) {
    // A second scheduled run of a week conflicts (also one another instance is committing: this
    // insert waits for it) and inserts nothing: 0, as on SQLite.
    auto id = run_with("INSERT INTO council_runs (week, week_number, trigger, actor, scheduled_at, posted_at, "
                       "parent_delivery_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
                       r.week, r.week_number, r.trigger, r.actor, r.scheduled_at, r.posted_at, r.parent_delivery_id);
    return read_one<std::int64_t>(id, read_int64).value_or(0);
}

void pg_store::set_council_parent(std::int64_t run_id, std::int64_t delivery_id) {
    run_with("UPDATE council_runs SET parent_delivery_id = $1 WHERE id = $2", delivery_id, run_id);
}

bool pg_store::council_week_posted(std::string_view week) {
    return run_with("SELECT 1 FROM council_runs WHERE week = $1 AND trigger = 'scheduled'", week).step();
}

void pg_store::insert_council_entry(const council_entry_ref& e) {
    run_with("INSERT INTO council_entries (run_id, item_id, rank, delivery_id) VALUES ($1, $2, $3, $4)",
             e.run_id, e.item_id, e.rank, e.delivery_id);
}

void pg_store::set_council_teams_reply(std::int64_t run_id, std::int64_t item_id, std::int64_t delivery_id) {
    run_with("UPDATE council_entries SET teams_delivery_id = $1 WHERE run_id = $2 AND item_id = $3",
             delivery_id, run_id, item_id);
}

std::vector<agenda_candidate> pg_store::council_candidates() {
    candidate_list out;
    auto items = run(CXOS_SELECT_ITEMS "WHERE status IN ('new','routed','acknowledged','in_progress','regressed') ORDER BY id");
    while (items.step()) out.add_item(read_item(items));
    auto weeks = run("SELECT DISTINCT ON (e.item_id) e.item_id, r.id, r.week_number FROM council_entries e "
                     "JOIN council_runs r ON r.id = e.run_id ORDER BY e.item_id, r.id DESC");
    while (weeks.step()) out.set_last_week(weeks.int64(0), static_cast<int>(weeks.int64(2)));
    auto votes = run("SELECT v.item_id, v.platform, v.member, v.value, v.via, v.at FROM votes v JOIN items i "
                     "ON i.id = v.item_id WHERE i.status IN ('new','routed','acknowledged','in_progress','regressed') "
                     "ORDER BY v.at, v.member");
    while (votes.step()) out.add_vote(read_vote(votes));
    return out.take();
}

std::optional<council_entry_ref> pg_store::find_council_entry(std::int64_t delivery_id) {
    auto rows = run_with("SELECT e.run_id, e.item_id, e.rank, e.delivery_id, r.week_number FROM council_entries e "
                         "JOIN council_runs r ON r.id = e.run_id WHERE e.delivery_id = $1", delivery_id);
    return read_one<council_entry_ref>(rows, read_council_entry);
}

std::optional<council_entry_ref> pg_store::find_council_entry_by_message(std::string_view platform,
                                                                         std::string_view channel,
                                                                         std::string_view message_ref) {
    auto rows = run_with("SELECT e.run_id, e.item_id, e.rank, e.delivery_id, r.week_number FROM deliveries d "
                         "JOIN council_entries e ON e.delivery_id = d.id JOIN council_runs r ON r.id = e.run_id "
                         "WHERE d.platform = $1 AND d.channel = $2 AND d.platform_ref = $3 AND d.platform_ref <> ''",
                         platform, channel, message_ref);
    return read_one<council_entry_ref>(rows, read_council_entry);
}

std::vector<std::int64_t> pg_store::council_deliveries_of_item(std::int64_t item_id) {
    auto rows = run_with("SELECT delivery_id FROM council_entries WHERE item_id = $1 UNION ALL "
                         "SELECT teams_delivery_id FROM council_entries WHERE item_id = $1 AND teams_delivery_id <> 0 "
                         "ORDER BY 1", item_id);
    return read_all<std::int64_t>(rows, read_int64);
}

void pg_store::set_vote(const vote& v) {
    run_with("INSERT INTO votes (item_id, platform, member, value, via, at) VALUES ($1, $2, $3, $4, $5, $6) "
             "ON CONFLICT (item_id, platform, member) DO UPDATE SET value = excluded.value, "
             "via = excluded.via, at = excluded.at",
             v.item_id, v.platform, v.member, v.value, v.via, v.at);
}

bool pg_store::remove_vote(std::int64_t item_id, std::string_view platform, std::string_view member, int value) {
    return run_with("DELETE FROM votes WHERE item_id = $1 AND platform = $2 AND member = $3 AND value = $4",
                    item_id, platform, member, value).affected() > 0;
}

std::vector<vote> pg_store::votes_of_item(std::int64_t item_id) {
    auto rows = run_with(CXOS_SELECT_VOTES "WHERE item_id = $1 ORDER BY at, member", item_id);
    return read_all<vote>(rows, read_vote);
}

int pg_store::signals_since(millis since) {
    auto rows = run_with("SELECT count(*) FROM signals WHERE created_at >= $1", since);
    return static_cast<int>(read_one<std::int64_t>(rows, read_int64).value_or(0));
}

int pg_store::open_item_count() {
    auto rows = run("SELECT count(*) FROM items WHERE status IN ('new','routed','acknowledged','in_progress','regressed')");
    return static_cast<int>(read_one<std::int64_t>(rows, read_int64).value_or(0));
}

void pg_store::insert_loop_notice(std::int64_t item_id, const reporter_ref& to, std::int64_t delivery_id, millis at) {
    run_with("INSERT INTO loop_notices (item_id, platform, user_id, signal_id, delivery_id, queued_at) "
             "VALUES ($1, $2, $3, $4, $5, $6) " CXOS_LOOP_NOTICE_CONFLICT,
             item_id, to.platform, to.user_id, to.signal_id, delivery_id, at);
}

std::vector<loop_notice_row> pg_store::loop_notices_of_item(std::int64_t item_id) {
    auto rows = run_with("SELECT n.platform, n.user_id, n.queued_at, (coalesce(d.state = 'sent', false))::int, "
                         "CASE WHEN d.state = 'sent' THEN d.updated_at ELSE 0 END "
                         "FROM loop_notices n LEFT JOIN deliveries d ON d.id = n.delivery_id WHERE n.item_id = $1 "
                         "ORDER BY n.queued_at, n.platform, n.user_id",
                         item_id);
    return read_all<loop_notice_row>(rows, read_loop_notice);
}

closed_loop_stats pg_store::closed_loops() {
    auto rows = run("SELECT i.first_seen, count(n.user_id), count(*) FILTER (WHERE d.state = 'sent'), "
                    "max(CASE WHEN d.state = 'sent' THEN d.updated_at END) FROM items i "
                    "LEFT JOIN loop_notices n ON n.item_id = i.id LEFT JOIN deliveries d ON d.id = n.delivery_id "
                    "WHERE i.status = 'fixed' GROUP BY i.id ORDER BY i.id");
    closed_loop_stats out;
    while (rows.step()) count_fixed_item(out, rows.int64(0), rows.int64(1), rows.int64(2), rows.int64(3));
    return out;
}

std::optional<std::string> pg_store::setting(std::string_view key) {
    auto rows = run_with("SELECT value FROM settings WHERE key = $1", key);
    return read_one<std::string>(rows, read_text);
}

void pg_store::set_setting(std::string_view key, std::string_view value) {
    run_with("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             key, value);
}

void pg_store::save_teams_route(const teams_route& r) {
    run_with("INSERT INTO teams_conversations (conversation, service_url, tenant_id, team_id, team_name, updated_at) "
             "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (conversation) DO UPDATE SET service_url = excluded.service_url, "
             "tenant_id = excluded.tenant_id, team_id = excluded.team_id, team_name = excluded.team_name, "
             "updated_at = excluded.updated_at",
             r.conversation, r.service_url, r.tenant_id, r.team_id, r.team_name, r.updated_at);
}

std::optional<teams_route> pg_store::teams_route_for(std::string_view conversation) {
    auto rows = run_with(CXOS_SELECT_TEAMS_ROUTES "ORDER BY conversation = $1 DESC, updated_at DESC LIMIT 1", conversation);
    return read_one<teams_route>(rows, read_teams_route);
}

std::optional<teams_route> pg_store::teams_route_in_tenant(std::string_view tenant_id) {
    auto rows = run_with(CXOS_SELECT_TEAMS_ROUTES "WHERE tenant_id = $1 AND tenant_id <> '' ORDER BY updated_at DESC LIMIT 1",
                         tenant_id);
    return read_one<teams_route>(rows, read_teams_route);
}

} // namespace cxos::storage
