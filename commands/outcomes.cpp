#include "commands/outcomes.hpp"

#include "commands/item_views.hpp"

namespace cxos {

outcome_report compute_outcomes(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                                const kpi_filter& f, const item_policy& policy, const economics_config& economics,
                                millis now) {
    outcome_report out;
    std::vector<kpi_item> scoped;
    for (const auto& k : items) {
        const item& it = k.it;
        if (it.status == item_status::duplicate) continue;
        if ((!f.owner.empty() && it.owner != f.owner) || (!f.stage.empty() && it.stage != f.stage) ||
            (f.comp && it.comp != f.comp))
            continue;
        scoped.push_back(k);
    }
    out.fixes = summarize_fixes(scoped, signals, policy, economics, now);
    const auto all = f.owner.empty() && f.stage.empty() && !f.comp ? out.fixes
                                                                   : summarize_fixes(items, signals, policy, economics, now);
    out.health = compute_health(items, signals, all, now);
    return out;
}

namespace {

std::string group_line(const savings_group& g, const economics_config& economics, const std::string& name) {
    std::string out = name + ": " + std::to_string(g.held) + " of " + plural(g.fixes, "fix", "fixes") + " held";
    if (g.contacts_month > 0)
        out += ", " + (economics.enabled() ? format_money(g.savings_month, economics.currency)
                                           : format_count(g.contacts_month) + " contacts") + " a month";
    return out;
}

} // namespace

void add_outcome_fields(neutral_message& stats, const fix_summary& fixes, const economics_config& economics) {
    if (fixes.fixed == 0) return; // nothing fixed yet: no line that only says so
    std::string text = describe_fixes(fixes);
    std::string by;
    for (std::size_t i = 0; i < fixes.by_owner.size() && i < 3; ++i)
        if (fixes.by_owner[i].fixes > 0)
            by.append("\n").append(group_line(fixes.by_owner[i], economics, fixes.by_owner[i].name));
    stats.fields.push_back({"Fixes verified", text + by});
    std::string removed = describe_savings(fixes.contacts_month, fixes.savings_month, fixes.contacts_ytd,
                                           fixes.savings_ytd, economics);
    for (std::size_t i = 0; i < fixes.by_component.size() && i < 3; ++i) {
        const auto& g = fixes.by_component[i];
        if (g.contacts_month <= 0) continue;
        const auto comp = parse_component(g.name);
        removed.append("\n").append(group_line(g, economics, comp ? std::string(to_title(*comp)) : "no component"));
    }
    stats.fields.push_back({"Failure demand removed", removed});
    stats.context += " A fix holds when the report rate in the span after it (the 4 weeks before it, or since the "
                     "first report) is at most the configured share of the rate before; savings count fixes that "
                     "held, per month and this year.";
}

item_outcome outcome_of(const item_history& h, const item_policy& policy, const economics_config& economics, millis now) {
    item_outcome o;
    std::vector<kpi_signal> signals;
    for (const auto& s : h.signals) {
        signals.push_back(kpi_signal_of(s));
        o.cost_so_far += economics.cost_of(signals.back());
        o.contacts_so_far += s.contacts;
    }
    o.fix = check_fix(h.it, signals, policy, economics, now);
    o.thread = item_thread(h, o.fix, 3);
    return o;
}

std::string describe_cost(const item_outcome& o, const economics_config& economics) {
    std::string out = economics.enabled()
                          ? format_money(o.cost_so_far, economics.currency) + " so far (" + plural(o.contacts_so_far, "contact") + ")"
                          : plural(o.contacts_so_far, "contact") + " so far";
    if (o.fix && o.fix->verdict == fix_verdict::held)
        out += "; saved about " +
               (economics.enabled() ? format_money(o.fix->savings_since, economics.currency)
                                    : format_count(o.fix->contacts_since) + " contacts") +
               " since the fix";
    return out;
}

} // namespace cxos
