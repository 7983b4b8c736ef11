// The listener's idle timeout, seen from a client: a peer that stops sending is let go, a request
// that takes long to handle is still answered, and the clock restarts with every read and write.
#include "bot/server/http_server.hpp"
#include "tests/support/eventually.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <string>
#include <thread>

using namespace cxos::bot;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using cxos::test::eventually;

namespace {

constexpr milliseconds idle_timeout{300};
constexpr milliseconds slow_handling{450}; // longer than the idle timeout

// A server on its own I/O thread whose one route answers "done" after `slow_handling` for
// /slow and at once otherwise.
struct running_server {
    asio::io_context io{1};
    http_server server{io.get_executor(), {asio::ip::make_address("127.0.0.1"), 0},
                       [this](http_request& req) -> asio::awaitable<http_response> {
                           if (req.target() == "/slow") {
                               asio::steady_timer pause(io, slow_handling);
                               co_await pause.async_wait(asio::use_awaitable);
                           }
                           co_return text_response(200, "done");
                       },
                       server_limits{.idle_timeout = idle_timeout}};
    std::thread runner;

    running_server() {
        server.start();
        runner = std::thread([this] { io.run(); });
    }
    ~running_server() {
        io.stop();
        runner.join();
    }
};

// A blocking client that gives up on a read after five seconds, so a server that never closes
// fails the test instead of hanging it.
struct client {
    asio::io_context io;
    tcp::socket socket{io};
    std::string received;

    explicit client(const running_server& s) {
        socket.connect(s.server.local_endpoint());
        timeval five_seconds{5, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    }
    void send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
    std::string answer() {
        boost::system::error_code ec;
        const auto end = asio::read_until(socket, asio::dynamic_buffer(received), "done", ec);
        REQUIRE_FALSE(ec);
        auto head = received.substr(0, end);
        received.erase(0, end);
        return head;
    }
    // The error that ends reading: eof when the server closed the connection.
    boost::system::error_code read_until_closed() {
        boost::system::error_code ec;
        char sink[256];
        while (!ec) socket.read_some(asio::buffer(sink), ec);
        return ec;
    }
};

} // namespace

TEST_CASE("A client that stops halfway through its request headers is disconnected after the idle timeout") {
    running_server s;
    client c(s);
    const auto start = steady_clock::now();
    c.send("POST /slack/events HTTP/1.1\r\nHost: cxos\r\n");
    CHECK(c.read_until_closed() == asio::error::eof);
    const auto waited = steady_clock::now() - start;
    CHECK(waited >= idle_timeout);
    CHECK(waited < std::chrono::seconds(3));
}

TEST_CASE("A keep-alive connection left idle after its answer is closed one idle timeout later") {
    running_server s;
    client c(s);
    c.send("GET /fast HTTP/1.1\r\nHost: cxos\r\n\r\n");
    CHECK(c.answer().find("HTTP/1.1 200") == 0);
    const auto answered = steady_clock::now();
    CHECK(c.read_until_closed() == asio::error::eof);
    CHECK(steady_clock::now() - answered >= idle_timeout - milliseconds(20));
}

TEST_CASE("A request handled for longer than the idle timeout is still answered, and the connection serves the next") {
    running_server s;
    client c(s);
    c.send("GET /slow HTTP/1.1\r\nHost: cxos\r\n\r\n");
    CHECK(c.answer().find("HTTP/1.1 200") == 0);
    c.send("GET /fast HTTP/1.1\r\nHost: cxos\r\n\r\n");
    CHECK(c.answer().find("HTTP/1.1 200") == 0);
}

TEST_CASE("A client that ignores the close after its idle timeout is let go at once and not lingered on") {
    running_server s;
    client c(s);
    c.send("POST /slack/events HTTP/1.1\r\nHost: cxos\r\n");
    CHECK(c.read_until_closed() == asio::error::eof);
    const auto closed = steady_clock::now();
    // Once the server holds the socket no more, what the client still sends is refused (reset).
    boost::system::error_code ec;
    REQUIRE(eventually([&] {
        asio::write(c.socket, asio::buffer(std::string_view("x")), ec);
        return bool(ec);
    }, std::chrono::seconds(5)));
    CHECK(steady_clock::now() - closed < std::chrono::seconds(1));
}
