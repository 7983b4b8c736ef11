#include "adapters/slack/inbound.hpp"

#include "adapters/slack/form.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/json_fields.hpp"
#include "commands/utf8.hpp"

namespace cxos::slack {
namespace {

constexpr std::string_view form_media = "application/x-www-form-urlencoded";
constexpr std::string_view json_media = "application/json";

std::string_view field(const form_fields& f, std::string_view key) {
    auto it = f.find(key);
    return it == f.end() ? std::string_view() : std::string_view(it->second);
}

// A field moved into the command rather than copied: the command owns its text, and the form it
// came from is not read again.
std::string take(form_fields& f, std::string_view key) {
    auto it = f.find(key);
    return it == f.end() ? std::string() : std::move(it->second);
}

// Percent-decoding turns `%FF` into a raw byte: the form is the one place where bytes that are
// not UTF-8 reach cxos without a JSON parser refusing them first.
std::string utf8_defect(const form_fields& fields) {
    for (const auto& [key, value] : fields) {
        if (!is_valid_utf8(key)) return "a form field name is not valid UTF-8";
        // The name is echoed in the 400 and the log, so only as much of it as names a field.
        if (!is_valid_utf8(value)) return "the form field `" + utf8_prefix(key, 64) + "` is not valid UTF-8";
    }
    return {};
}

// JSON that does not parse, said more precisely when the reason is its encoding.
malformed_request not_json(std::string_view text, std::string_view what) {
    if (!is_valid_utf8(text)) return {std::string(what) + " is not valid UTF-8"};
    return {std::string(what) + " is not a JSON object"};
}

inbound decode_form(std::string_view body) {
    auto fields = parse_form(body);
    if (!fields) return malformed_request{"the form-encoded body is not valid"};
    if (auto p = fields->find("payload"); p != fields->end()) {
        auto json = nlohmann::json::parse(p->second, nullptr, false);
        if (json.is_discarded() || !json.is_object()) return not_json(p->second, "the interactivity payload");
        return interaction_from(std::move(json));
    }
    return slash_command_from(std::move(*fields));
}

inbound decode_json(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return not_json(body, "the body");
    return events_api_from(std::move(json));
}

} // namespace

// Every transport's payloads pass the same checks here (UTF-8, id shapes), so what reaches the
// core is the same whether it came over HTTP or Socket Mode.
inbound slash_command_from(form_fields fields) {
    if (auto why = utf8_defect(fields); !why.empty()) return malformed_request{std::move(why)};
    slash_command cmd{take(fields, "command"), unescape_text(take(fields, "text")),
                      take(fields, "team_id"), take(fields, "channel_id"),
                      take(fields, "user_id"), utf8_prefix(take(fields, "user_name"), max_name_bytes),
                      take(fields, "response_url"), take(fields, "trigger_id")};
    if (cmd.command.empty() || cmd.user_id.empty())
        return malformed_request{"a slash command needs the `command` and `user_id` fields"};
    field_check check;
    check.id("team_id", cmd.team_id, team_prefixes)
        .id("channel_id", cmd.channel_id, channel_prefixes)
        .id("user_id", cmd.user_id, user_prefixes)
        .token("trigger_id", cmd.trigger_id);
    if (!check.defect().empty()) return malformed_request{"the slash command's " + check.defect()};
    return cmd;
}

inbound interaction_from(nlohmann::json payload) {
    if (!payload.is_object()) return malformed_request{"the interactivity payload is not a JSON object"};
    auto type = text_of(payload, "type");
    if (type.empty()) return malformed_request{"the interactivity payload has no type"};
    if (auto why = interaction_defect(payload); !why.empty())
        return malformed_request{"the interactivity payload's " + why};
    return interaction{std::move(type), std::move(payload)};
}

inbound events_api_from(nlohmann::json json) {
    if (!json.is_object()) return malformed_request{"the body is not a JSON object"};
    auto type = text_of(json, "type");
    if (type == "url_verification") {
        auto challenge = text_of(json, "challenge");
        if (challenge.empty()) return malformed_request{"url_verification without a challenge"};
        return url_verification{std::move(challenge)};
    }
    if (type == "event_callback") {
        std::string event_type;
        if (auto e = json.find("event"); e != json.end()) event_type = text_of(*e, "type");
        if (auto why = reaction_defect(json); !why.empty()) return malformed_request{"the event's " + why};
        return event_callback{text_of(json, "event_id"), std::move(event_type),
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
