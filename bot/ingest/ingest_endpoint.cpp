// POST /ingest/v1/signals: signals from ticketing, community and product-analytics tools. The
// signature is checked on the raw bytes before anything is parsed; the body is validated as a
// whole (all or nothing); each signal is routed and stored exactly like a chat signal, and a
// (source, external_id) seen before answers with the original ids and stores nothing.
#include "adapters/ingest/signals.hpp"
#include "commands/json_text.hpp"
#include "bot/app.hpp"
#include "bot/core/clock.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store_call.hpp"

namespace cxos::bot {

namespace {

std::string_view header(const http_request& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string_view() : std::string_view(it->value());
}

struct ingested {
    signal sig;
    bool duplicate = false;
};

struct ingest_commit {
    std::vector<ingested> results;
    queued_channels queued;
};

} // namespace

boost::asio::awaitable<http_response> app::ingest_signals(http_request& req) {
    if (!s_.ingest) co_return text_response(404, "no ingest sources are configured (sources: in cxos.yaml)\n");
    const auto source = header(req, ingest::source_header);
    auto verdict = s_.ingest->verify(source, header(req, ingest::timestamp_header), header(req, ingest::signature_header),
                                     req.body(), clock_source::system_now() / 1000);
    if (verdict != ingest::verify_result::ok) {
        metrics().count_verification_failure(endpoint::ingest_signals);
        // The source name is logged only when configured: a header value is otherwise untrusted text.
        log_warn("rejected ingest request", {{"reason", ingest::to_string(verdict)},
                                             {"source", s_.ingest->knows(source) ? std::string(source) : "?"}});
        co_return text_response(401, "invalid ingest request signature\n");
    }
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    if (body.is_discarded()) co_return text_response(400, "the body is not valid JSON\n");
    auto decoded = ingest::decode_signals(body, source, s_.config.journey, s_.clock());
    if (!decoded.errors.empty()) {
        nlohmann::json answer = {{"error", "invalid signals: nothing was stored"}, {"details", decoded.errors}};
        co_return json_response(400, json_text(answer) + "\n");
    }

    // The lookup and the insert share one commit on the storage thread, so a replay (in this body,
    // or in a concurrent request) finds the first one and never stores a second.
    auto commit = store_call(s_.queue, [signals = std::move(decoded.signals), journey = &s_.config.journey,
                                        now = s_.clock()](storage::store& st) {
        ingest_commit out;
        for (const auto& s : signals) {
            if (auto earlier = st.find_signal_by_external_id(s.source.platform, s.external_id)) {
                out.results.push_back({*earlier, true});
                continue;
            }
            auto logged = record_signal(st, *journey, s, now);
            out.queued.insert(out.queued.end(), logged.queued.begin(), logged.queued.end());
            out.results.push_back({logged.sig, false});
        }
        return out;
    });
    ingest_commit done;
    try {
        done = co_await std::move(commit);
    } catch (const std::exception& e) {
        // Busy, or the store refused the write (a full disk): both pass, so the tool should retry;
        // a 5xx means nothing was stored. 500 stays for bugs.
        const bool busy = dynamic_cast<const store_busy*>(&e) != nullptr;
        if (!busy && !dynamic_cast<const storage::store_error*>(&e)) throw;
        if (!busy) log_error("ingest: the store refused the write", {{"error", e.what()}});
        auto res = text_response(503, busy ? "cxos is busy: nothing was stored, send it again\n"
                                           : "cxos cannot store signals right now: nothing was stored, send it again\n");
        res.set(boost::beast::http::field::retry_after, busy ? "1" : "30");
        co_return res;
    }
    s_.outbox.notify(done.queued);

    nlohmann::json answer = {{"signals", nlohmann::json::array()}};
    for (const auto& r : done.results) {
        metrics().count_ingested(r.duplicate);
        answer["signals"].push_back({{"external_id", r.sig.external_id}, {"signal_id", r.sig.id},
                                     {"item_id", r.sig.item_id}, {"owner", r.sig.route.owner},
                                     {"duplicate", r.duplicate}});
    }
    log_info("ingested signals", {{"source", std::string(source)}, {"count", done.results.size()}});
    co_return json_answer(answer);
}

} // namespace cxos::bot
