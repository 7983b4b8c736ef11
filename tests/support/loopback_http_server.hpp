#pragma once
// A plain-HTTP server on 127.0.0.1 and a random free port, one thread per connection (like
// fake_slack), that hands each request to a handler and writes back what it returns. Fakes of
// remote services build on it; they keep their own state and lock.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cxos::test {

struct loopback_request {
    std::string method;
    std::string target; // origin form as sent: path and query, still percent-encoded
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    std::string header(const std::string& lower_case_name) const {
        auto it = headers.find(lower_case_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct loopback_response {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
    std::map<std::string, std::string> headers; // extra ones, e.g. Retry-After
    bool drop = false; // close the connection without answering

    static loopback_response with_body(unsigned status, std::string body) {
        loopback_response r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
    static loopback_response with_json(unsigned status, const nlohmann::json& body) {
        return with_body(status, body.dump());
    }
};

class loopback_http_server {
  public:
    using handler = std::function<loopback_response(const loopback_request&)>;

    // Bodies up to `body_limit` bytes are read whole (so a fake can refuse large ones itself).
    explicit loopback_http_server(handler h, std::size_t body_limit = 8 * 1024 * 1024);
    // Stops accepting, lets handlers in progress finish and joins every connection thread.
    ~loopback_http_server();
    loopback_http_server(const loopback_http_server&) = delete;
    loopback_http_server& operator=(const loopback_http_server&) = delete;

    // Connections accepted from now on go to `session` (which then owns the socket) instead of
    // being read as HTTP: for a fake that answers a TLS handshake, say.
    void hand_connections_to(std::function<void(int fd)> session);

    unsigned short port() const { return port_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  private:
    void serve(int fd);
    bool stopping() const;

    handler handler_;
    std::function<void(int fd)> raw_session_;
    std::size_t body_limit_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::thread acceptor_;
    std::vector<std::thread> sessions_;
    mutable std::mutex mutex_;
    bool stopping_ = false;
};

} // namespace cxos::test
