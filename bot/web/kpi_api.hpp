#pragma once
// The dashboard's JSON API and CSV export: query parameters in, KPI report out. The figures
// themselves come from commands/kpis (one definition); this file only reads and writes formats.
#include "bot/core/config.hpp"
#include "commands/kpis.hpp"
#include "commands/outcomes.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace cxos::bot {

// What /api/v1/kpis, /api/v1/items and /api/v1/export.csv were asked for.
struct api_query {
    kpi_filter filter;
    std::string status; // items: a status ("routed") or "open" / "closed"; "" = any
    int limit = 100;    // items: at most this many (1–1000)
    std::string rows = "items"; // export.csv: "items" or "signals"
};

// Parses `?owner=&stage=&component=&from=YYYY-MM-DD&to=YYYY-MM-DD&status=&limit=&rows=` (dates in
// UTC, `to` inclusive). The error says which parameter is wrong and what it takes.
std::variant<api_query, std::string> parse_api_query(std::string_view target, const app_config& config);

// The KPIs with the outcomes of the fixes (`fixes`: verification and savings, `health`).
nlohmann::json kpis_json(const kpi_report& r, const outcome_report& outcomes, const app_config& config);
nlohmann::json items_json(const kpi_report& r, const outcome_report& outcomes, const api_query& q,
                          const app_config& config);

// RFC 4180 CSV; text cells that a spreadsheet would run as a formula get a leading apostrophe.
std::string csv_cell(std::string_view text);
// Item rows carry each item's fix verdict and savings (blank when it was never fixed).
std::string export_csv(const kpi_report& r, const outcome_report& outcomes, const std::vector<kpi_signal>& signals,
                       const api_query& q, const app_config& config);

} // namespace cxos::bot
