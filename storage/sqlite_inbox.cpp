// sqlite_store: platform event dedupe and the inbox of events processed after their ack.
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

bool sqlite_store::remember_event(std::string_view key, millis at) {
    auto& st = sql("INSERT INTO seen_events (event_key, at) VALUES (?, ?) ON CONFLICT DO NOTHING");
    st.bind(1, key).bind(2, at);
    st.run();
    return changes() > 0;
}

void sqlite_store::forget_event(std::string_view key) {
    auto& st = sql("DELETE FROM seen_events WHERE event_key = ?");
    st.bind(1, key);
    st.run();
}

bool sqlite_store::event_seen(std::string_view key) {
    auto& st = sql("SELECT 1 FROM seen_events WHERE event_key = ?");
    return st.bind(1, key).finds_row();
}

std::int64_t sqlite_store::insert_inbox(const inbox_row& row) {
    auto& st = sql("INSERT INTO inbox (platform, kind, payload, state, attempts, next_attempt_at, last_error) "
                   "VALUES (?,?,?,?,?,?,?)");
    st.bind(1, row.platform).bind(2, row.kind).bind(3, row.payload).bind(4, row.state);
    st.bind(5, row.attempts).bind(6, row.next_attempt_at).bind(7, row.last_error);
    st.run();
    return last_id();
}

std::vector<inbox_row> sqlite_store::due_inbox(millis now, int limit) {
    auto& st = sql(CXOS_SELECT_INBOX "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?");
    st.bind(1, now).bind(2, limit);
    return read_all<inbox_row>(st, read_inbox);
}

void sqlite_store::update_inbox(const inbox_row& row) {
    auto& st = sql("UPDATE inbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
    st.bind(1, row.state).bind(2, row.attempts).bind(3, row.next_attempt_at).bind(4, row.last_error).bind(5, row.id);
    st.run();
}

} // namespace cxos::storage
