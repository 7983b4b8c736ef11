#pragma once
// What a Slack Web API answer means for the outbox: sent, retry later, or give up.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxos::slack {

enum class post_outcome {
    sent,         // ok:true; `ts` names the message
    rate_limited, // HTTP 429: wait `retry_after_seconds` before touching this channel again
    retry,        // 5xx, transient ok:false, garbage: back off and try again
    dead,         // errors retrying cannot fix (channel_not_found, not_in_channel, invalid_auth, …)
};

struct post_result {
    post_outcome outcome = post_outcome::retry;
    std::string ts;
    std::string error; // Slack's error code or an HTTP description; never a token
    std::int64_t retry_after_seconds = 0;
};

// `retry_after` is the raw Retry-After header, empty when absent.
post_result classify_post_response(unsigned http_status, std::string_view retry_after,
                                   std::string_view body);

} // namespace cxos::slack

namespace cxos::slack {

enum class lookup_outcome { found, not_found, failed };

struct lookup_result {
    lookup_outcome outcome = lookup_outcome::failed;
    std::string ts;
    std::string error;
};

// Reads a `conversations.history` answer (requested with include_all_metadata=true) and looks
// for the message cxos posted for `delivery_id`.
lookup_result find_delivery_in_history(unsigned http_status, std::string_view body,
                                       std::int64_t delivery_id);

// The query string for that history request; `oldest` is Unix seconds.
std::string history_query(std::string_view channel, std::int64_t oldest);

} // namespace cxos::slack
