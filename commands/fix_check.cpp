#include "commands/fix_check.hpp"

#include "commands/item_views.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace cxos {

std::string_view to_string(fix_verdict v) {
    switch (v) {
    case fix_verdict::under_watch: return "under_watch";
    case fix_verdict::held: return "held";
    case fix_verdict::not_held: return "not_held";
    case fix_verdict::regressed: return "regressed";
    }
    return "under_watch";
}

std::string_view to_label(fix_verdict v) {
    switch (v) {
    case fix_verdict::under_watch: return "under watch";
    case fix_verdict::held: return "held";
    case fix_verdict::not_held: return "did not hold";
    case fix_verdict::regressed: return "regressed";
    }
    return "under watch";
}

millis fix_span(millis fixed_at, millis first_report) {
    const millis since_first = first_report > 0 && first_report <= fixed_at ? fixed_at - first_report : fix_span_max;
    return std::clamp(since_first, fix_span_min, fix_span_max);
}

namespace {

// 00:00 UTC on 1 January of the year `now` falls in.
millis year_start(millis now) {
    using namespace std::chrono;
    const auto day = floor<days>(sys_time<milliseconds>(milliseconds(now)));
    const year_month_day ymd{day};
    return duration_cast<milliseconds>(sys_days(ymd.year() / January / 1).time_since_epoch()).count();
}

double per_month(double amount, millis span) { return amount * static_cast<double>(kpi_month_ms) / static_cast<double>(span); }

double months_between(millis from, millis to) {
    return to > from ? static_cast<double>(to - from) / static_cast<double>(kpi_month_ms) : 0;
}

} // namespace

std::optional<fix_check> check_fix(const item& it, const std::vector<kpi_signal>& signals, const item_policy& policy,
                                   const economics_config& economics, millis now) {
    if (it.fixed_at <= 0) return std::nullopt;
    fix_check c;
    c.item_id = it.id;
    c.fixed_at = it.fixed_at;
    millis first = 0;
    for (const auto& s : signals)
        if (s.item_id == it.id && (first == 0 || s.at < first)) first = s.at;
    c.span = fix_span(it.fixed_at, first);
    c.watch_until = it.fixed_at + c.span;
    for (const auto& s : signals) {
        if (s.item_id != it.id) continue;
        const double cost = economics.cost_of(s);
        if (s.at >= it.fixed_at - c.span && s.at < it.fixed_at) {
            ++c.reports_before;
            c.contacts_before += s.contacts;
            c.cost_before += cost;
        } else if (s.at >= it.fixed_at && s.at < c.watch_until) {
            ++c.reports_after;
            c.contacts_after += s.contacts;
            c.cost_after += cost;
        }
    }
    const double weeks = static_cast<double>(c.span) / static_cast<double>(kpi_week_ms);
    c.rate_before = c.reports_before / weeks;
    c.rate_after = c.reports_after / weeks;
    if (fix_regressed(it)) c.verdict = fix_verdict::regressed;
    else if (now < c.watch_until) c.verdict = fix_verdict::under_watch;
    else if (c.reports_after <= policy.fix_holds_share * c.reports_before) c.verdict = fix_verdict::held;
    else c.verdict = fix_verdict::not_held;
    if (c.verdict != fix_verdict::held) return c;
    c.contacts_month = std::max(0.0, per_month(c.contacts_before - c.contacts_after, c.span));
    c.savings_month = std::max(0.0, per_month(c.cost_before - c.cost_after, c.span));
    const double since = months_between(it.fixed_at, now);
    const double ytd = months_between(std::max(it.fixed_at, year_start(now)), now);
    c.contacts_since = c.contacts_month * since;
    c.savings_since = c.savings_month * since;
    c.contacts_ytd = c.contacts_month * ytd;
    c.savings_ytd = c.savings_month * ytd;
    return c;
}

namespace {

void add_to(savings_group& g, const fix_check& c) {
    if (c.verdict != fix_verdict::under_watch) ++g.fixes;
    if (c.verdict == fix_verdict::held) ++g.held;
    g.contacts_month += c.contacts_month;
    g.savings_month += c.savings_month;
    g.contacts_ytd += c.contacts_ytd;
    g.savings_ytd += c.savings_ytd;
}

std::vector<savings_group> most_saved_first(std::map<std::string, savings_group> groups) {
    std::vector<savings_group> out;
    for (auto& [name, g] : groups) out.push_back(std::move(g));
    std::stable_sort(out.begin(), out.end(), [](const savings_group& a, const savings_group& b) {
        return a.savings_month != b.savings_month ? a.savings_month > b.savings_month : a.contacts_month > b.contacts_month;
    });
    return out;
}

} // namespace

fix_summary summarize_fixes(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                            const item_policy& policy, const economics_config& economics, millis now) {
    // One pass to group the signals by item keeps this linear in the signals.
    std::unordered_map<std::int64_t, std::vector<kpi_signal>> by_item;
    for (const auto& k : items)
        if (k.it.fixed_at > 0) by_item[k.it.id];
    for (const auto& s : signals)
        if (auto at = by_item.find(s.item_id); at != by_item.end()) at->second.push_back(s);
    fix_summary out;
    std::map<std::string, savings_group> owners, components;
    for (const auto& k : items) {
        if (k.it.fixed_at <= 0) continue;
        auto c = check_fix(k.it, by_item[k.it.id], policy, economics, now);
        if (!c) continue;
        ++out.fixed;
        switch (c->verdict) {
        case fix_verdict::under_watch: ++out.under_watch; break;
        case fix_verdict::held: ++out.held; break;
        case fix_verdict::not_held: ++out.not_held; break;
        case fix_verdict::regressed: ++out.regressed; break;
        }
        out.contacts_month += c->contacts_month;
        out.savings_month += c->savings_month;
        out.contacts_ytd += c->contacts_ytd;
        out.savings_ytd += c->savings_ytd;
        auto& owner = owners[k.it.owner];
        owner.name = k.it.owner;
        add_to(owner, *c);
        const std::string comp = k.it.comp ? std::string(to_slug(*k.it.comp)) : std::string();
        auto& component = components[comp];
        component.name = comp;
        add_to(component, *c);
        out.checks.push_back(*c);
    }
    out.by_owner = most_saved_first(std::move(owners));
    out.by_component = most_saved_first(std::move(components));
    return out;
}

std::string format_count(double contacts) {
    return with_thousands(std::llround(contacts));
}

std::string describe_fixes(const fix_summary& s) {
    if (s.fixed == 0) return "no fix to verify yet";
    if (s.decided() == 0) return "no fix verified yet (" + std::to_string(s.under_watch) + " under watch)";
    std::string out = "fixes that held: " + std::to_string(s.held) + " of " + std::to_string(s.decided());
    std::vector<std::string> more;
    if (s.regressed > 0) more.push_back(std::to_string(s.regressed) + " regressed");
    if (s.under_watch > 0) more.push_back(std::to_string(s.under_watch) + " under watch");
    for (std::size_t i = 0; i < more.size(); ++i) out += (i == 0 ? " (" : ", ") + more[i];
    return more.empty() ? out : out + ")";
}

std::string describe_savings(double contacts_month, double savings_month, double contacts_ytd, double savings_ytd,
                             const economics_config& economics) {
    if (contacts_month <= 0 && contacts_ytd <= 0) return "nothing yet";
    if (economics.enabled())
        return "about " + format_money(savings_month, economics.currency) + " a month, " +
               format_money(savings_ytd, economics.currency) + " this year";
    return "about " + format_count(contacts_month) + " contacts a month, " + format_count(contacts_ytd) + " this year";
}

namespace {

std::string span_text(millis span) {
    if (span == fix_span_max) return "4 weeks";
    return plural(static_cast<int>(std::lround(static_cast<double>(span) / kpi_day_ms)), "day");
}

} // namespace

std::string describe_fix(const fix_check& c, const economics_config& economics) {
    const std::string fix = "the fix on " + day(c.fixed_at);
    const std::string before = plural(c.reports_before, "report") + " in the " + span_text(c.span) + " before";
    switch (c.verdict) {
    case fix_verdict::under_watch:
        return "under watch until " + day(c.watch_until) + ": " + plural(c.reports_after, "report") + " since " + fix +
               ", against " + before;
    case fix_verdict::regressed:
        return "regressed: reported again after " + fix + " (" + before + ")";
    case fix_verdict::not_held:
        return "did not hold: " + plural(c.reports_after, "report") + " in the " + span_text(c.span) + " after " + fix +
               ", against " + std::to_string(c.reports_before) + " before";
    case fix_verdict::held: break;
    }
    std::string out = "held: " + plural(c.reports_after, "report") + " in the " + span_text(c.span) + " after " + fix +
                      ", against " + std::to_string(c.reports_before) + " before";
    if (economics.enabled()) out += "; saves about " + format_money(c.savings_month, economics.currency) + " a month";
    else out += "; about " + format_count(c.contacts_month) + " contacts a month avoided";
    return out;
}

} // namespace cxos
