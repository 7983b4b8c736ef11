#pragma once
// POST /teams/webhook: Teams outgoing-webhook mode. "@cxos <text>" in a channel arrives signed;
// cxos logs it (or answers help) and replies in the HTTP response, which Teams shows in the
// thread. The mode cannot post proactively, so only capture and help are offered here.
#include "adapters/teams/webhook.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/capture_service.hpp"

namespace cxos::bot {

class teams_webhook_endpoint final : public endpoint {
  public:
    teams_webhook_endpoint(const live_config& config, const teams::outgoing_webhook_verifier& verifier,
                           capture_service& capture, std::function<millis()> clock)
        : config_(config), verifier_(verifier), capture_(capture), clock_(std::move(clock)) {}

    boost::asio::awaitable<http_response> handle(http_request& req) override;
    // Teams shows the HTTP answer in the thread: a failure is said there, as a reply.
    http_response unavailable(const service_failure& f) override;

  private:
    const live_config& config_;
    const teams::outgoing_webhook_verifier& verifier_;
    capture_service& capture_;
    std::function<millis()> clock_;
};

} // namespace cxos::bot
