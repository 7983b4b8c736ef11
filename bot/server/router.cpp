#include "bot/server/router.hpp"

#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"

#include <algorithm>

namespace cxos::bot {

namespace http = boost::beast::http;

http_response endpoint::unavailable(const service_failure& f) {
    auto res = text_response(503, f.busy ? "cxos is busy: nothing was stored, send it again\n"
                                         : "cxos cannot store this right now: nothing was stored, send it again\n");
    res.set(http::field::retry_after, f.busy ? "1" : "30");
    return res;
}

void router::add(route r) {
    if (r.metrics_label.empty()) r.metrics_label = r.path;
    const auto id = metrics().add_endpoint({r.metrics_label, r.acknowledges, r.verifies});
    routes_.push_back({std::move(r), id});
}

void router::add_off(std::string path, std::string why) { off_.emplace_back(std::move(path), std::move(why)); }

const router::entry* router::find(std::string_view path) const {
    // An exact path wins over a prefix; of prefixes, the longest.
    const entry* best = nullptr;
    for (const auto& e : routes_) {
        if (!e.r.prefix && path == e.r.path) return &e;
        if (e.r.prefix && path.starts_with(e.r.path) && (!best || e.r.path.size() > best->r.path.size())) best = &e;
    }
    return best;
}

boost::asio::awaitable<http_response> router::handle(http_request& req) {
    const auto started = std::chrono::steady_clock::now();
    auto target = std::string_view(req.target());
    const auto path = target.substr(0, target.find('?'));
    const entry* e = find(path);
    const endpoint_id id = e ? e->metrics_id : other_endpoint;
    auto answer = [&](http_response res) {
        const auto status = res.result_int();
        metrics().count_request(id, status, std::chrono::steady_clock::now() - started);
        if (e && e->r.verifies && status == 401) metrics().count_verification_failure(id);
        return res;
    };
    if (!e) {
        for (const auto& [off, why] : off_)
            if (path == off) co_return answer(text_response(404, why + "\n"));
        co_return answer(text_response(404, "not found\n"));
    }
    const auto& methods = e->r.methods;
    const bool head_as_get = req.method() == http::verb::head &&
                             std::find(methods.begin(), methods.end(), http::verb::get) != methods.end();
    if (!head_as_get && std::find(methods.begin(), methods.end(), req.method()) == methods.end()) {
        // RFC 9110 §15.5.6: a 405 names the methods the resource has (HEAD wherever GET is).
        std::string allow;
        for (const auto m : methods) {
            allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(m));
            if (m == http::verb::get) allow += ", HEAD";
        }
        auto refused = text_response(405, "use " + std::string(http::to_string(methods.front())) + "\n");
        refused.set(http::field::allow, allow);
        co_return answer(std::move(refused));
    }
    // The one place where what escaped an endpoint becomes a status: a busy or failed store is
    // the surface's "send it again"; anything else is a bug, answered 500 and logged.
    std::optional<service_failure> failed;
    try {
        auto res = co_await e->r.handler->handle(req);
        co_return answer(std::move(res));
    } catch (const store_busy& ex) {
        failed = service_failure{true, ex.what()};
    } catch (const storage::store_error& ex) {
        log_error("request failed: the store did not commit", {{"endpoint", e->r.metrics_label}, {"error", ex.what()}});
        failed = service_failure{false, ex.what()};
    } catch (const std::exception& ex) {
        log_error("request failed", {{"endpoint", e->r.metrics_label}, {"error", ex.what()}});
        co_return answer(text_response(500, "internal error\n"));
    }
    co_return answer(e->r.handler->unavailable(*failed));
}

} // namespace cxos::bot
