#pragma once
// What Slack Web API answers mean for the outbox: sent, retry later, give up, or "in doubt".
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxos::slack {

enum class post_outcome {
    sent,         // ok:true; `ts` names the message
    rate_limited, // HTTP 429 / ratelimited: wait `retry_after_seconds` before this channel again
    retry,        // 5xx, transient ok:false, garbage: back off and try again
    dead,         // errors retrying cannot fix for this message (channel_not_found, not_in_channel, …)
    // The workspace refused cxos's token (invalid_auth, token_revoked, …): nothing was posted, and
    // nothing will be for any channel until a working token is there. Not this message's fault.
    unauthorized,
};

// Slack's answers that mean the token itself is refused, whatever the call.
bool is_credential_error(std::string_view error);

// A 429's Retry-After in seconds, from 1 (missing, an HTTP-date) to an hour.
std::int64_t parse_retry_after(std::string_view header);

struct post_result {
    post_outcome outcome = post_outcome::retry;
    std::string ts;
    std::string error; // Slack's error code or an HTTP description; never a token
    std::int64_t retry_after_seconds = 0;
    // Slack may have posted despite the failure (5xx, internal_error, fatal_error, garbage):
    // check the channel before posting again.
    bool maybe_posted = false;
};

// `retry_after` is the raw Retry-After header, empty when absent.
post_result classify_post_response(unsigned http_status, std::string_view retry_after,
                                   std::string_view body);

// A click's response_url answer: 200 (`ok`, or {"ok":true}) is sent; 429 rate_limited; 5xx or
// a 200 that is not Slack's answer retry. Anything else (404 expired_url, used_url, no_active_hooks: it lives 30 minutes and five
// uses) is dead for that URL, and the note goes by chat.postEphemeral instead.
post_result classify_response_url_answer(unsigned http_status, std::string_view retry_after,
                                         std::string_view body);

enum class lookup_outcome { found, not_found, failed };

struct lookup_result {
    lookup_outcome outcome = lookup_outcome::failed;
    std::string ts;
    std::string error;
    bool permanent = false;   // failed in a way asking again will not fix
    bool window_unread = false; // permanent: more messages around the attempt than cxos reads
    std::string next_cursor;  // not_found on this page, more pages to read
};

// The JSON object of a Web API answer that says ok:true; otherwise nothing, and `error` says why
// (Slack's error code, "HTTP 503", "the answer was not JSON").
std::optional<nlohmann::json> ok_answer(unsigned http_status, std::string_view body, std::string& error);

// A lookup error that asking again will not fix (a missing scope, a conversation cxos cannot see).
bool is_permanent_lookup_error(std::string_view error);

// Reads one `conversations.history` page (requested with include_all_metadata=true) and looks
// for the message cxos posted for `delivery_id`.
lookup_result find_delivery_in_history(unsigned http_status, std::string_view body,
                                       std::int64_t delivery_id);

// Slack's emoji for a delivery_mark ("fixed" -> "white_check_mark"); anything else is taken as an
// emoji name already (rows queued before marks were platform-neutral carry one).
std::string_view emoji_for_mark(std::string_view mark);

// The reactions.add body that puts `mark` on a message.
nlohmann::json render_reaction(std::string_view channel, std::string_view ts, std::string_view mark);
// A reactions.add answer: like a post's, except that `already_reacted` (a retry whose first
// attempt got through) is the mark being there, as wanted.
post_result classify_reaction_response(unsigned http_status, std::string_view retry_after, std::string_view body);

// Which messages a search for an in-doubt post reads: Unix seconds, both ends included. Bounded at
// both ends, so that a busy channel's later chatter does not bury the post past the pages read.
struct history_window {
    std::int64_t oldest = 0, latest = 0;
};

// The query string for a history page; `cursor` may be empty.
std::string history_query(std::string_view channel, history_window window, std::string_view cursor = {});

// The query string for a page of a thread's replies (conversations.replies).
std::string replies_query(std::string_view channel, std::string_view thread_ts, history_window window,
                          std::string_view cursor = {});

// The query string reading one message by its ts: history with latest = oldest = ts, inclusive.
std::string single_message_query(std::string_view channel, std::string_view ts);
// The same for a reply in a thread (conversations.replies): given a reply's ts Slack answers with
// its thread, the parent first whatever the bounds, so the page holds two.
std::string single_reply_query(std::string_view channel, std::string_view ts);

// A message read back from history or replies.
struct fetched_message {
    std::string text; // unescaped
    std::string user;
    std::string thread_ts;
};
// Finds the message with `ts` in a history/replies answer; nothing when absent or not ok.
std::optional<fetched_message> find_message(std::string_view body, std::string_view ts);

// The JSON body of `conversations.join`, for public channels cxos posts to without membership.
std::string join_body(std::string_view channel);

} // namespace cxos::slack
