// GET /metrics: the Prometheus exposition. Open by default (scrape it on an internal port or
// behind the proxy's allowlist); with CXOS_METRICS_TOKEN set it needs that bearer token.
#include "bot/app.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/metrics_process.hpp"
#include "bot/core/store_call.hpp"

#include <openssl/crypto.h>

namespace cxos::bot {

namespace {

std::string exposition(const outbox_gauges& gauges) {
    auto text = metrics().render(gauges);
    if (auto process = read_process_stats()) render_process_metrics(text, *process);
    return text;
}

bool bearer_matches(const http_request& req, const std::string& token) {
    auto auth = req.find(boost::beast::http::field::authorization);
    if (auth == req.end()) return false;
    const std::string expected = "Bearer " + token;
    const auto given = std::string_view(auth->value());
    return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

} // namespace

boost::asio::awaitable<http_response> app::metrics_scrape(http_request& req) {
    if (!s_.metrics_token.empty() && !bearer_matches(req, s_.metrics_token)) {
        metrics().count_verification_failure(endpoint::metrics);
        auto res = text_response(401, "GET /metrics needs Authorization: Bearer <CXOS_METRICS_TOKEN>\n");
        res.set(boost::beast::http::field::www_authenticate, "Bearer");
        co_return res;
    }
    outbox_gauges gauges;
    gauges.slack_held = s_.holds.held("slack");
    gauges.teams_held = s_.holds.held("teams");
    try {
        auto read = store_call(s_.queue, [](storage::store& st) { return st.outbox_summary_now(); });
        auto summary = co_await std::move(read);
        gauges.depth = summary.depth;
        gauges.dead = summary.dead;
        if (summary.depth > 0 && summary.oldest_queued_at > 0)
            gauges.oldest_age_seconds = std::max<double>(0, (s_.clock() - summary.oldest_queued_at) / 1000.0);
    } catch (const std::exception& e) {
        // The counters are still worth scraping; /healthz reports the store itself.
        log_warn("metrics: store unreachable", {{"error", e.what()}});
        co_return make_response(503, "text/plain; version=0.0.4; charset=utf-8", exposition(gauges));
    }
    co_return make_response(200, "text/plain; version=0.0.4; charset=utf-8", exposition(gauges));
}

} // namespace cxos::bot
