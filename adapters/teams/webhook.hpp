#pragma once
// Teams outgoing-webhook mode: no Azure registration, a channel's "@cxos …" arrives as a signed
// message activity and the answer is the HTTP response. It can capture and help; it cannot post
// proactively, so routed posts and notices need Slack or the Bot Framework connector.
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::teams {

// `Authorization: HMAC <base64>`: HMAC-SHA256 over the raw body, keyed with the base64-decoded
// security token Teams showed when the webhook was created.
class outgoing_webhook_verifier {
  public:
    // Throws std::invalid_argument when the token is not base64: a start-up config error.
    explicit outgoing_webhook_verifier(std::string_view security_token_base64);
    bool verify(std::string_view authorization_header, std::string_view raw_body) const;
    // The header value Teams would send for `raw_body` (tests and tooling).
    std::string sign(std::string_view raw_body) const;

  private:
    std::vector<unsigned char> key_;
};

// Standard base64 (with padding); nothing when `text` is not base64.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text);
std::string base64_encode(const unsigned char* data, std::size_t size);

// A channel message addressed to cxos, as the core needs it.
struct message_activity {
    std::string id;
    std::string text; // the bot's mention removed, HTML tags stripped, entities decoded
    std::string from_id;
    std::string from_name;
    std::string conversation_id;
    std::string tenant_id;
    std::string team_id;
    std::string channel_id;
    std::string service_url;
};

// Nothing when the activity is not a message, lacks the sender or conversation, or carries an id
// that is not what Teams sends (ids.hpp). The sender's name is clipped.
std::optional<message_activity> decode_message_activity(const nlohmann::json& activity);

// The text without the mention whose entity names the recipient (by id, never by display name);
// without a recipient id, a mention at the very start (how an outgoing webhook is invoked).
std::string strip_bot_mention(const std::string& text, const nlohmann::json& entities, const std::string& recipient_id);

// Teams markdown: **bold**, one paragraph per part, fields as "**Label:** value".
std::string render_markdown(const neutral_message& m);
// The reply activity an outgoing webhook answers with.
nlohmann::json render_reply_activity(const neutral_message& m);

} // namespace cxos::teams
