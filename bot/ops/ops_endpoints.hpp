#pragma once
// What an operator and their tools ask: GET /healthz for load balancers and systemd, GET /metrics
// for Prometheus, and, only under `cxos serve --test-clock`, POST /_test/clock for end-to-end tests.
#include "bot/core/clock.hpp"
#include "bot/core/delivery_holds.hpp"
#include "bot/server/endpoint.hpp"
#include "storage/commit_queue.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cxos::bot {

class health_endpoint final : public endpoint {
  public:
    health_endpoint(storage::commit_queue& queue, const delivery_holds& holds, std::function<millis()> clock)
        : queue_(queue), holds_(holds), clock_(std::move(clock)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    storage::commit_queue& queue_;
    const delivery_holds& holds_;
    std::function<millis()> clock_;
};

class metrics_endpoint final : public endpoint {
  public:
    // `token` may be empty (an open scrape); `platforms` are those the outbox sends to.
    metrics_endpoint(storage::commit_queue& queue, const delivery_holds& holds, std::vector<std::string> platforms,
                     std::string token, std::function<millis()> clock)
        : queue_(queue), holds_(holds), platforms_(std::move(platforms)), token_(std::move(token)),
          clock_(std::move(clock)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    storage::commit_queue& queue_;
    const delivery_holds& holds_;
    std::vector<std::string> platforms_;
    std::string token_;
    std::function<millis()> clock_;
};

class test_clock_endpoint final : public endpoint {
  public:
    // `moved` wakes whatever runs on the clock (schedulers, the outbox) after it moved.
    test_clock_endpoint(clock_source& clock, std::function<void()> moved) : clock_(clock), moved_(std::move(moved)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    clock_source& clock_;
    std::function<void()> moved_;
};

// POST /_test/settle (tests only, like the test clock): answers once everything that runs on
// its own has nothing left to do now (the outbox has no due row and nothing in flight, the inbox
// and the schedulers are idle), so a test can assert that nothing more happens without sleeping.
class test_settle_endpoint final : public endpoint {
  public:
    // `wake` asks every worker to look now; `idle` says whether all of them are idle.
    test_settle_endpoint(boost::asio::any_io_executor ex, std::function<void()> wake, std::function<bool()> idle)
        : executor_(std::move(ex)), wake_(std::move(wake)), idle_(std::move(idle)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    boost::asio::any_io_executor executor_;
    std::function<void()> wake_;
    std::function<bool()> idle_;
};

} // namespace cxos::bot
