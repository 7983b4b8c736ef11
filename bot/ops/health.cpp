#include "bot/ops/health.hpp"

namespace cxos::bot {

health_report assess_health(const health_inputs& in) {
    std::vector<std::string> problems;
    bool store_ok = in.outbox_depth.has_value();
    if (!store_ok) problems.push_back("store: cannot commit: " + in.probe_error);
    if (in.last_write_failure && in.since_write_failure < write_failure_window) {
        store_ok = false;
        const auto ago = std::chrono::duration_cast<std::chrono::seconds>(in.since_write_failure).count();
        problems.push_back("store: a write failed " + std::to_string(ago) + " s ago: " + *in.last_write_failure);
    }
    bool held = false;
    if (in.holds)
        for (const auto& [platform, hold] : in.holds->all()) {
            held = true;
            problems.push_back(platform + ": deliveries on hold, the platform refused cxos's token (" + hold.reason +
                               "); they resume once a working token is set");
        }
    health_report out;
    out.status = store_ok ? 200 : 503;
    out.body = {{"status", !store_ok ? "unavailable" : held ? "degraded" : "ok"}, {"store", store_ok}};
    if (in.outbox_depth) out.body["outbox_depth"] = *in.outbox_depth;
    if (!problems.empty()) out.body["problems"] = problems;
    return out;
}

} // namespace cxos::bot
