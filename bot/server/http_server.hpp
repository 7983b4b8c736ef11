#pragma once
// The listener and its sessions. A session only moves bytes: it reads a bounded request, hands
// it to the handler and writes the answer; it knows nothing of Slack or storage.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cxos::bot {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;
using request_handler = std::function<boost::asio::awaitable<http_response>(http_request&)>;

struct server_limits {
    std::size_t body_limit = 256 * 1024; // Slack payloads are a few KB; anything larger is not Slack
    std::size_t header_limit = 16 * 1024;
    std::chrono::milliseconds idle_timeout{30000}; // a read or write waiting longer closes the connection
};

// The content type is a view: callers pass literals, and a std::string of one was allocated for
// every answer.
http_response make_response(unsigned status, std::string_view content_type, std::string body);
http_response json_response(unsigned status, std::string body);
http_response text_response(unsigned status, std::string body);

class http_server {
  public:
    http_server(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint at,
                request_handler handler, server_limits limits = {});

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    void start();
    void stop_accepting();
    std::size_t active_requests() const { return active_requests_->load(); }

  private:
    boost::asio::awaitable<void> accept_loop();

    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<request_handler> handler_;
    server_limits limits_;
    std::shared_ptr<std::atomic<std::size_t>> active_requests_ =
        std::make_shared<std::atomic<std::size_t>>(0);
};

} // namespace cxos::bot
