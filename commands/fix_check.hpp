#pragma once
// Fix verification and the savings it proves. A fix is judged by the report rate of its item
// before it against the rate after it, over the same span: the trailing 4 weeks before the fix
// (or since the first report, when that is shorter) and as long after it. Until that span has
// passed the fix is under watch; then it held when the rate after is at most
// `item_policy::fix_holds_share` of the rate before. A fix whose item was reopened regressed.
//
// Failure demand removed by a fix that held = (rate before − rate after) × contacts × cost per
// contact, per 30 days (the monthly run rate), accrued from the fix on. Pure.
#include "commands/kpis.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cxos {

inline constexpr millis fix_span_max = 4 * kpi_week_ms;
// An item fixed within an hour of its first report still gets a day: a rate over minutes is noise.
inline constexpr millis fix_span_min = kpi_day_ms;

enum class fix_verdict { under_watch, held, not_held, regressed };
std::string_view to_string(fix_verdict v); // "under_watch", "held", "not_held", "regressed"
std::string_view to_label(fix_verdict v);  // "under watch", "held", "did not hold", "regressed"

// The span before a fix: the 4 weeks before it, or since the first report when shorter.
millis fix_span(millis fixed_at, millis first_report);

struct fix_check {
    std::int64_t item_id = 0;
    millis fixed_at = 0;
    millis span = 0;
    millis watch_until = 0; // fixed_at + span
    fix_verdict verdict = fix_verdict::under_watch;
    int reports_before = 0, reports_after = 0;   // signals in [fixed − span, fixed) and [fixed, fixed + span)
    int contacts_before = 0, contacts_after = 0;
    double cost_before = 0, cost_after = 0;      // their contacts × cost per contact
    double rate_before = 0, rate_after = 0;      // reports per week; `after` so far while under watch
    // Savings: only a fix that held removed failure demand; the rest count 0.
    double contacts_month = 0; // contacts avoided per 30 days
    double savings_month = 0;  // money saved per 30 days (0 without economics)
    double contacts_since = 0, savings_since = 0; // accrued from the fix to now
    double contacts_ytd = 0, savings_ytd = 0;     // accrued this calendar year (UTC)
};

// The check of an item's last fix from its signals (any order; others' are ignored); nothing
// when the item was never fixed.
std::optional<fix_check> check_fix(const item& it, const std::vector<kpi_signal>& signals, const item_policy& policy,
                                   const economics_config& economics, millis now);

// Fixes and savings of a group of items: one owner, one component, or everything.
struct savings_group {
    std::string name; // the owner, or the component's slug ("" = no component)
    int fixes = 0;    // fixes with a verdict (held, did not hold, regressed)
    int held = 0;
    double contacts_month = 0, savings_month = 0;
    double contacts_ytd = 0, savings_ytd = 0;
};

struct fix_summary {
    int fixed = 0; // items fixed at least once
    int under_watch = 0, held = 0, not_held = 0, regressed = 0;
    int decided() const { return held + not_held + regressed; }
    double contacts_month = 0, savings_month = 0;
    double contacts_ytd = 0, savings_ytd = 0;
    std::vector<savings_group> by_owner;     // most saved first
    std::vector<savings_group> by_component; // most saved first
    std::vector<fix_check> checks;           // item id order
};

// Every item's last fix, checked; items and signals as the KPIs read them (duplicates excluded).
fix_summary summarize_fixes(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                            const item_policy& policy, const economics_config& economics, millis now);

// "fixes that held: 7 of 9 (2 under watch)"; "no fix to verify yet".
std::string describe_fixes(const fix_summary& s);
// "about €1,200 a month, €9,800 this year" with economics, else "about 180 contacts a month,
// 1,400 this year"; "nothing yet" when no fix held.
std::string describe_savings(double contacts_month, double savings_month, double contacts_ytd, double savings_ytd,
                             const economics_config& economics);
// One fix in a sentence: "held: 0 reports in the 4 weeks after the fix on 3 Nov, against 6 before".
std::string describe_fix(const fix_check& c, const economics_config& economics);

// A whole number of contacts with thousands separators: "1,400".
std::string format_count(double contacts);

} // namespace cxos
