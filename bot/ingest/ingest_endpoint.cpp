#include "bot/ingest/ingest_endpoint.hpp"

#include "adapters/ingest/signals.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "commands/json_text.hpp"

namespace cxos::bot {

namespace {

std::string_view header(const http_request& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string_view() : std::string_view(it->value());
}

} // namespace

boost::asio::awaitable<http_response> ingest_endpoint::handle(http_request& req) {
    const auto config = config_.get();
    const auto source = header(req, ingest::source_header);
    auto verdict = verifier_.verify(source, header(req, ingest::timestamp_header), header(req, ingest::signature_header),
                                    req.body(), clock_source::system_now() / 1000);
    if (verdict != ingest::verify_result::ok) {
        // The source name is logged only when configured: a header value is otherwise untrusted text.
        log_warn("rejected ingest request",
                 {{"reason", ingest::to_string(verdict)}, {"source", verifier_.knows(source) ? std::string(source) : "?"}});
        co_return text_response(401, "invalid ingest request signature\n");
    }
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    if (body.is_discarded()) co_return text_response(400, "the body is not valid JSON\n");
    auto decoded = ingest::decode_signals(body, source, config->journey, clock_());
    if (!decoded.errors.empty()) {
        nlohmann::json answer = {{"error", "invalid signals: nothing was stored"}, {"details", decoded.errors}};
        co_return json_response(400, json_text(answer) + "\n");
    }
    // A busy or failing store becomes 503 with Retry-After in the router: the tool sends again.
    auto results = co_await capture_.ingest(decoded.signals);
    nlohmann::json answer = {{"signals", nlohmann::json::array()}};
    for (const auto& r : results) {
        metrics().count_ingested(r.duplicate);
        answer["signals"].push_back({{"external_id", r.sig.external_id}, {"signal_id", r.sig.id}, {"item_id", r.sig.item_id},
                                     {"owner", r.sig.route.owner}, {"duplicate", r.duplicate}});
    }
    log_info("ingested signals", {{"source", std::string(source)}, {"count", results.size()}});
    co_return json_response(200, json_text(answer));
}

} // namespace cxos::bot
