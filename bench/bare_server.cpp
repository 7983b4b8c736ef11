// The reference cxos is measured against: a bare Beast server on one thread, with C++20
// coroutines like cxos, that reads each request and answers a fixed JSON ack: no signature check,
// no parsing, no storage. It is built with the project so the figure "cxos / bare" compares two
// programs on the same machine, compiler and flags in one sitting, not against a number from
// another day. Usage: cxos_bare_server PORT
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The same size and shape as an ephemeral Slack ack.
constexpr std::string_view ack =
    R"({"response_type":"ephemeral","text":"Logged: item 1","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"Logged."}}]})";

asio::awaitable<void> session(tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
        http::request<http::string_body> req;
        co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.keep_alive(req.keep_alive());
        res.body() = ack;
        res.prepare_payload();
        co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !res.keep_alive()) break;
    }
    socket.shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> listen(tcp::acceptor acceptor) {
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: cxos_bare_server PORT\n";
        return 2;
    }
    asio::io_context io(1);
    const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    asio::co_spawn(io, listen(std::move(acceptor)), asio::detached);
    io.run();
}
