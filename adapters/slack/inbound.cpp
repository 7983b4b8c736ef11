#include "adapters/slack/inbound.hpp"

#include "adapters/slack/form.hpp"
#include "adapters/slack/json_fields.hpp"

namespace cxos::slack {
namespace {

constexpr std::string_view form_media = "application/x-www-form-urlencoded";
constexpr std::string_view json_media = "application/json";

std::string field(const form_fields& f, const std::string& key) {
    auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

inbound decode_form(std::string_view body) {
    auto fields = parse_form(body);
    if (!fields) return malformed_request{"the form-encoded body is not valid"};
    if (auto p = fields->find("payload"); p != fields->end()) {
        auto json = nlohmann::json::parse(p->second, nullptr, false);
        if (json.is_discarded()) return malformed_request{"the interactivity payload is not a JSON object"};
        return interaction_from(std::move(json));
    }
    return slash_command_from(*fields);
}

inbound decode_json(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return malformed_request{"the body is not a JSON object"};
    return events_api_from(std::move(json));
}

} // namespace

inbound slash_command_from(const form_fields& fields) {
    slash_command cmd{field(fields, "command"), unescape_text(field(fields, "text")),
                      field(fields, "team_id"), field(fields, "channel_id"),
                      field(fields, "user_id"), field(fields, "user_name"),
                      field(fields, "response_url"), field(fields, "trigger_id")};
    if (cmd.command.empty() || cmd.user_id.empty())
        return malformed_request{"a slash command needs the `command` and `user_id` fields"};
    return cmd;
}

inbound interaction_from(nlohmann::json payload) {
    if (!payload.is_object()) return malformed_request{"the interactivity payload is not a JSON object"};
    auto type = string_field(payload, "type");
    if (type.empty()) return malformed_request{"the interactivity payload has no type"};
    return interaction{std::move(type), std::move(payload)};
}

inbound events_api_from(nlohmann::json json) {
    if (!json.is_object()) return malformed_request{"the body is not a JSON object"};
    auto type = string_field(json, "type");
    if (type == "url_verification") {
        auto challenge = string_field(json, "challenge");
        if (challenge.empty()) return malformed_request{"url_verification without a challenge"};
        return url_verification{std::move(challenge)};
    }
    if (type == "event_callback") {
        std::string event_type;
        if (auto e = json.find("event"); e != json.end()) event_type = string_field(*e, "type");
        return event_callback{string_field(json, "event_id"), std::move(event_type),
                              std::move(json)};
    }
    if (type.empty()) return malformed_request{"the JSON body has no `type`"};
    // app_rate_limited and future envelope types: acknowledged, nothing to do.
    return event_callback{"", std::move(type), std::move(json)};
}

bool is_ssl_check(std::string_view media, std::string_view body) {
    if (media != form_media) return false;
    auto fields = parse_form(body);
    return fields && field(*fields, "ssl_check") == "1";
}

inbound decode(std::string_view media, std::string_view body) {
    if (media == form_media) return decode_form(body);
    if (media == json_media) return decode_json(body);
    return malformed_request{"unsupported Content-Type '" + std::string(media) +
                             "'; Slack sends application/x-www-form-urlencoded or application/json"};
}

} // namespace cxos::slack
