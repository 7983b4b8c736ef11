#pragma once
// POST /ingest/v1/signals: signals from ticketing, community and product-analytics tools. The
// signature is checked on the raw bytes before anything is parsed; the body is validated as a
// whole (all or nothing); each signal is routed and stored exactly like a chat signal, and a
// (source, external_id) seen before answers with the original ids and stores nothing.
#include "adapters/ingest/signature.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/capture_service.hpp"

namespace cxos::bot {

class ingest_endpoint final : public endpoint {
  public:
    ingest_endpoint(const live_config& config, const ingest::ingest_signature_verifier& verifier,
                    capture_service& capture, std::function<millis()> clock)
        : config_(config), verifier_(verifier), capture_(capture), clock_(std::move(clock)) {}

    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    const live_config& config_;
    const ingest::ingest_signature_verifier& verifier_;
    capture_service& capture_;
    std::function<millis()> clock_;
};

} // namespace cxos::bot
