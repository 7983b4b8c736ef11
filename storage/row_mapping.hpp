#pragma once
// How the store's types map to table rows, written once for both backends. The read_* readers
// take any row that reads columns like sqlite_statement does (int64, real, text, is_null; 0-based;
// NULL reads as 0 or ""); bind_* take anything that binds like it (bind, bind_null; 1-based).
#include "commands/council.hpp"
#include "commands/item_thread.hpp"
#include "commands/kpis.hpp"
#include "storage/store.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxos::storage {

#define CXOS_SELECT_SIGNALS                                                                        \
    "SELECT id, platform, team_id, channel_id, user_id, user_name, description, stage, component, " \
    "severity, owner, rule, reason, created_at, item_id, customer, link, message_ts, thread_ts, "   \
    "permalink, external_id, contacts, error_rate FROM signals "
// An item's counted columns, in the order read_item_counts reads them: in every item row, and what
// counting a report answers (PostgreSQL: UPDATE … RETURNING; SQLite reads them back, cheaper there).
#define CXOS_ITEM_COUNT_COLUMNS "reports, reporters, customers, first_seen, last_seen"
// An item row's columns in the order read_item reads them (33 of them).
#define CXOS_ITEM_COLUMNS                                                                          \
    "id, key, title, owner, rule, reason, status, duplicate_of, stage, component, severity, "        \
    "note, link, rerouted, created_at, routed_at, acknowledged_at, closed_at, updated_at, "         \
    "last_actor, routed_delivery_id, " CXOS_ITEM_COUNT_COLUMNS ", "                                 \
    "decision, decided_by, decided_at, due_at, mirror_delivery_id, fixed_at, regressed_at"
#define CXOS_SELECT_ITEMS "SELECT " CXOS_ITEM_COLUMNS " FROM items "
inline constexpr int item_column_count = 33;
#define CXOS_DELIVERY_COLUMNS                                                                      \
    "id, signal_id, kind, platform, channel, state, attempts, next_attempt_at, "                   \
    "platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, user_id, payload, "        \
    "workspace, reply_url "
#define CXOS_SELECT_DELIVERIES "SELECT " CXOS_DELIVERY_COLUMNS "FROM deliveries "
#define CXOS_SELECT_INBOX                                                                          \
    "SELECT id, platform, kind, payload, state, attempts, next_attempt_at, last_error FROM inbox "
// A reporter told about a fix once per fix: within one fix the first notice stands, a later fix
// (after a regression) replaces it, so the closed loop counts the latest fix's notices.
#define CXOS_LOOP_NOTICE_CONFLICT                                                                  \
    "ON CONFLICT (item_id, platform, user_id) DO UPDATE SET signal_id = excluded.signal_id, "      \
    "delivery_id = excluded.delivery_id, queued_at = excluded.queued_at "                         \
    "WHERE loop_notices.queued_at < excluded.queued_at"
#define CXOS_SELECT_VOTES "SELECT item_id, platform, member, value, via, at FROM votes "
#define CXOS_SELECT_TEAMS_ROUTES                                                                   \
    "SELECT conversation, service_url, tenant_id, team_id, team_name, updated_at FROM teams_conversations "

inline constexpr auto read_signal = [](const auto& st) -> signal {
    signal s;
    s.id = st.int64(0);
    s.source.platform = st.text(1);
    s.source.team_id = st.text(2);
    s.source.channel_id = st.text(3);
    s.source.user_id = st.text(4);
    s.source.user_name = st.text(5);
    s.description = st.text(6);
    s.stage = st.text(7);
    if (!st.is_null(8)) s.comp = parse_component(st.text(8));
    s.sev = parse_severity(st.text(9)).value_or(severity::medium);
    s.route = {st.text(10), st.text(11), st.text(12)};
    s.created_at = st.int64(13);
    s.item_id = st.int64(14);
    s.customer = st.text(15);
    s.link = st.text(16);
    s.source.message_ts = st.text(17);
    s.source.thread_ts = st.text(18);
    s.source.permalink = st.text(19);
    s.external_id = st.text(20);
    s.contacts = static_cast<int>(st.int64(21));
    if (!st.is_null(22)) s.error_rate = st.real(22);
    return s;
};

// The INSERT's 22 parameters, in the order of CXOS_SELECT_SIGNALS after id.
template <class Binder> void bind_signal(Binder& st, const signal& s) {
    st.bind(1, s.source.platform).bind(2, s.source.team_id).bind(3, s.source.channel_id);
    st.bind(4, s.source.user_id).bind(5, s.source.user_name).bind(6, s.description);
    st.bind(7, s.stage);
    if (s.comp) st.bind(8, to_slug(*s.comp));
    else st.bind_null(8);
    st.bind(9, to_string(s.sev)).bind(10, s.route.owner).bind(11, s.route.rule);
    st.bind(12, s.route.reason).bind(13, s.created_at).bind(14, s.item_id).bind(15, s.customer);
    st.bind(16, s.link).bind(17, s.source.message_ts).bind(18, s.source.thread_ts).bind(19, s.source.permalink);
    st.bind(20, s.external_id).bind(21, s.contacts);
    if (s.error_rate) st.bind(22, *s.error_rate);
    else st.bind_null(22);
}

inline constexpr auto read_delivery = [](const auto& st) -> delivery {
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
    d.item_id = st.int64(11);
    d.parent_id = st.int64(12);
    d.thread_ts = st.text(13);
    d.user = st.text(14);
    d.payload = st.text(15);
    d.workspace = st.text(16);
    d.reply_url = st.text(17);
    return d;
};

// The INSERT's 18 parameters: the columns of CXOS_DELIVERY_COLUMNS after id up to payload, then
// queued_at, then workspace and reply_url.
template <class Binder> void bind_delivery(Binder& st, const delivery& d) {
    st.bind(1, d.signal_id).bind(2, d.kind).bind(3, d.platform).bind(4, d.channel);
    st.bind(5, to_string(d.state)).bind(6, d.attempts).bind(7, d.next_attempt_at);
    st.bind(8, d.platform_ref).bind(9, d.last_error).bind(10, d.updated_at).bind(11, d.item_id);
    st.bind(12, d.parent_id).bind(13, d.thread_ts).bind(14, d.user).bind(15, d.payload);
    st.bind(16, d.updated_at); // queued_at: a new row's updated_at is when it was queued
    st.bind(17, d.workspace).bind(18, d.reply_url);
}

#define CXOS_SELECT_SLACK_INSTALLATIONS                                                            \
    "SELECT workspace, team_id, enterprise_id, team_name, bot_user_id, bot_token, refresh_token, "  \
    "expires_at, scopes, installed_by, installed_at, updated_at FROM slack_installations "

inline constexpr auto read_slack_installation = [](const auto& st) -> slack_installation {
    slack_installation i;
    i.workspace = st.text(0);
    i.team_id = st.text(1);
    i.enterprise_id = st.text(2);
    i.team_name = st.text(3);
    i.bot_user_id = st.text(4);
    i.bot_token = st.text(5);
    i.refresh_token = st.text(6);
    i.expires_at = st.int64(7);
    i.scopes = st.text(8);
    i.installed_by = st.text(9);
    i.installed_at = st.int64(10);
    i.updated_at = st.int64(11);
    return i;
};

// The INSERT's 12 parameters, in the order of CXOS_SELECT_SLACK_INSTALLATIONS.
template <class Binder> void bind_slack_installation(Binder& st, const slack_installation& i) {
    st.bind(1, i.workspace).bind(2, i.team_id).bind(3, i.enterprise_id).bind(4, i.team_name);
    st.bind(5, i.bot_user_id).bind(6, i.bot_token).bind(7, i.refresh_token).bind(8, i.expires_at);
    st.bind(9, i.scopes).bind(10, i.installed_by).bind(11, i.installed_at).bind(12, i.updated_at);
}

#define CXOS_SELECT_DASHBOARD_SESSIONS                                                                        \
    "SELECT id_hash, platform, team_id, user_id, user_name, created_at, last_seen_at, expires_at "              \
    "FROM dashboard_sessions "
inline constexpr auto read_dashboard_session = [](const auto& st) -> dashboard_session {
    return dashboard_session{st.text(0), st.text(1), st.text(2),  st.text(3),
                             st.text(4), st.int64(5), st.int64(6), st.int64(7)};
};

// Both backends end a session the same way: idle longer than `idle_ms`, or past its absolute end.
// Its last use is written at most once a minute: reading the dashboard is not a write each time.
inline bool dashboard_session_ended(const dashboard_session& s, millis now, millis idle_ms) {
    return s.expires_at < now || s.last_seen_at + idle_ms < now;
}
inline int live_dashboard_sessions(const std::vector<dashboard_session>& sessions, millis now, millis idle_ms) {
    return static_cast<int>(std::count_if(sessions.begin(), sessions.end(),
                                          [&](const auto& s) { return !dashboard_session_ended(s, now, idle_ms); }));
}
inline bool dashboard_session_touch_due(const dashboard_session& s, millis now) { return now - s.last_seen_at >= 60 * 1000; }

inline constexpr auto read_oauth_state = [](const auto& st) -> oauth_state {
    return oauth_state{st.text(0), st.text(1), st.text(2), st.int64(3), st.int64(4), st.int64(5)};
};

// The CXOS_ITEM_COUNT_COLUMNS of a row, the first at column `first`.
template <class Row> item_counts read_item_counts(const Row& st, int first) {
    item_counts c;
    c.reports = static_cast<int>(st.int64(first));
    c.reporters = static_cast<int>(st.int64(first + 1));
    c.customers = static_cast<int>(st.int64(first + 2));
    c.first_seen = st.int64(first + 3);
    c.last_seen = st.int64(first + 4);
    return c;
}

inline constexpr auto read_item = [](const auto& st) -> item {
    item it;
    it.id = st.int64(0);
    it.key = st.text(1);
    it.title = st.text(2);
    it.owner = st.text(3);
    it.rule = st.text(4);
    it.reason = st.text(5);
    it.status = parse_item_status(st.text(6)).value_or(item_status::fresh);
    it.duplicate_of = st.int64(7);
    it.stage = st.text(8);
    if (!st.is_null(9)) it.comp = parse_component(st.text(9));
    it.sev = parse_severity(st.text(10)).value_or(severity::medium);
    it.note = st.text(11);
    it.link = st.text(12);
    it.rerouted = st.int64(13) != 0;
    it.created_at = st.int64(14);
    it.routed_at = st.int64(15);
    it.acknowledged_at = st.int64(16);
    it.closed_at = st.int64(17);
    it.updated_at = st.int64(18);
    it.last_actor = st.text(19);
    it.routed_delivery_id = st.int64(20);
    it.counts = read_item_counts(st, 21);
    it.decision = st.text(26);
    it.decided_by = st.text(27);
    it.decided_at = st.int64(28);
    it.due_at = st.int64(29);
    it.mirror_delivery_id = st.int64(30);
    it.fixed_at = st.int64(31);
    it.regressed_at = st.int64(32);
    return it;
};

// The 27 written columns of an item (INSERT and UPDATE list them in this order; UPDATE's id is 28).
template <class Binder> void bind_item(Binder& st, const item& it) {
    st.bind(1, it.key).bind(2, it.title).bind(3, it.owner).bind(4, it.rule).bind(5, it.reason);
    st.bind(6, to_string(it.status)).bind(7, it.duplicate_of).bind(8, it.stage);
    if (it.comp) st.bind(9, to_slug(*it.comp));
    else st.bind_null(9);
    st.bind(10, to_string(it.sev)).bind(11, it.note).bind(12, it.link).bind(13, it.rerouted ? 1 : 0);
    st.bind(14, it.created_at).bind(15, it.routed_at).bind(16, it.acknowledged_at);
    st.bind(17, it.closed_at).bind(18, it.updated_at).bind(19, it.last_actor);
    st.bind(20, it.routed_delivery_id).bind(21, it.decision).bind(22, it.decided_by).bind(23, it.decided_at);
    st.bind(24, it.due_at).bind(25, it.mirror_delivery_id).bind(26, it.fixed_at).bind(27, it.regressed_at);
}

inline constexpr auto read_inbox = [](const auto& s) -> inbox_row {
    inbox_row r;
    r.id = s.int64(0);
    r.platform = s.text(1);
    r.kind = s.text(2);
    r.payload = s.text(3);
    r.state = s.text(4);
    r.attempts = static_cast<int>(s.int64(5));
    r.next_attempt_at = s.int64(6);
    r.last_error = s.text(7);
    return r;
};

inline constexpr auto read_vote = [](const auto& s) -> vote {
    return vote{s.int64(0), s.text(1), s.text(2), static_cast<int>(s.int64(3)), s.text(4), s.int64(5)};
};

// run_id, item_id, rank, delivery_id, week_number
inline constexpr auto read_council_entry = [](const auto& s) -> council_entry_ref {
    return council_entry_ref{s.int64(0), s.int64(1), static_cast<int>(s.int64(2)), s.int64(3),
                             static_cast<int>(s.int64(4))};
};

inline constexpr auto read_teams_route = [](const auto& s) -> teams_route {
    return teams_route{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5)};
};

// id, platform, user_id, channel_id, message_ts, reported_at
inline constexpr auto read_reporter = [](const auto& s) -> reporter_ref {
    return reporter_ref{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.int64(5), s.text(6)};
};

// id, item_id, created_at, stage, component, platform, contacts, channel_id
inline constexpr auto read_kpi_signal = [](const auto& s) -> kpi_signal {
    kpi_signal k;
    k.id = s.int64(0);
    k.item_id = s.int64(1);
    k.at = s.int64(2);
    k.stage = s.text(3);
    if (!s.is_null(4)) k.comp = parse_component(s.text(4));
    k.source = s.text(5);
    k.contacts = static_cast<int>(s.int64(6));
    k.channel = s.text(7);
    return k;
};

// actor, action, detail, at
inline constexpr auto read_audit = [](const auto& s) -> audit_entry {
    return audit_entry{s.text(0), s.text(1), s.text(2), s.int64(3)};
};
// platform, user_id, queued_at, told (0/1), told_at
inline constexpr auto read_loop_notice = [](const auto& s) -> loop_notice_row {
    return loop_notice_row{s.text(0), s.text(1), s.int64(2), s.int64(3) != 0, s.int64(4)};
};

inline constexpr auto read_int64 = [](const auto& s) -> std::int64_t { return s.int64(0); };
inline constexpr auto read_text = [](const auto& s) -> std::string { return s.text(0); };
// platform, channel
inline constexpr auto read_channel = [](const auto& s) { return std::pair{s.text(0), s.text(1)}; };
// rule, routed, rerouted
inline constexpr auto read_rule_accuracy = [](const auto& s) -> rule_accuracy {
    return rule_accuracy{s.text(0), static_cast<int>(s.int64(1)), static_cast<int>(s.int64(2))};
};
// depth, oldest queued_at, dead
inline constexpr auto read_outbox_summary = [](const auto& s) -> outbox_summary {
    return outbox_summary{s.int64(0), s.int64(1), s.int64(2)};
};
// item_id, recent, baseline, first_seen
inline constexpr auto read_item_activity = [](const auto& s) -> item_activity {
    return item_activity{s.int64(0), static_cast<int>(s.int64(1)), static_cast<int>(s.int64(2)), s.int64(3)};
};
// next claim time (NULL: no open head), whether a due head waits
inline constexpr auto read_outbox_outlook = [](const auto& s) -> outbox_outlook {
    outbox_outlook out;
    if (!s.is_null(0)) out.next_claim_at = s.int64(0);
    out.due_waiting = s.int64(1) == 1;
    return out;
};
inline constexpr auto read_kpi_item = [](const auto& s) -> kpi_item {
    kpi_item out;
    out.it = read_item(s);
    return out;
};

template <class T, class Statement, class Read> std::vector<T> read_all(Statement& st, Read read) {
    std::vector<T> out;
    while (st.step()) out.push_back(read(st));
    st.reset();
    return out;
}

template <class T, class Statement, class Read> std::optional<T> read_one(Statement& st, Read read) {
    std::optional<T> out;
    if (st.step()) out = read(st);
    st.reset();
    return out;
}

} // namespace cxos::storage
