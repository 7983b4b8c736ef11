#include "commands/os_health.hpp"

#include "commands/item_views.hpp"

#include <algorithm>
#include <map>

namespace cxos {

namespace {

std::optional<double> share(int part, int whole) {
    if (whole == 0) return std::nullopt;
    return static_cast<double>(part) / whole;
}

// The figures as (healthy share, what it means when it is low), skipping those without data.
std::vector<std::pair<double, std::string>> figures_of(const component_health& h) {
    std::vector<std::pair<double, std::string>> out;
    out.emplace_back(h.signals_30d > 0 ? 1.0 : 0.0, "no signals in 30 days");
    if (h.rule_share) out.emplace_back(*h.rule_share, "most items go to the fallback owner");
    if (h.accuracy) out.emplace_back(*h.accuracy, "rules route to the wrong owner");
    if (h.median_ack)
        out.emplace_back(*h.median_ack <= health_ack_target ? 1.0 : static_cast<double>(health_ack_target) / *h.median_ack,
                         "slow to acknowledge");
    if (h.loop_rate) out.emplace_back(*h.loop_rate, "reporters not told of fixes");
    if (h.held_share) out.emplace_back(*h.held_share, "fixes do not hold");
    return out;
}

} // namespace

std::vector<component_health> compute_health(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                                             const fix_summary& fixes, millis now) {
    std::map<component, component_health> by;
    std::map<component, std::vector<millis>> acks;
    for (auto c : all_components()) by[c].comp = c;
    for (const auto& s : signals)
        if (s.comp && s.at >= now - kpi_month_ms && s.at <= now) ++by[*s.comp].signals_30d;
    std::map<std::int64_t, const fix_check*> checks;
    for (const auto& c : fixes.checks) checks[c.item_id] = &c;
    for (const auto& k : items) {
        const item& it = k.it;
        if (!it.comp || it.status == item_status::duplicate) continue;
        auto& h = by[*it.comp];
        if (it.routed_at > 0) {
            ++h.routed;
            if (!it.rule.empty()) {
                ++h.rule_routed;
                if (it.rerouted) ++h.rule_rerouted;
            }
        }
        const millis start = it.counts.first_seen > 0 ? it.counts.first_seen : it.created_at;
        if (it.acknowledged_at > 0) acks[*it.comp].push_back(std::max<millis>(0, it.acknowledged_at - start));
        if (it.status == item_status::fixed) {
            ++h.fixed_items;
            if (k.loop_notices > 0 && k.loop_told >= k.loop_notices) ++h.closed_loops;
        }
        if (auto c = checks.find(it.id); c != checks.end() && c->second->verdict != fix_verdict::under_watch) {
            ++h.fixes;
            if (c->second->verdict == fix_verdict::held) ++h.held;
        }
    }
    std::vector<component_health> out;
    for (auto& [comp, h] : by) {
        h.rule_share = share(h.rule_routed, h.routed);
        h.accuracy = share(h.rule_routed - h.rule_rerouted, h.rule_routed);
        if (auto& a = acks[comp]; !a.empty()) {
            h.acknowledged = static_cast<int>(a.size());
            h.median_ack = static_cast<millis>(median(a));
        }
        h.loop_rate = share(h.closed_loops, h.fixed_items);
        h.held_share = share(h.held, h.fixes);
        const auto figures = figures_of(h);
        double sum = 0;
        const std::pair<double, std::string>* low = nullptr;
        for (const auto& f : figures) {
            sum += f.first;
            if (!low || f.first < low->first) low = &f;
        }
        h.score = sum / static_cast<double>(figures.size());
        h.weakest = low && low->first < 1.0 ? low->second : "";
        out.push_back(h);
    }
    // Weakest first; equal scores keep the components' own order.
    std::stable_sort(out.begin(), out.end(), [](const component_health& a, const component_health& b) { return a.score < b.score; });
    return out;
}

namespace {

std::string pct(const std::optional<double>& v) {
    return v ? percent(static_cast<int>(*v * 1000 + 0.5), 1000) : std::string("n/a");
}

std::string scorecard(const component_health& h) {
    std::string out = h.signals_30d > 0 ? plural(h.signals_30d, "signal") + " in 30 days" : "no signals in 30 days";
    out += " · routed by a rule " + pct(h.rule_share) + " · accuracy " + pct(h.accuracy);
    out += " · acknowledged in " + (h.median_ack ? describe_duration(*h.median_ack) + " (median)" : std::string("n/a"));
    out += " · closed loops " + pct(h.loop_rate);
    out += " · fixes held " + (h.fixes > 0 ? std::to_string(h.held) + " of " + std::to_string(h.fixes) : std::string("n/a"));
    return out;
}

} // namespace

neutral_message render_health(const std::vector<component_health>& health) {
    neutral_message m;
    m.title = "OS health: the six components";
    if (health.empty()) return m;
    const auto& weakest = health.front();
    m.text = "Weakest: *" + std::string(to_title(weakest.comp)) + "* (" + pct(weakest.score) + ")" +
             (weakest.weakest.empty() ? "." : ": " + weakest.weakest + ".");
    for (const auto& h : health)
        m.fields.push_back({std::string(to_title(h.comp)) + " · " + pct(h.score), scorecard(h)});
    m.context = "Score: the mean of the figures a component has data for (signals flowing, share routed by a rule, "
                "routing accuracy, acknowledged within a day, closed loops, fixes that held); weakest first. "
                "Items without a component count in none.";
    return m;
}

} // namespace cxos
