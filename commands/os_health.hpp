#pragma once
// OS health: one scorecard per CX OS component (the six), from the same rows as the KPIs. Each
// figure is a share from 0 to 1 where 1 is healthy; the score is their mean over the figures a
// component has data for, and the weakest component comes first. A component without signals in
// 30 days scores on "signals flowing" alone, 0: nothing flows through that part of the system.
#include "commands/fix_check.hpp"

#include <optional>
#include <vector>

namespace cxos {

// Acknowledged within a day counts as fully healthy; slower scores 1 day / median.
inline constexpr millis health_ack_target = kpi_day_ms;

struct component_health {
    component comp = component::onboarding;
    int signals_30d = 0;                     // signals flowing: any in the last 30 days
    int routed = 0, rule_routed = 0, rule_rerouted = 0;
    std::optional<double> rule_share;        // routed by a rule rather than the fallback
    std::optional<double> accuracy;          // rule-routed items not rerouted
    int acknowledged = 0;
    std::optional<millis> median_ack;        // from first report to acknowledged
    int fixed_items = 0, closed_loops = 0;
    std::optional<double> loop_rate;         // fixed items whose every reporter was told
    int fixes = 0, held = 0;
    std::optional<double> held_share;        // of fixes with a verdict
    double score = 0;
    std::string weakest;                     // the figure that pulls the score down most, in words
};

// The six components, weakest (lowest score) first; items and signals without a component are
// in none of them.
std::vector<component_health> compute_health(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                                             const fix_summary& fixes, millis now);

// `/friction stats health`.
neutral_message render_health(const std::vector<component_health>& health);

} // namespace cxos
