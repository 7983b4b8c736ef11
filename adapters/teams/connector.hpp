#pragma once
// The Bot Connector REST v3 contract, without I/O: the token request and its answer, the paths
// and bodies cxos sends to a serviceUrl, and what each answer means for the outbox.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::teams {

inline constexpr std::string_view bot_framework_scope = "https://api.botframework.com/.default";

// The client-credentials request body (form-encoded) for the token endpoint.
std::string token_request_body(std::string_view app_id, std::string_view app_password);

struct connector_token {
    std::string access_token;
    std::int64_t expires_at = 0; // Unix seconds
};
// The token endpoint's answer; nothing (and `error` says why, without the secret) when unusable.
std::optional<connector_token> parse_token_response(unsigned status, std::string_view body, std::int64_t now_seconds,
                                                    std::string& error);

// "https://smba.trafficmanager.net/amer/" may be trusted: it starts with an allowlisted prefix.
bool service_url_allowed(std::string_view service_url, const std::vector<std::string>& allowlist);

// Paths under a serviceUrl's path (ids are URL-encoded: they contain ':', ';' and '@').
std::string conversations_path(std::string_view base_path);
std::string activities_path(std::string_view base_path, std::string_view conversation_id);
std::string activity_path(std::string_view base_path, std::string_view conversation_id, std::string_view activity_id);

// A new thread in a channel: the conversation's first activity is the thread's root message.
nlohmann::json new_thread_request(std::string_view channel_id, std::string_view tenant_id, const nlohmann::json& activity);
// A one-to-one chat between the bot ("28:<app id>") and a user (for a direct notice).
nlohmann::json direct_chat_request(std::string_view bot_id, std::string_view user_id, std::string_view tenant_id);
// The conversation id that addresses a thread of a channel: "19:…@thread.tacv2;messageid=<root>".
std::string thread_conversation(std::string_view channel_id, std::string_view root_activity_id);
// The root of the thread a conversation id names ("19:…;messageid=123" → "123"); empty if none.
std::string thread_root_of(std::string_view conversation_id);

// "19:…@thread.tacv2" (or the older @thread.skype) with nothing that could not be an id: how
// config checks an owner's Teams channel.
bool is_well_formed_channel_id(std::string_view id);
// A team's channel (a post there starts a new thread), as opposed to a chat.
bool is_channel_conversation(std::string_view id);
// A conversation cxos can post into directly (a chat); anything else names a person.
bool is_chat_conversation(std::string_view id);
// The bot as a conversation member: "28:<app id>".
std::string bot_member_id(std::string_view app_id);

// Where a posted activity lives, kept as one string (an outbox row's platform_ref):
// "<conversation id>|<activity id>". A bare id has no conversation.
std::string activity_ref(std::string_view conversation_id, std::string_view activity_id);
std::pair<std::string, std::string> split_activity_ref(std::string_view ref);

enum class connector_outcome { sent, retry, rate_limited, dead, unauthorized };

struct connector_result {
    connector_outcome outcome = connector_outcome::retry;
    std::string id;               // the activity (or conversation) id Teams gave it
    std::string activity_id;      // new threads: the root activity's id
    std::string error;            // for logs and the dead letter
    std::int64_t retry_after_seconds = 0; // 429: Retry-After's seconds; 0 when it gave none
};

// What a Bot Connector answer means: 2xx sent; 429 rate limited (Retry-After); 412, 5xx and
// 408 retried; 401 a token to renew; 403 BotNotInConversationRoster and 404
// ConversationNotFound dead with the fix spelled out; other 4xx dead.
connector_result classify_connector_response(unsigned status, std::string_view retry_after, std::string_view body,
                                             std::string_view conversation);

} // namespace cxos::teams
