#pragma once
// One Slack Socket Mode connection: a TLS WebSocket (SNI, certificate and host-name verification
// against the system trust store) that waits for Slack's `hello`, reads envelopes, hands each to
// the Slack request handler, and acknowledges it with the handler's answer once that exists (so
// after the commit). It knows nothing of reconnecting: it says why it ended and its owner
// (slack_socket_mode) decides.
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/socket_mode.hpp"
#include "bot/server/http_server.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cxos::bot {

// What POST /slack/events runs after verifying and decoding; Socket Mode runs the same.
using slack_request_handler =
    std::function<boost::asio::awaitable<http_response>(slack::inbound request, int retry_attempt)>;

struct socket_timeouts {
    std::chrono::milliseconds open{10000}; // connect, TLS, WebSocket handshake and Slack's hello
    // No frame for half of this: cxos pings; none for all of it: the connection is dead.
    std::chrono::milliseconds idle{30000};
};

// What every connection shares: the TLS context, the handler, and what a graceful stop waits
// for (envelopes not yet acknowledged, connections not yet closed).
struct socket_shared {
    boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
    slack_request_handler handler;
    socket_timeouts timeouts;
    std::size_t envelopes_in_flight = 0;
    std::size_t connections_reading = 0;
};

class slack_socket_session : public std::enable_shared_from_this<slack_socket_session> {
  public:
    enum class ending {
        refresh,       // Slack sent `disconnect` (warning, refresh_requested): replace me, then retire me
        link_disabled, // Socket Mode was turned off for the app
        lost,          // the connection failed or Slack closed it
        closed,        // cxos closed it (retire)
    };

    // `name` says which connection this is in logs (never the URL: it carries the ticket).
    slack_socket_session(boost::asio::any_io_executor ex, std::shared_ptr<socket_shared> shared, std::string name);

    // Connects and waits for `hello`; an empty string on success, else what failed.
    boost::asio::awaitable<std::string> open(slack::socket_url url);
    const slack::socket_hello& hello() const { return hello_; }
    std::chrono::steady_clock::time_point greeted_at() const { return greeted_at_; }
    // Reads envelopes until the connection ends.
    void start_reading();
    // Completes with the first reason this connection needs replacing or ended.
    boost::asio::awaitable<ending> wait_ending();
    // Closes the connection once the envelopes it is handling are acknowledged.
    void retire();
    const std::string& name() const { return name_; }

  private:
    boost::asio::awaitable<void> read_loop();
    boost::asio::awaitable<void> handle_envelope(slack::socket_envelope e);
    boost::asio::awaitable<void> write_loop();
    void on_frame(std::string_view text);
    void send(std::string frame);
    void end(ending why);
    // Starts the writer when there is an ack to send, or a retiring connection is due to close.
    void kick_writer();
    bool close_due() const;

    std::shared_ptr<socket_shared> shared_;
    std::string name_;
    boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>> ws_;
    boost::beast::flat_buffer buffer_;
    slack::socket_hello hello_;
    std::chrono::steady_clock::time_point greeted_at_;
    std::deque<std::string> outgoing_;
    bool writing_ = false;
    bool retiring_ = false;
    bool close_sent_ = false;
    std::size_t handling_ = 0; // envelopes of this connection not yet acknowledged
    std::optional<ending> ending_;
    boost::asio::steady_timer ended_; // cancelled when ending_ is set
};

} // namespace cxos::bot
