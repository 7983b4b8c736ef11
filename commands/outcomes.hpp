#pragma once
// What the fixes achieved, beside the KPIs of the friction itself: fix verification, the savings
// it proves and OS health, computed from the same rows (kpi_item, kpi_signal) for chat, the
// JSON API, the CSV, the dashboard and the council alike. Pure.
#include "commands/item_thread.hpp"
#include "commands/os_health.hpp"

namespace cxos {

struct outcome_report {
    fix_summary fixes;                    // items matching the filter's owner, stage and component
    std::vector<component_health> health; // always the whole system, weakest first
};

// Dates in `f` do not narrow it: a fix is judged on its own spans, savings run to now.
outcome_report compute_outcomes(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                                const kpi_filter& f, const item_policy& policy, const economics_config& economics,
                                millis now);

// `/friction stats`: fixes that held and the failure demand they removed, with the owners and
// components that removed most.
void add_outcome_fields(neutral_message& stats, const fix_summary& fixes, const economics_config& economics);

// One item's outcome in words, for `/friction status <item>`.
struct item_outcome {
    std::optional<fix_check> fix;
    std::vector<thread_event> thread;
    double cost_so_far = 0;
    int contacts_so_far = 0;
};
item_outcome outcome_of(const item_history& h, const item_policy& policy, const economics_config& economics, millis now);
// "€45.50 so far (7 contacts); saved about €120 since the fix" / "7 contacts so far".
std::string describe_cost(const item_outcome& o, const economics_config& economics);

} // namespace cxos
