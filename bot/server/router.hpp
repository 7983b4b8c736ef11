#pragma once
// The one route table: which endpoint serves which path and method, what metrics call it, and
// how failures become statuses. Endpoints of surfaces that are not configured are not in it; a
// path the operator might expect gets a 404 that says how to turn it on.
#include "bot/core/metrics.hpp"
#include "bot/server/endpoint.hpp"

#include <boost/beast/http/verb.hpp>

#include <string>
#include <vector>

namespace cxos::bot {

struct route {
    std::string path;    // the exact path, or with `prefix` every path that starts with it
    bool prefix = false;
    std::vector<boost::beast::http::verb> methods; // HEAD is served wherever GET is
    endpoint* handler = nullptr;                   // owned by the wiring, outlives the router
    bool acknowledges = false; // a chat or ingest ack: its latency feeds the ack histogram
    bool verifies = false;     // refuses unauthenticated requests: its 401s are verification failures
    std::string metrics_label; // default: `path`
};

class router {
  public:
    // Start-up only, before serving.
    void add(route r);
    // A surface that is off: its path answers 404 with `why` (how to turn it on).
    void add_off(std::string path, std::string why);

    boost::asio::awaitable<http_response> handle(http_request& req);

  private:
    struct entry {
        route r;
        endpoint_id metrics_id = 0;
    };
    const entry* find(std::string_view path) const;

    std::vector<entry> routes_;
    std::vector<std::pair<std::string, std::string>> off_;
};

} // namespace cxos::bot
