#pragma once
// Decodes a verified Slack request into one typed value; the bot never sees Slack's wire shapes.
#include "adapters/slack/form.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace cxos::slack {

struct slash_command {
    std::string command; // "/friction"
    std::string text;    // unescaped
    std::string team_id, channel_id, user_id, user_name;
    std::string response_url, trigger_id;
};

// Block actions, shortcuts, view submissions: `payload=` JSON.
struct interaction {
    std::string type;
    nlohmann::json payload;
};

struct url_verification {
    std::string challenge;
};

struct event_callback {
    std::string event_id;
    std::string event_type;
    nlohmann::json payload;
};

// A request that is well signed but not decodable; `message` says what was wrong.
struct malformed_request {
    std::string message;
};

using inbound = std::variant<slash_command, interaction, url_verification, event_callback,
                             malformed_request>;

// `media` is the parsed media type of the request.
inbound decode(std::string_view media, std::string_view body);

// The three shapes behind `decode`, for a transport that carries the same payloads another way
// (Socket Mode sends a command's fields as JSON, the rest as parsed JSON): one value either way.
inbound slash_command_from(form_fields fields);
inbound interaction_from(nlohmann::json payload);
inbound events_api_from(nlohmann::json body);

// Slack's unsigned certificate probe (`ssl_check=1`), recognised before verification.
bool is_ssl_check(std::string_view media, std::string_view body);

} // namespace cxos::slack
