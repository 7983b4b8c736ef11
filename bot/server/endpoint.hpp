#pragma once
// One HTTP surface (Slack's Request URL, the Teams bot, the ingest webhook, the dashboard, …): a
// class given exactly its dependencies by the wiring and registered in the router only when
// configured. It verifies, decodes through its adapter, calls a service and renders the answer.
#include "bot/server/http_server.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace cxos::bot {

// Why a request could not be served although it was fine: the store was busy (its queue full) or
// could not commit (a full disk). Nothing was stored; the sender should try again.
struct service_failure {
    bool busy = false; // true: the queue was full; false: the store failed
    std::string detail;
};

class endpoint {
  public:
    virtual ~endpoint() = default;
    virtual boost::asio::awaitable<http_response> handle(http_request& req) = 0;
    // How this surface says "nothing was stored, send it again"; the router calls it for every
    // store failure the handler let through. The default is 503 with Retry-After.
    virtual http_response unavailable(const service_failure& f);
};

} // namespace cxos::bot
