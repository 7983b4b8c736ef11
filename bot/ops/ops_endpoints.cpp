#include "bot/ops/ops_endpoints.hpp"

#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/metrics_process.hpp"
#include "bot/core/store_call.hpp"
#include "bot/ops/health.hpp"
#include "commands/json_text.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <openssl/crypto.h>

namespace cxos::bot {

namespace {

bool bearer_matches(const http_request& req, const std::string& token) {
    auto auth = req.find(boost::beast::http::field::authorization);
    if (auth == req.end()) return false;
    const std::string expected = "Bearer " + token;
    const auto given = std::string_view(auth->value());
    return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

} // namespace

boost::asio::awaitable<http_response> health_endpoint::handle(http_request&) {
    // The store is healthy when it can commit, not merely answer: the probe writes a heartbeat.
    health_inputs in;
    try {
        auto probe = store_call(queue_, [now = clock_()](storage::store& st) {
            st.set_setting("health.heartbeat", std::to_string(now));
            return st.outbox_depth();
        });
        in.outbox_depth = co_await std::move(probe);
    } catch (const std::exception& e) {
        in.probe_error = e.what();
        log_warn("health check: the store cannot commit", {{"error", in.probe_error}});
    }
    if (auto failure = queue_.last_write_failure()) {
        in.last_write_failure = failure->error;
        in.since_write_failure = std::chrono::steady_clock::now() - failure->at;
    }
    in.holds = &holds_;
    auto report = assess_health(in);
    co_return json_response(report.status, json_text(report.body) + "\n");
}

boost::asio::awaitable<http_response> metrics_endpoint::handle(http_request& req) {
    if (!token_.empty() && !bearer_matches(req, token_)) {
        auto res = text_response(401, "GET /metrics needs Authorization: Bearer <CXOS_METRICS_TOKEN>\n");
        res.set(boost::beast::http::field::www_authenticate, "Bearer");
        co_return res;
    }
    outbox_gauges gauges;
    for (const auto& p : platforms_) gauges.held.emplace_back(p, holds_.held(p));
    unsigned status = 200;
    try {
        auto read = store_call(queue_, [](storage::store& st) { return st.outbox_summary_now(); });
        auto summary = co_await std::move(read);
        gauges.depth = summary.depth;
        gauges.dead = summary.dead;
        if (summary.depth > 0 && summary.oldest_queued_at > 0)
            gauges.oldest_age_seconds = std::max<double>(0, (clock_() - summary.oldest_queued_at) / 1000.0);
    } catch (const std::exception& e) {
        // The counters are still worth scraping; /healthz reports the store itself.
        log_warn("metrics: store unreachable", {{"error", e.what()}});
        status = 503;
    }
    auto text = metrics().render(gauges);
    render_commit_metrics(text, queue_.batches(), queue_.jobs(), metrics().commit_latency());
    if (auto process = read_process_stats()) render_process_metrics(text, *process);
    co_return make_response(status, "text/plain; version=0.0.4; charset=utf-8", std::move(text));
}

boost::asio::awaitable<http_response> test_settle_endpoint::handle(http_request&) {
    wake_();
    boost::asio::steady_timer pause(executor_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    // Idle twice in a row, a few milliseconds apart: one worker's last step may wake another
    // (a flag processed by the inbox queues a post for the outbox).
    for (int quiet = 0; quiet < 2;) {
        if (std::chrono::steady_clock::now() > deadline) co_return text_response(503, "still busy after 30 s\n");
        pause.expires_after(std::chrono::milliseconds(5));
        co_await pause.async_wait(boost::asio::use_awaitable);
        quiet = idle_() ? quiet + 1 : 0;
    }
    co_return json_response(200, "{\"settled\":true}\n");
}

boost::asio::awaitable<http_response> test_clock_endpoint::handle(http_request& req) {
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("now_ms") || !body["now_ms"].is_number_integer())
        co_return text_response(400, "send {\"now_ms\": <Unix milliseconds>}\n");
    clock_.set(body["now_ms"].get<millis>());
    if (moved_) moved_();
    log_warn("test clock moved", {{"now_ms", clock_.now()}});
    co_return json_response(200, json_text(nlohmann::json{{"now_ms", clock_.now()}}) + "\n");
}

} // namespace cxos::bot
