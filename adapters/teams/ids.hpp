#pragma once
// How long and what Teams and Bot Framework ids may be. They have no published grammar
// ("19:…@thread.tacv2;messageid=…" channels and threads, "a:1…" personal chats, "29:1…" users,
// Azure AD object ids, tenant GUIDs) but they are printable ASCII, and the longest (personal chat
// ids) run to about 150 characters. An activity carrying anything else is refused with 400
// before any of it is stored; display names, which may legitimately be long, are clipped.
#include <cstddef>
#include <string>
#include <string_view>

namespace cxos::teams {

inline constexpr std::size_t max_id_bytes = 512;
inline constexpr std::size_t max_url_bytes = 2048; // serviceUrl, a message's linkToMessage
inline constexpr std::size_t max_name_bytes = 256;

// Empty (absent), or printable ASCII without spaces of at most `max_bytes`.
bool is_absent_or_id(std::string_view id, std::size_t max_bytes = max_id_bytes);

// What makes a redelivered activity a no-op. Teams numbers messages within a conversation (a
// channel message's id is its arrival time in milliseconds), so the id alone is not unique: two
// channels' messages of the same millisecond would share it.
inline std::string redelivery_key(std::string_view conversation_id, std::string_view activity_id) {
    std::string key = "teams:";
    key.append(conversation_id).append("/").append(activity_id);
    return key;
}

} // namespace cxos::teams
