#include "bot/server/http_server.hpp"

#include "bot/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>

#include <array>

namespace cxos::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

http_response make_response(unsigned status, std::string_view content_type, std::string body) {
    http_response res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "cxos");
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    return res;
}

http_response json_response(unsigned status, std::string body) {
    return make_response(status, "application/json; charset=utf-8", std::move(body));
}

http_response text_response(unsigned status, std::string body) {
    return make_response(status, "text/plain; charset=utf-8", std::move(body));
}

namespace {

// Counts a request as in flight for the whole of its handling, so shutdown can wait for it.
struct in_flight {
    std::shared_ptr<std::atomic<std::size_t>> counter;
    explicit in_flight(std::shared_ptr<std::atomic<std::size_t>> c) : counter(std::move(c)) { ++*counter; }
    ~in_flight() { --*counter; }
};

// A connection's one deadline, checked by one timer per connection rather than armed and
// cancelled around every read and write (what beast::tcp_stream does): re-arming a timer twice per
// request cost the I/O thread about 2 µs of a request's ~17. The session moves the deadline with
// a clock read; the watchdog wakes when the deadline it last saw comes and looks again.
struct connection_watch {
    tcp::socket socket;
    asio::steady_timer timer;
    std::chrono::steady_clock::time_point deadline{};
    bool waiting = false; // a read or write is under way: the only time the deadline applies
    bool finished = false;

    explicit connection_watch(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    void wait_for(std::chrono::steady_clock::duration d) {
        waiting = true;
        deadline = std::chrono::steady_clock::now() + d;
        // Deadlines only move later, except for the short lingering close: wake the watchdog for
        // it. Compared with when the timer will wake, not with the last deadline, which may be
        // long past while the watchdog sleeps a whole idle timeout.
        if (deadline < timer.expiry()) timer.cancel();
    }
    // The watchdog closed the socket: the peer timed out and the connection is over.
    bool timed_out() const { return !socket.is_open(); }
    void done_waiting() { waiting = false; }
};

asio::awaitable<void> watch_connection(std::shared_ptr<connection_watch> watch, std::chrono::milliseconds idle_timeout) {
    while (!watch->finished) {
        const auto now = std::chrono::steady_clock::now();
        if (watch->waiting && now >= watch->deadline) {
            // An idle or too slow peer. Closed, not cancelled: a cancel reaches only the read or
            // write pending at this instant, and an http::async_read whose last read_some had
            // just completed would start the next one with no deadline left to end it.
            beast::error_code ignored;
            watch->socket.close(ignored);
            watch->waiting = false;
        }
        // While a request is being handled no deadline applies; the next read or write sets one
        // no earlier than now + idle_timeout, so waking then is never late.
        watch->timer.expires_at(watch->waiting ? watch->deadline : now + idle_timeout);
        co_await watch->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

bool peer_went_away(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
           ec == asio::error::connection_reset || ec == asio::error::eof;
}

asio::awaitable<void> run_session(tcp::socket socket, std::shared_ptr<request_handler> handler,
                                  server_limits limits,
                                  std::shared_ptr<std::atomic<std::size_t>> active) {
    auto watch = std::make_shared<connection_watch>(std::move(socket));
    auto& stream = watch->socket;
    asio::co_spawn(stream.get_executor(), watch_connection(watch, limits.idle_timeout), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(limits.body_limit);
        parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
        watch->wait_for(limits.idle_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        watch->done_waiting();
        if (watch->timed_out() || peer_went_away(ec)) break;
        http_response res;
        bool keep_alive = false, head_request = false;
        if (ec == http::error::body_limit) {
            res = text_response(413, "request body too large\n");
        } else if (ec == http::error::header_limit) {
            res = text_response(431, "request headers too large\n");
        } else if (ec) {
            res = text_response(400, "malformed HTTP request: " + ec.message() + "\n");
        } else {
            in_flight guard(active);
            auto req = parser.release();
            keep_alive = req.keep_alive();
            head_request = req.method() == http::verb::head;
            try {
                res = co_await (*handler)(req);
            } catch (const std::exception& e) {
                log_error("request failed", {{"target", std::string(req.target())}, {"error", e.what()}});
                res = text_response(500, "internal error\n");
            }
        }
        res.keep_alive(keep_alive);
        res.prepare_payload();
        if (head_request) res.body().clear(); // HEAD keeps the Content-Length, sends no body
        watch->wait_for(limits.idle_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        watch->done_waiting();
        if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    // Lingering close: read what the client is still sending (say, the rest of a body over the
    // limit) so that closing does not reset the connection before it reads our answer. A peer
    // that timed out is owed no answer and was already let go.
    if (!watch->timed_out()) {
        stream.shutdown(tcp::socket::shutdown_send, ignored);
        watch->wait_for(std::chrono::seconds(2));
        std::array<char, 16 * 1024> sink;
        for (std::size_t drained = 0; drained < 4 * 1024 * 1024;) {
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
            if (ec) break;
            drained += n;
        }
    }
    watch->finished = true;
    watch->timer.cancel();
    stream.close(ignored);
}

} // namespace

http_server::http_server(asio::any_io_executor ex, tcp::endpoint at, request_handler handler,
                         server_limits limits)
    : acceptor_(ex), handler_(std::make_shared<request_handler>(std::move(handler))), limits_(limits) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void http_server::start() {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

void http_server::stop_accepting() {
    beast::error_code ignored;
    acceptor_.close(ignored);
}

asio::awaitable<void> http_server::accept_loop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) {
            // EMFILE and friends: keep serving the connections we have, and do not spin.
            log_warn("accept failed", {{"error", ec.message()}});
            asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        asio::co_spawn(acceptor_.get_executor(),
                       run_session(std::move(socket), handler_, limits_, active_requests_),
                       asio::detached);
    }
}

} // namespace cxos::bot
