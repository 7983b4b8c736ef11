#include "adapters/slack/socket_mode.hpp"

#include "adapters/slack/json_fields.hpp"
#include "adapters/slack/web_api.hpp"
#include "commands/json_text.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <charconv>

namespace cxos::slack {
namespace {

std::int64_t int_field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// A slash command arrives as the JSON object of the fields Slack would have form-encoded.
inbound slash_command_from_json(const nlohmann::json& payload) {
    if (!payload.is_object()) return malformed_request{"the slash command payload is not a JSON object"};
    form_fields fields;
    for (const auto& [key, value] : payload.items())
        if (value.is_string()) fields[key] = value.get<std::string>();
    return slash_command_from(std::move(fields));
}

inbound request_of(const std::string& type, nlohmann::json payload) {
    if (type == "slash_commands") return slash_command_from_json(payload);
    if (type == "interactive") return interaction_from(std::move(payload));
    return events_api_from(std::move(payload)); // events_api: the Events API body itself
}

disconnect_reason reason_of(std::string_view text) {
    if (text == "warning") return disconnect_reason::warning;
    if (text == "refresh_requested") return disconnect_reason::refresh_requested;
    if (text == "link_disabled") return disconnect_reason::link_disabled;
    return disconnect_reason::other;
}

} // namespace

std::string_view to_string(disconnect_reason r) {
    switch (r) {
    case disconnect_reason::warning: return "warning";
    case disconnect_reason::refresh_requested: return "refresh_requested";
    case disconnect_reason::link_disabled: return "link_disabled";
    case disconnect_reason::other: break;
    }
    return "other";
}

socket_frame decode_socket_frame(std::string_view text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return socket_bad_frame{"the frame is not a JSON object", ""};
    const auto type = text_of(json, "type");
    if (type == "hello") {
        socket_hello h;
        h.num_connections = static_cast<int>(int_field(json, "num_connections"));
        if (auto info = json.find("debug_info"); info != json.end()) {
            h.approximate_connection_time_s = int_field(*info, "approximate_connection_time");
            h.host = text_of(*info, "host");
        }
        return h;
    }
    if (type == "disconnect") {
        auto reason = text_of(json, "reason");
        return socket_disconnect{reason_of(reason), reason};
    }
    auto envelope_id = text_of(json, "envelope_id");
    if (type.empty()) return socket_bad_frame{"the frame has no `type`", envelope_id};
    if (type != "events_api" && type != "slash_commands" && type != "interactive")
        return socket_bad_frame{"an envelope of type '" + type + "' cxos does not handle", envelope_id};
    if (envelope_id.empty()) return socket_bad_frame{"a '" + type + "' envelope without an envelope_id", ""};
    socket_envelope e;
    e.envelope_id = std::move(envelope_id);
    e.type = type;
    e.retry_attempt = static_cast<int>(int_field(json, "retry_attempt"));
    e.retry_reason = text_of(json, "retry_reason");
    e.accepts_response_payload = bool_field(json, "accepts_response_payload");
    auto payload = json.find("payload");
    e.request = payload == json.end() ? inbound{malformed_request{"the envelope has no payload"}}
                                      : request_of(type, std::move(*payload));
    return e;
}

std::string encode_socket_ack(std::string_view envelope_id, const nlohmann::json& payload) {
    nlohmann::json ack = {{"envelope_id", envelope_id}};
    if (payload.is_object() && !payload.empty()) ack["payload"] = payload;
    return json_text(ack);
}

std::optional<socket_url> parse_socket_url(std::string_view text) {
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed || parsed->scheme() != "wss" || parsed->host().empty()) return std::nullopt;
    // Boost.URL 1.81 reads "wss://h:x/…" as host h, an empty port and the path "x/…": after an
    // authority a path must start with '/', so that is no URL to connect to.
    if (const auto path = parsed->encoded_path(); !path.empty() && path.front() != '/') return std::nullopt;
    socket_url u;
    u.host = parsed->host_address();
    // "wss://host:/…" has a port with no digits: the scheme's own.
    u.port = parsed->port().empty() ? "443" : std::string(parsed->port());
    u.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) u.target += "?" + std::string(parsed->encoded_query());
    return u;
}

connections_open_result classify_connections_open(unsigned http_status, std::string_view retry_after,
                                                  std::string_view body) {
    connections_open_result r;
    if (http_status == 429) {
        r.retry_after_seconds = parse_retry_after(retry_after);
        r.error = "rate limited (HTTP 429)";
        return r;
    }
    auto answer = ok_answer(http_status, body, r.error);
    if (!answer) {
        // A bot or user token where the app-level one belongs is as fatal as a revoked one.
        r.credential_problem = is_credential_error(r.error) || r.error == "not_allowed_token_type";
        return r;
    }
    const auto& json = *answer;
    r.url = text_of(json, "url");
    if (!parse_socket_url(r.url)) {
        r.url.clear();
        r.error = "the answer has no wss:// url";
    }
    return r;
}

} // namespace cxos::slack
