#pragma once
// What GET /healthz says. A load balancer or systemd acts on it, so it must not lie: the store
// counts as healthy only if it can commit (the probe writes), and a write refused recently (a
// full disk) keeps it unhealthy for a while even if a small probe write slips through. Held
// deliveries (a refused token) degrade it without failing it: every instance shares the token,
// so taking this one out of rotation would not help, but the operator must see it.
#include "bot/core/delivery_holds.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cxos::bot {

// How long a refused write keeps the store reported as failing.
inline constexpr std::chrono::seconds write_failure_window{30};

struct health_inputs {
    std::optional<std::int64_t> outbox_depth; // the probe's answer; nothing when it failed
    std::string probe_error;                  // why it failed
    // The last write the store refused, and how long ago.
    std::optional<std::string> last_write_failure;
    std::chrono::steady_clock::duration since_write_failure{};
    const delivery_holds* holds = nullptr;
};

struct health_report {
    unsigned status = 200;
    nlohmann::json body;
};

health_report assess_health(const health_inputs& in);

} // namespace cxos::bot
