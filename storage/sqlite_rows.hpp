#pragma once
// Row readers shared by the sqlite_store source files.
#include "storage/sqlite_statement.hpp"

#include <optional>
#include <vector>

namespace cxos::storage {

#define CXOS_SELECT_SIGNALS                                                                        \
    "SELECT id, platform, team_id, channel_id, user_id, user_name, description, stage, component, " \
    "severity, owner, rule, reason, created_at, item_id, customer, link, message_ts, thread_ts, "   \
    "permalink, external_id, contacts, error_rate FROM signals "
#define CXOS_SELECT_ITEMS                                                                          \
    "SELECT id, key, title, owner, rule, reason, status, duplicate_of, stage, component, severity, " \
    "note, link, rerouted, created_at, routed_at, acknowledged_at, closed_at, updated_at, "         \
    "last_actor, routed_delivery_id, reports, reporters, customers, first_seen, last_seen, "          \
    "decision, decided_by, decided_at, due_at, mirror_delivery_id FROM items "
#define CXOS_SELECT_DELIVERIES                                                                     \
    "SELECT id, signal_id, kind, platform, channel, state, attempts, next_attempt_at, "             \
    "platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, user_id, payload "        \
    "FROM deliveries "

template <class T, class Read> std::vector<T> read_all(sqlite_statement& st, Read read) {
    std::vector<T> out;
    while (st.step()) out.push_back(read(st));
    st.reset();
    return out;
}

template <class T, class Read> std::optional<T> read_one(sqlite_statement& st, Read read) {
    std::optional<T> out;
    if (st.step()) out = read(st);
    st.reset();
    return out;
}

} // namespace cxos::storage
