#pragma once
// A local Slack Socket Mode endpoint that speaks Slack's protocol: `apps.connections.open` on the
// fake Web API (fake_slack, so the same fake also sees cxos's posts) answers the app-level token
// with `wss://127.0.0.1:<port>/link?ticket=…` (each ticket good once); the WebSocket is TLS with a
// certificate from a test CA, so cxos trusts it only when pointed at that CA (SSL_CERT_FILE); each
// connection is greeted with `hello`. The test pushes envelopes, reads the acks, sends Slack's
// `disconnect`, drops a connection, and redelivers what was never acknowledged.
#include "tests/support/fake_slack.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxos::test {

struct socket_connection {
    int id = 0;                  // 1, 2, … in the order cxos connected
    bool open = false;           // greeted with hello and not closed yet
    bool closed_by_cxos = false; // cxos ended it with a WebSocket close frame
    int opened_at = 0;           // position in the fake's order of events (hello sent)
    int closed_at = 0;           // 0 while open
    int pings = 0;               // WebSocket pings cxos sent on it
};

struct socket_ack {
    int connection = 0;
    std::string envelope_id;
    nlohmann::json payload; // null when the ack carried none
};

struct socket_mode_state {
    std::vector<socket_connection> connections;
    std::vector<socket_ack> acks;
    int urls_issued = 0;        // apps.connections.open calls answered with a URL
    int refused_handshakes = 0; // a ticket that was unknown or already used

    int open_connections() const;
    const socket_ack* ack_for(const std::string& envelope_id) const;
    const socket_connection* connection(int id) const;
};

struct envelope_options {
    int retry_attempt = 0;
    std::string retry_reason;
    std::optional<bool> accepts_response_payload; // default: Slack's for the type
};

class fake_socket_mode {
  public:
    explicit fake_socket_mode(fake_slack& web, std::string app_token = "xapp-1-A0CXOS-1-testtoken");
    ~fake_socket_mode();
    fake_socket_mode(const fake_socket_mode&) = delete;
    fake_socket_mode& operator=(const fake_socket_mode&) = delete;

    const std::string& app_token() const { return app_token_; }
    std::string ca_file() const; // the test CA, for cxos's SSL_CERT_FILE

    // Sends `payload` in an envelope of `type` (events_api, slash_commands, interactive) on
    // `connection` (0: the newest open one); returns its envelope_id.
    std::string push(const std::string& type, const nlohmann::json& payload, int connection = 0,
                     envelope_options options = {});
    void disconnect(int connection, const std::string& reason); // Slack's `disconnect` frame
    // Once the frames already queued for it are written, closes the TCP connection without a
    // WebSocket close: a network failure as cxos sees it.
    void drop(int connection);
    // Stops reading (so pings go unanswered) and writing, yet keeps the TCP connection open: a
    // peer that vanished without a word. The fake counts it closed from then on.
    void go_silent(int connection);
    // Slack's redelivery: each envelope pushed on `connection` and never acknowledged is sent
    // again on the newest open connection with retry_attempt + 1. Their new envelope ids.
    std::vector<std::string> redeliver_unacked(int connection);

    socket_mode_state state() const;
    // Waits until pred(state) holds; it runs under the fake's lock and must not call the fake.
    bool wait_for(const std::function<bool(const socket_mode_state&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

    struct impl;

  private:
    fake_slack& web_;
    std::string app_token_;
    std::shared_ptr<impl> impl_;
};

} // namespace cxos::test
