#pragma once
// The one outbound HTTP client: HTTPS with SNI and certificate + host-name verification against
// the system trust store (plain HTTP only where config allowed it: loopback test peers), and
// keep-alive connections reused per host. Failures are values, never exceptions.
#include "bot/core/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cxos::bot {

struct outbound_request {
    boost::beast::http::verb method = boost::beast::http::verb::post;
    std::string target; // path and query, e.g. "/api/chat.postMessage"
    std::string content_type;
    std::string body;
    std::string bearer_token;
    std::chrono::milliseconds timeout{10000};
};

struct outbound_response {
    std::string error;         // empty when an HTTP answer arrived
    bool request_written = false; // true once the peer may have seen the request
    unsigned status = 0;
    bool keep_alive = false;
    std::string retry_after;
    std::string body;
};

class http_client {
  public:
    explicit http_client(boost::asio::any_io_executor ex);
    ~http_client();

        // `req` must outlive the returned awaitable (await it at once). Arguments to co_await
    // expressions are kept as named objects throughout: GCC 12 can destroy a non-trivial
    // temporary in a co_await expression twice.
    boost::asio::awaitable<outbound_response> send(const endpoint_url& to, const outbound_request& req);

  private:
    struct connection;
    boost::asio::any_io_executor executor_;
    boost::asio::ssl::context tls_;
    std::map<std::string, std::vector<std::unique_ptr<connection>>> idle_;
};

} // namespace cxos::bot
