#include "tests/support/loopback_http_server.hpp"

#include "tests/support/http_headers.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace cxos::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

loopback_http_server::loopback_http_server(handler h, std::size_t body_limit)
    : handler_(std::move(h)), body_limit_(body_limit) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("loopback_http_server: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
        for (;;) {
            int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) return;
            std::lock_guard lock(mutex_);
            if (stopping_) {
                ::close(fd);
                return;
            }
            if (raw_session_) sessions_.emplace_back([session = raw_session_, fd] { session(fd); });
            else sessions_.emplace_back([this, fd] { serve(fd); });
        }
    });
}

loopback_http_server::~loopback_http_server() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    for (auto& t : sessions_) t.join();
}

void loopback_http_server::hand_connections_to(std::function<void(int fd)> session) {
    std::lock_guard lock(mutex_);
    raw_session_ = std::move(session);
}

bool loopback_http_server::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void loopback_http_server::serve(int fd) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io, asio::ip::tcp::v4(), fd);
    beast::flat_buffer buffer;
    // Poll so the destructor is not held up by an idle keep-alive connection.
    ::timeval tv{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (!stopping()) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(body_limit_);
        beast::error_code ec;
        http::read(socket, buffer, parser, ec);
        if ((ec == asio::error::would_block || ec == asio::error::try_again || ec == beast::error::timeout) &&
            buffer.size() == 0)
            continue;
        if (ec) break;
        auto req = parser.release();
        const loopback_request in{std::string(req.method_string()), std::string(req.target()),
                                  lower_case_headers(req), req.body()};
        loopback_response out;
        try {
            out = handler_(in);
        } catch (const std::exception& e) {
            // A body the fake did not expect must fail that request, not the whole test process.
            out = loopback_response::with_json(500, {{"error", {{"code", "FakeServerError"}, {"message", e.what()}}}});
        }
        if (out.drop) break;
        http::response<http::string_body> res{static_cast<http::status>(out.status), 11};
        res.set(http::field::content_type, out.content_type);
        for (const auto& [name, value] : out.headers) res.set(name, value);
        res.keep_alive(req.keep_alive());
        res.body() = out.body;
        res.prepare_payload();
        http::write(socket, res, ec);
        if (ec || !req.keep_alive()) break;
    }
    beast::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

} // namespace cxos::test
