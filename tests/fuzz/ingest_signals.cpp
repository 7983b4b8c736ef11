// POST /ingest/v1/signals bodies once the source's signature is checked.
#include "adapters/ingest/signals.hpp"
#include "commands/item_views.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto body = nlohmann::json::parse(fuzz::as_text(data, size), nullptr, false);
    if (body.is_discarded()) return 0;
    const auto decoded = ingest::decode_signals(body, "zendesk", fuzz::journey(), 1'700'000'000'000);
    if (!decoded.errors.empty()) {
        fuzz::require(decoded.signals.empty(), "a refused body stores nothing");
        fuzz::require_dumps(nlohmann::json{{"error", "invalid signals"}, {"details", decoded.errors}}, "the 400 dumps");
        return 0;
    }
    fuzz::require(decoded.signals.size() <= ingest::max_signals_per_request, "at most 500 signals");
    for (const auto& s : decoded.signals) {
        fuzz::require_utf8({s.external_id, s.description, s.customer, s.link, s.stage}, "a signal is UTF-8");
        fuzz::require(!s.external_id.empty() && s.external_id.size() <= 200, "an external id is bounded");
        auto it = new_item_for(s);
        it.id = 1;
        fuzz::require_renders(render_log_ack(s, it, true, fuzz::journey()));
        fuzz::require_renders(render_item_card(it, fuzz::journey()));
    }
    return 0;
}
