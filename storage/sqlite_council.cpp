// sqlite_store: Experience Council runs and agenda entries, votes, closed loops, settings, Teams routes.
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

std::int64_t sqlite_store::insert_council_run(const council_run& r) {
    auto& st = sql("INSERT INTO council_runs (week, week_number, trigger, actor, scheduled_at, posted_at, "
                   "parent_delivery_id) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    st.bind(1, r.week).bind(2, r.week_number).bind(3, r.trigger).bind(4, r.actor).bind(5, r.scheduled_at);
    st.bind(6, r.posted_at).bind(7, r.parent_delivery_id);
    st.run();
    return changes() == 0 ? 0 : last_id();
}

void sqlite_store::set_council_parent(std::int64_t run_id, std::int64_t delivery_id) {
    auto& st = sql("UPDATE council_runs SET parent_delivery_id = ? WHERE id = ?");
    st.bind(1, delivery_id).bind(2, run_id);
    st.run();
}

bool sqlite_store::council_week_posted(std::string_view week) {
    auto& st = sql("SELECT 1 FROM council_runs WHERE week = ? AND trigger = 'scheduled'");
    st.bind(1, week);
    return read_one<bool>(st, [](const sqlite_statement&) { return true; }).has_value();
}

void sqlite_store::insert_council_entry(const council_entry_ref& e) {
    auto& st = sql("INSERT INTO council_entries (run_id, item_id, rank, delivery_id) VALUES (?,?,?,?)");
    st.bind(1, e.run_id).bind(2, e.item_id).bind(3, e.rank).bind(4, e.delivery_id);
    st.run();
}

void sqlite_store::set_council_teams_reply(std::int64_t run_id, std::int64_t item_id, std::int64_t delivery_id) {
    auto& st = sql("UPDATE council_entries SET teams_delivery_id = ? WHERE run_id = ? AND item_id = ?");
    st.bind(1, delivery_id).bind(2, run_id).bind(3, item_id);
    st.run();
}

std::vector<agenda_candidate> sqlite_store::council_candidates() {
    auto& items = sql(CXOS_SELECT_ITEMS "WHERE status IN ('new','routed','acknowledged','in_progress','regressed') ORDER BY id");
    candidate_list out;
    while (items.step()) out.add_item(read_item(items));
    items.reset();
    // SQLite takes the bare week_number from the row holding max(r.id): the latest run's week.
    auto& weeks = sql("SELECT e.item_id, max(r.id), r.week_number FROM council_entries e "
                      "JOIN council_runs r ON r.id = e.run_id GROUP BY e.item_id");
    while (weeks.step()) out.set_last_week(weeks.int64(0), static_cast<int>(weeks.int64(2)));
    weeks.reset();
    auto& votes = sql("SELECT v.item_id, v.platform, v.member, v.value, v.via, v.at FROM votes v JOIN items i "
                      "ON i.id = v.item_id WHERE i.status IN ('new','routed','acknowledged','in_progress','regressed') "
                      "ORDER BY v.at, v.member");
    while (votes.step()) out.add_vote(read_vote(votes));
    votes.reset();
    return out.take();
}

std::optional<council_entry_ref> sqlite_store::find_council_entry(std::int64_t delivery_id) {
    auto& st = sql("SELECT e.run_id, e.item_id, e.rank, e.delivery_id, r.week_number FROM council_entries e "
                   "JOIN council_runs r ON r.id = e.run_id WHERE e.delivery_id = ?");
    st.bind(1, delivery_id);
    return read_one<council_entry_ref>(st, read_council_entry);
}

std::optional<council_entry_ref> sqlite_store::find_council_entry_by_message(std::string_view platform,
                                                                             std::string_view channel,
                                                                             std::string_view message_ref) {
    auto& st = sql("SELECT e.run_id, e.item_id, e.rank, e.delivery_id, r.week_number FROM deliveries d "
                   "JOIN council_entries e ON e.delivery_id = d.id JOIN council_runs r ON r.id = e.run_id "
                   "WHERE d.platform = ? AND d.channel = ? AND d.platform_ref = ? AND d.platform_ref <> ''");
    st.bind(1, platform).bind(2, channel).bind(3, message_ref);
    return read_one<council_entry_ref>(st, read_council_entry);
}

std::vector<std::int64_t> sqlite_store::council_deliveries_of_item(std::int64_t item_id) {
    auto& st = sql("SELECT delivery_id FROM council_entries WHERE item_id = ?1 UNION ALL "
                   "SELECT teams_delivery_id FROM council_entries WHERE item_id = ?1 AND teams_delivery_id <> 0 "
                   "ORDER BY 1");
    st.bind(1, item_id);
    return read_all<std::int64_t>(st, read_int64);
}

void sqlite_store::set_vote(const vote& v) {
    auto& st = sql("INSERT INTO votes (item_id, platform, member, value, via, at) VALUES (?,?,?,?,?,?) "
                   "ON CONFLICT (item_id, platform, member) DO UPDATE SET value = excluded.value, "
                   "via = excluded.via, at = excluded.at");
    st.bind(1, v.item_id).bind(2, v.platform).bind(3, v.member).bind(4, v.value).bind(5, v.via).bind(6, v.at);
    st.run();
}

bool sqlite_store::remove_vote(std::int64_t item_id, std::string_view platform, std::string_view member, int value) {
    auto& st = sql("DELETE FROM votes WHERE item_id = ? AND platform = ? AND member = ? AND value = ?");
    st.bind(1, item_id).bind(2, platform).bind(3, member).bind(4, value);
    st.run();
    return changes() > 0;
}

std::vector<vote> sqlite_store::votes_of_item(std::int64_t item_id) {
    auto& st = sql(CXOS_SELECT_VOTES "WHERE item_id = ? ORDER BY at, member");
    st.bind(1, item_id);
    return read_all<vote>(st, read_vote);
}

int sqlite_store::signals_since(millis since) {
    auto& st = sql("SELECT count(*) FROM signals WHERE created_at >= ?");
    st.bind(1, since);
    return static_cast<int>(read_one<std::int64_t>(st, read_int64).value_or(0));
}

int sqlite_store::open_item_count() {
    auto& st = sql("SELECT count(*) FROM items WHERE status IN ('new','routed','acknowledged','in_progress','regressed')");
    return static_cast<int>(read_one<std::int64_t>(st, read_int64).value_or(0));
}

void sqlite_store::insert_loop_notice(std::int64_t item_id, const reporter_ref& to, std::int64_t delivery_id,
                                      millis at) {
    auto& st = sql("INSERT INTO loop_notices (item_id, platform, user_id, signal_id, delivery_id, queued_at) "
                   "VALUES (?,?,?,?,?,?) " CXOS_LOOP_NOTICE_CONFLICT);
    st.bind(1, item_id).bind(2, to.platform).bind(3, to.user_id).bind(4, to.signal_id).bind(5, delivery_id).bind(6, at);
    st.run();
}

std::vector<loop_notice_row> sqlite_store::loop_notices_of_item(std::int64_t item_id) {
    auto& st = sql("SELECT n.platform, n.user_id, n.queued_at, coalesce(d.state = 'sent', 0), "
                   "CASE WHEN d.state = 'sent' THEN d.updated_at ELSE 0 END "
                   "FROM loop_notices n LEFT JOIN deliveries d ON d.id = n.delivery_id WHERE n.item_id = ? "
                   "ORDER BY n.queued_at, n.platform, n.user_id");
    st.bind(1, item_id);
    return read_all<loop_notice_row>(st, read_loop_notice);
}

closed_loop_stats sqlite_store::closed_loops() {
    // Told = the notice's outbox row was delivered; the loop closes when the last reporter is told.
    auto& st = sql("SELECT i.first_seen, count(n.user_id), coalesce(sum(d.state = 'sent'), 0), "
                   "max(CASE WHEN d.state = 'sent' THEN d.updated_at END) FROM items i "
                   "LEFT JOIN loop_notices n ON n.item_id = i.id LEFT JOIN deliveries d ON d.id = n.delivery_id "
                   "WHERE i.status = 'fixed' GROUP BY i.id ORDER BY i.id");
    closed_loop_stats out;
    while (st.step()) count_fixed_item(out, st.int64(0), st.int64(1), st.int64(2), st.int64(3));
    st.reset();
    return out;
}

std::optional<std::string> sqlite_store::setting(std::string_view key) {
    auto& st = sql("SELECT value FROM settings WHERE key = ?");
    st.bind(1, key);
    return read_one<std::string>(st, read_text);
}

void sqlite_store::set_setting(std::string_view key, std::string_view value) {
    auto& st = sql("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st.bind(1, key).bind(2, value);
    st.run();
}

void sqlite_store::save_teams_route(const teams_route& r) {
    auto& st = sql("INSERT INTO teams_conversations (conversation, service_url, tenant_id, team_id, team_name, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation) DO UPDATE SET service_url = excluded.service_url, "
                   "tenant_id = excluded.tenant_id, team_id = excluded.team_id, team_name = excluded.team_name, "
                   "updated_at = excluded.updated_at");
    st.bind(1, r.conversation).bind(2, r.service_url).bind(3, r.tenant_id).bind(4, r.team_id).bind(5, r.team_name);
    st.bind(6, r.updated_at);
    st.run();
}

std::optional<teams_route> sqlite_store::teams_route_for(std::string_view conversation) {
    auto& st = sql(CXOS_SELECT_TEAMS_ROUTES "ORDER BY conversation = ? DESC, updated_at DESC LIMIT 1");
    st.bind(1, conversation);
    return read_one<teams_route>(st, read_teams_route);
}

std::optional<teams_route> sqlite_store::teams_route_in_tenant(std::string_view tenant_id) {
    auto& st = sql(CXOS_SELECT_TEAMS_ROUTES "WHERE tenant_id = ? AND tenant_id <> '' ORDER BY updated_at DESC LIMIT 1");
    st.bind(1, tenant_id);
    return read_one<teams_route>(st, read_teams_route);
}

} // namespace cxos::storage
