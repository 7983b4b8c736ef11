#pragma once
// The one definition of every KPI: computed here, from typed rows the store reads, and shown by
// `/friction stats`, the JSON API, the dashboard and the council agenda alike. Pure.
#include "commands/council.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxos {

inline constexpr millis kpi_day_ms = 24LL * 3600 * 1000;
inline constexpr millis kpi_week_ms = 7 * kpi_day_ms;
// The run rate window: "this friction cost about €4,200 this month" = the last 30 days.
inline constexpr millis kpi_month_ms = 30 * kpi_day_ms;
inline constexpr int kpi_trend_weeks = 8;

struct kpi_signal;

// Friction economics (config `economics`): what one customer contact costs, overall, per source
// (the platform a signal came from: slack, teams, zendesk, …) and per channel it was logged in.
struct economics_config {
    double cost_per_contact = 0; // 0 and no overrides: economics off
    std::string currency = "EUR";
    std::map<std::string, double> per_source;
    std::map<std::string, double> per_channel; // wins over per_source

    bool enabled() const { return cost_per_contact > 0 || !per_source.empty() || !per_channel.empty(); }
    double cost_for(std::string_view source, std::string_view channel = {}) const;
    double cost_of(const kpi_signal& s) const; // its contacts × their cost
};

// "€4,200", "$12.50", "£0", "4,200 CHF": whole units from 100 up, cents below.
std::string format_money(double amount, std::string_view currency);

// A whole number with thousands separators: "1,234,567", "-4,200", "950".
std::string with_thousands(long long n);

// One signal as the KPIs need it.
struct kpi_signal {
    std::int64_t id = 0;
    std::int64_t item_id = 0;
    millis at = 0;
    std::string stage; // "" when the reporter gave none
    std::optional<component> comp;
    std::string source; // source platform
    int contacts = 1;
    std::string channel; // where it was logged (a channel id, or the source's own place)
};

// Where an item's post landed: enough for a link to it (bot/post_links builds the URL).
struct item_post {
    std::string platform;     // "slack" or "teams"
    std::string channel;      // the channel it was posted in
    std::string platform_ref; // Slack's ts, or Teams' "conversation|activity id"
    std::string tenant_id;    // Teams: the channel's tenant when cxos has seen it, else ""
};

// One item with what the store knows about its closed loop (fixed items only).
struct kpi_item {
    item it;
    std::vector<item_post> posts; // its delivered owner posts, oldest first
    int loop_notices = 0;  // reporters to tell about the fix
    int loop_told = 0;     // of them, told (their notice was delivered)
    millis loop_told_at = 0; // when the last of them was told
};

// What a view asks about; empty fields match everything. Dates are UTC, `to` exclusive.
struct kpi_filter {
    std::string owner;
    std::string stage;
    std::optional<component> comp;
    millis from = 0; // 0: since the beginning
    millis to = 0;   // 0: until now
};

struct duration_figures {
    int count = 0;
    millis p50 = 0;
    millis p90 = 0;
};

// Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none.
millis percentile(std::vector<millis> values, int p);
duration_figures duration_figures_of(std::vector<millis> values);
// The median (the mean of the middle two for an even count); 0 for none. Time to closed loop
// is described by it, in chat and in the API alike.
double median(std::vector<millis> values);

// One journey stage × component cell of the heat map.
struct heat_cell {
    std::string stage;     // "" = no stage given
    std::string component; // slug, "" = no component given
    int signals = 0;       // failure demand: every report counts
    int items = 0;         // distinct items those reports belong to
    int contacts = 0;
};

// Routing accuracy with the fallback apart: an item no rule matched went to the fallback owner
// by default, so it says nothing about how well the rules route. "100 %" must not come from
// everything landing in triage.
struct routing_split {
    int rule_routed = 0, rule_rerouted = 0;         // items a rule chose an owner for
    int fallback_routed = 0, fallback_rerouted = 0; // items no rule matched
    int routed() const { return rule_routed + fallback_routed; }
};
routing_split split_routing(const std::vector<rule_accuracy>& rows);
// "67 % of 3 items routed by a rule; 1 of 4 routed items (25 %) went to the fallback owner".
std::string describe_routing(const routing_split& s);

struct item_figures {
    item it;
    std::vector<item_post> posts;
    int reports = 0;  // in the filter's date range
    int contacts = 0; // in the filter's date range
    double cost_so_far = 0; // every contact ever
    double cost_month = 0;  // contacts of the last 30 days
};

struct owner_figures {
    std::string owner;
    int open_items = 0;
    millis oldest_age = 0;
    millis median_age = 0;
    double cost_month = 0;
};

struct week_figures {
    millis start = 0; // the window is [start, start + 7 days)
    int signals = 0;
    int new_items = 0;
    int fixed_items = 0;
};

struct kpi_report {
    kpi_filter filter;
    millis now = 0;
    int signals = 0;
    int contacts = 0;
    int items = 0; // items with a report in the range
    int open_items = 0;
    double reports_per_item = 0;
    std::vector<heat_cell> heat;     // non-empty cells, journey order then component order
    std::vector<item_figures> top;   // every item in the range, most reports first
    duration_figures to_route, to_acknowledge, to_fix; // from the item's first report
    std::vector<rule_accuracy> routing; // per rule ("" = fallback), rule order
    int routed = 0, rerouted = 0;
    routing_split by_rule; // the same items, rule routes and fallback routes apart
    closed_loop_stats loops;
    std::vector<owner_figures> owners; // owners with open items, most first
    std::vector<week_figures> weeks;   // kpi_trend_weeks windows ending at the range end, oldest first
    std::optional<double> week_over_week; // % change of signals, last window vs the one before
    double cost = 0;       // contacts in the range × cost per contact
    double cost_month = 0; // contacts of the last 30 days
};

// Everything at once, for the items and signals that match `f`. `stages` is the journey order.
kpi_report compute_kpis(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                        const kpi_filter& f, const std::vector<std::string>& stages,
                        const economics_config& economics, millis now);

// Cost so far and of the last 30 days per item id, for views that show items one by one.
struct item_cost {
    double so_far = 0;
    double month = 0;
};
std::map<std::int64_t, item_cost> item_costs(const std::vector<kpi_signal>& signals,
                                             const economics_config& economics, millis now);

// "3 h", "2.5 d": a duration for people.
std::string describe_duration(millis d);

// `/friction stats routing`: rule-routed accuracy, each rule, and the share the fallback took.
neutral_message render_routing_stats(const std::vector<rule_accuracy>& rows);

// `/friction stats`, `stats <owner>`, `stats <stage>`: the report in one message. `scope` names
// the filter ("billing", "stage onboard") or is empty.
neutral_message render_kpi_stats(const kpi_report& r, const economics_config& economics, std::string_view scope);

} // namespace cxos
