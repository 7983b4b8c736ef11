#pragma once
// The outcomes of fixes in JSON: fix verification and savings (in /api/v1/kpis), OS health, and
// one item's thread (/api/v1/items/<id>). The figures come from commands/outcomes; this file
// only writes the format.
#include "bot/core/config.hpp"
#include "commands/outcomes.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace cxos::bot {

// {"amount": 12.5, "text": "€12.50"} in the configured currency.
nlohmann::json money_json(double amount, const app_config& config);
// "2026-11-03T10:00:00Z"; "" for 0.
std::string iso_time(millis at);

nlohmann::json fix_json(const fix_check& c, const app_config& config);
// Counts by verdict, "fixes that held: 7 of 9", savings a month and this year, by owner and by
// component (contacts avoided always; money when economics is configured).
nlohmann::json fixes_json(const fix_summary& s, const app_config& config);
nlohmann::json health_json(const std::vector<component_health>& health);

// What the dashboard's item page shows: the item, its posts, fix check, cost and thread.
struct item_page {
    item it;
    std::vector<item_post> posts; // its delivered owner posts
    item_outcome outcome;
};
nlohmann::json item_page_json(const item_page& page, const app_config& config);

// "/api/v1/items/12" or "/dashboard/items/12" -> 12; nothing for any other shape.
std::optional<std::int64_t> item_id_in_path(std::string_view path, std::string_view prefix);

} // namespace cxos::bot
