#include "bot/slack/slack_socket_session.hpp"

#include "bot/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

namespace cxos::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// Slack's envelopes are a few KB; a modal's view state stays far below this.
constexpr std::size_t max_frame = 1024 * 1024;

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

} // namespace

slack_socket_session::slack_socket_session(asio::any_io_executor ex, std::shared_ptr<socket_shared> shared,
                                           std::string name)
    : shared_(std::move(shared)), name_(std::move(name)), ws_(ex, shared_->tls), ended_(ex) {
    ended_.expires_at(asio::steady_timer::time_point::max());
    ws_.read_message_max(max_frame);
}

asio::awaitable<std::string> slack_socket_session::open(slack::socket_url url) {
    auto& tcp_layer = beast::get_lowest_layer(ws_);
    tcp::resolver resolver(ws_.get_executor());
    auto [rec, results] = co_await resolver.async_resolve(url.host, url.port, asio::as_tuple(asio::use_awaitable));
    if (rec) co_return "resolve " + url.host + ": " + rec.message();
    // One deadline for connecting, both handshakes and Slack's hello.
    tcp_layer.expires_after(shared_->timeouts.open);
    auto [cec, ep] = co_await tcp_layer.async_connect(results, asio::as_tuple(asio::use_awaitable));
    if (cec) co_return "connect " + url.host + ": " + cec.message();
    auto& tls = ws_.next_layer();
    // SNI names a host, never an address; the certificate must name the host (or address) we meant.
    if (!is_ip_literal(url.host) && !SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str()))
        co_return "TLS: cannot set SNI";
    tls.set_verify_callback(ssl::host_name_verification(url.host));
    auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
    if (hec) co_return "TLS handshake with " + url.host + ": " + hec.message();
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
        req.set(beast::http::field::user_agent, "cxos/" CXOS_VERSION);
    }));
    const std::string host_header = url.port == "443" ? url.host : url.host + ":" + url.port;
    auto [wec] = co_await ws_.async_handshake(host_header, url.target, asio::as_tuple(asio::use_awaitable));
    if (wec) co_return "WebSocket handshake with " + url.host + ": " + wec.message();

    auto [rdec, n] = co_await ws_.async_read(buffer_, asio::as_tuple(asio::use_awaitable));
    if (rdec) co_return "waiting for Slack's hello: " + rdec.message();
    auto first = slack::decode_socket_frame(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    auto* hello = std::get_if<slack::socket_hello>(&first);
    if (!hello) co_return "Slack's first frame was not hello";
    hello_ = *hello;
    greeted_at_ = std::chrono::steady_clock::now();

    // From here the WebSocket keeps time itself: it pings an idle Slack and gives up on a silent one.
    tcp_layer.expires_never();
    websocket::stream_base::timeout keep_alive{};
    keep_alive.handshake_timeout = shared_->timeouts.open; // bounds our close handshake
    keep_alive.idle_timeout = shared_->timeouts.idle;
    keep_alive.keep_alive_pings = true;
    ws_.set_option(keep_alive);
    ws_.text(true);
    co_return std::string();
}

void slack_socket_session::start_reading() {
    ++shared_->connections_reading;
    asio::co_spawn(ws_.get_executor(), [self = shared_from_this()] { return self->read_loop(); }, asio::detached);
}

asio::awaitable<slack_socket_session::ending> slack_socket_session::wait_ending() {
    if (!ending_) co_await ended_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return ending_.value_or(ending::lost);
}

void slack_socket_session::end(ending why) {
    if (ending_) return;
    ending_ = why;
    ended_.cancel();
}

asio::awaitable<void> slack_socket_session::read_loop() {
    for (;;) {
        auto [ec, n] = co_await ws_.async_read(buffer_, asio::as_tuple(asio::use_awaitable));
        if (ec) {
            --shared_->connections_reading;
            if (retiring_) {
                log_debug("Socket Mode connection closed", {{"connection", name_}});
                end(ending::closed);
            } else {
                log_warn("Socket Mode connection lost", {{"connection", name_}, {"error", ec.message()}});
                end(ending::lost);
            }
            co_return;
        }
        const auto text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        on_frame(text);
    }
}

void slack_socket_session::on_frame(std::string_view text) {
    auto frame = slack::decode_socket_frame(text);
    if (auto* e = std::get_if<slack::socket_envelope>(&frame)) {
        ++handling_;
        ++shared_->envelopes_in_flight;
        asio::co_spawn(ws_.get_executor(),
                       [self = shared_from_this(), e = std::move(*e)]() mutable { return self->handle_envelope(std::move(e)); },
                       asio::detached);
        return;
    }
    if (auto* d = std::get_if<slack::socket_disconnect>(&frame)) {
        log_info("Slack is ending a Socket Mode connection (disconnect)",
                 {{"connection", name_}, {"reason", d->reason_text}});
        end(d->reason == slack::disconnect_reason::link_disabled ? ending::link_disabled : ending::refresh);
        return;
    }
    if (auto* bad = std::get_if<slack::socket_bad_frame>(&frame)) {
        log_warn("Socket Mode frame cxos cannot use", {{"connection", name_}, {"reason", bad->message}});
        // Acknowledged anyway when it is an envelope: Slack would only send it again.
        if (!bad->envelope_id.empty()) send(slack::encode_socket_ack(bad->envelope_id, nlohmann::json()));
        return;
    }
    log_debug("Socket Mode hello on an open connection", {{"connection", name_}});
}

asio::awaitable<void> slack_socket_session::handle_envelope(slack::socket_envelope e) {
    // The answer exists only once what it acknowledges is committed: the ack waits for it, as
    // POST /slack/events' response does. An envelope left unacknowledged is delivered again.
    try {
        auto answering = shared_->handler(std::move(e.request), e.retry_attempt);
        auto answer = co_await std::move(answering);
        const auto status = answer.result_int();
        if (status >= 200 && status < 300) {
            nlohmann::json payload;
            if (e.accepts_response_payload && !answer.body().empty())
                payload = nlohmann::json::parse(answer.body(), nullptr, false);
            if (payload.is_discarded()) payload = nullptr;
            send(slack::encode_socket_ack(e.envelope_id, payload));
        } else {
            log_warn("Socket Mode envelope not acknowledged; Slack will deliver it again",
                     {{"connection", name_}, {"type", e.type}, {"status", status}});
        }
    } catch (const std::exception& ex) {
        log_error("Socket Mode envelope failed; Slack will deliver it again",
                  {{"connection", name_}, {"type", e.type}, {"error", ex.what()}});
    }
    --handling_;
    --shared_->envelopes_in_flight;
    kick_writer(); // a retiring connection closes once its last ack is out
}

void slack_socket_session::send(std::string frame) {
    if (close_sent_) {
        log_warn("Socket Mode ack not sent: the connection is closing; Slack will deliver it again",
                 {{"connection", name_}});
        return;
    }
    outgoing_.push_back(std::move(frame));
    kick_writer();
}

bool slack_socket_session::close_due() const {
    return retiring_ && handling_ == 0 && !close_sent_ && ws_.is_open();
}

void slack_socket_session::kick_writer() {
    if (writing_ || (outgoing_.empty() && !close_due())) return;
    writing_ = true;
    asio::co_spawn(ws_.get_executor(), [self = shared_from_this()] { return self->write_loop(); }, asio::detached);
}

asio::awaitable<void> slack_socket_session::write_loop() {
    // One write at a time on a WebSocket; the close frame goes after every ack queued before it.
    while (!outgoing_.empty()) {
        auto frame = std::move(outgoing_.front());
        outgoing_.pop_front();
        auto [ec, n] = co_await ws_.async_write(asio::buffer(frame), asio::as_tuple(asio::use_awaitable));
        if (ec) {
            log_warn("Socket Mode ack not delivered; Slack will deliver the envelope again",
                     {{"connection", name_}, {"error", ec.message()}});
            outgoing_.clear();
        }
    }
    if (close_due()) {
        close_sent_ = true;
        auto [ec] = co_await ws_.async_close(websocket::close_code::normal, asio::as_tuple(asio::use_awaitable));
        if (ec) log_debug("Socket Mode close handshake", {{"connection", name_}, {"error", ec.message()}});
    }
    writing_ = false;
    kick_writer(); // acks queued while the close handshake ran are dropped by send()
}

void slack_socket_session::retire() {
    retiring_ = true;
    if (!ws_.is_open()) end(ending::closed);
    else kick_writer();
}

} // namespace cxos::bot
