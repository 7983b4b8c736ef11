#pragma once
// Slack Socket Mode's wire contract: the frames Slack sends over the WebSocket, decoded into typed
// values (an envelope carries the same `slack::inbound` the HTTP decoder produces, so the core
// cannot tell the transports apart), the acknowledgement cxos sends back, and what an
// `apps.connections.open` answer means. Pure: no sockets; a bad frame is a value, never a throw.
#include "adapters/slack/inbound.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cxos::slack {

// The first frame on every connection: Slack is ready to deliver on it.
struct socket_hello {
    int num_connections = 0;                       // this app's open connections, this one included
    std::int64_t approximate_connection_time_s = 0; // when Slack will refresh it
    std::string host;                              // Slack's debug_info.host, for logs
};

enum class disconnect_reason {
    warning,           // this connection will be refreshed in a few seconds
    refresh_requested, // refresh now
    link_disabled,     // Socket Mode was turned off for the app: reconnecting cannot help
    other,             // anything newer: treated as a refresh
};

struct socket_disconnect {
    disconnect_reason reason = disconnect_reason::other;
    std::string reason_text; // as Slack wrote it
};

// `events_api`, `slash_commands` or `interactive`, with its payload decoded.
struct socket_envelope {
    std::string envelope_id;
    std::string type;
    inbound request; // malformed_request when the payload is not what the type promises
    int retry_attempt = 0;
    std::string retry_reason;
    bool accepts_response_payload = false;
};

// Not a frame cxos understands. `envelope_id` is set when it still must be acknowledged (an
// envelope of a type this version does not know), so Slack stops delivering it.
struct socket_bad_frame {
    std::string message;
    std::string envelope_id;
};

using socket_frame = std::variant<socket_hello, socket_disconnect, socket_envelope, socket_bad_frame>;

socket_frame decode_socket_frame(std::string_view text);

std::string_view to_string(disconnect_reason r);

// `{"envelope_id": …}` plus `"payload": …` when `payload` is an object: what the HTTP ack's body
// would have been (an ephemeral answer, `response_action: errors`, …).
std::string encode_socket_ack(std::string_view envelope_id, const nlohmann::json& payload);

// A `wss://` URL split for the WebSocket handshake. `target` carries the query (the ticket):
// a secret, never logged.
struct socket_url {
    std::string host;
    std::string port;
    std::string target;
};

std::optional<socket_url> parse_socket_url(std::string_view text);

// What an `apps.connections.open` answer means.
struct connections_open_result {
    std::string url;   // set on success
    std::string error; // Slack's error code or an HTTP description; never a token or the URL
    bool credential_problem = false; // the app-level token is refused: an operator must act
    std::int64_t retry_after_seconds = 0; // 429: wait at least this long
};

connections_open_result classify_connections_open(unsigned http_status, std::string_view retry_after,
                                                  std::string_view body);

} // namespace cxos::slack
