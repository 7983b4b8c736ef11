#include "commands/kpis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

namespace cxos {

double economics_config::cost_for(std::string_view source, std::string_view channel) const {
    if (auto c = per_channel.find(std::string(channel)); !channel.empty() && c != per_channel.end()) return c->second;
    auto it = per_source.find(std::string(source));
    return it != per_source.end() ? it->second : cost_per_contact;
}

double economics_config::cost_of(const kpi_signal& s) const { return s.contacts * cost_for(s.source, s.channel); }

std::string with_thousands(long long n) {
    // Appended left to right rather than inserted: no string is moved about, and GCC 12's
    // -Wrestrict (at -O3) has nothing to misread.
    const std::string digits = std::to_string(n);
    const std::size_t first = digits[0] == '-' ? 1 : 0;
    std::string out(digits, 0, first);
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = first; i < digits.size(); ++i) {
        if (i > first && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string format_money(double amount, std::string_view currency) {
    const bool negative = amount < 0;
    amount = std::fabs(amount);
    // Budget talk rounds to whole units; small sums keep their cents so €6.50 stays €6.50.
    const bool cents = amount < 100 && std::fabs(amount - std::round(amount)) >= 0.005;
    const long long units = cents ? static_cast<long long>(amount) : std::llround(amount);
    std::string digits = with_thousands(units);
    if (cents) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%02d", static_cast<int>(std::llround((amount - units) * 100)) % 100);
        digits += buf;
    }
    std::string sign = negative ? "-" : "";
    if (currency == "EUR") return sign + "€" + digits;
    if (currency == "USD") return sign + "$" + digits;
    if (currency == "GBP") return sign + "£" + digits;
    return sign + digits + " " + std::string(currency);
}

millis percentile(std::vector<millis> values, int p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p % of the values at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    rank = std::clamp<std::size_t>(rank, 1, values.size());
    return values[rank - 1];
}

double median(std::vector<millis> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? static_cast<double>(values[n / 2]) : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

duration_figures duration_figures_of(std::vector<millis> values) {
    return {static_cast<int>(values.size()), percentile(values, 50), percentile(values, 90)};
}

std::map<std::int64_t, item_cost> item_costs(const std::vector<kpi_signal>& signals,
                                             const economics_config& economics, millis now) {
    std::map<std::int64_t, item_cost> out;
    for (const auto& s : signals) {
        const double cost = economics.cost_of(s);
        auto& c = out[s.item_id];
        c.so_far += cost;
        if (s.at >= now - kpi_month_ms) c.month += cost;
    }
    return out;
}

routing_split split_routing(const std::vector<rule_accuracy>& rows) {
    routing_split s;
    for (const auto& r : rows) {
        (r.rule.empty() ? s.fallback_routed : s.rule_routed) += r.routed;
        (r.rule.empty() ? s.fallback_rerouted : s.rule_rerouted) += r.rerouted;
    }
    return s;
}

namespace {

bool in_range(millis at, const kpi_filter& f, millis end) { return at >= f.from && at < end; }

bool item_matches(const item& it, const kpi_filter& f) {
    return (f.owner.empty() || it.owner == f.owner) && (f.stage.empty() || it.stage == f.stage) &&
           (!f.comp || it.comp == f.comp);
}

// A report counts where the reporter put it (its own stage and component) and for the owner
// its item has now.
bool signal_matches(const kpi_signal& s, const item* it, const kpi_filter& f) {
    if (!f.owner.empty() && (!it || it->owner != f.owner)) return false;
    return (f.stage.empty() || s.stage == f.stage) && (!f.comp || s.comp == f.comp);
}

void add_heat(std::vector<heat_cell>& heat, const std::vector<kpi_signal>& in_scope,
              const std::vector<std::string>& stages) {
    std::map<std::pair<std::string, std::string>, std::pair<heat_cell, std::set<std::int64_t>>> cells;
    for (const auto& s : in_scope) {
        auto comp = s.comp ? std::string(to_slug(*s.comp)) : std::string();
        auto& [cell, items] = cells[{s.stage, comp}];
        cell.stage = s.stage;
        cell.component = comp;
        ++cell.signals;
        cell.contacts += s.contacts;
        items.insert(s.item_id);
    }
    auto stage_rank = [&](const std::string& st) {
        auto at = std::find(stages.begin(), stages.end(), st);
        return st.empty() ? stages.size() + 1 : static_cast<std::size_t>(at - stages.begin());
    };
    auto comp_rank = [](const std::string& c) {
        auto parsed = parse_component(c);
        return parsed ? static_cast<int>(*parsed) : 99;
    };
    for (auto& [key, value] : cells) {
        value.first.items = static_cast<int>(value.second.size());
        heat.push_back(value.first);
    }
    std::sort(heat.begin(), heat.end(), [&](const heat_cell& a, const heat_cell& b) {
        auto ka = std::pair(stage_rank(a.stage), comp_rank(a.component));
        auto kb = std::pair(stage_rank(b.stage), comp_rank(b.component));
        return ka < kb;
    });
}

void add_item_figures(kpi_report& r, const std::vector<const kpi_item*>& items) {
    std::vector<millis> route, ack, fix;
    std::map<std::string, rule_accuracy> rules;
    std::map<std::string, std::vector<millis>> open_ages;
    for (const auto* k : items) {
        const item& it = k->it;
        const millis start = it.counts.first_seen > 0 ? it.counts.first_seen : it.created_at;
        if (it.routed_at > 0) {
            route.push_back(std::max<millis>(0, it.routed_at - start));
            auto& rule = rules[it.rule];
            rule.rule = it.rule;
            ++rule.routed;
            if (it.rerouted) ++rule.rerouted;
        }
        if (it.acknowledged_at > 0) ack.push_back(std::max<millis>(0, it.acknowledged_at - start));
        if (it.status == item_status::fixed) {
            fix.push_back(std::max<millis>(0, it.closed_at - start));
            ++r.loops.fixed_items;
            if (k->loop_notices > 0 && k->loop_told >= k->loop_notices) {
                ++r.loops.closed_loops;
                r.loops.loop_times.push_back(std::max<millis>(0, k->loop_told_at - start));
            }
        }
        if (!is_closed(it.status)) {
            ++r.open_items;
            open_ages[it.owner].push_back(std::max<millis>(0, r.now - start));
        }
    }
    r.to_route = duration_figures_of(std::move(route));
    r.to_acknowledge = duration_figures_of(std::move(ack));
    r.to_fix = duration_figures_of(std::move(fix));
    for (auto& [name, rule] : rules) {
        r.routed += rule.routed;
        r.rerouted += rule.rerouted;
        r.routing.push_back(rule);
    }
    r.by_rule = split_routing(r.routing);
    for (auto& [owner, ages] : open_ages) {
        owner_figures o{owner, static_cast<int>(ages.size()), *std::max_element(ages.begin(), ages.end()),
                        percentile(ages, 50), 0};
        for (const auto& t : r.top)
            if (t.it.owner == owner && !is_closed(t.it.status)) o.cost_month += t.cost_month;
        r.owners.push_back(o);
    }
    std::stable_sort(r.owners.begin(), r.owners.end(),
                     [](const owner_figures& a, const owner_figures& b) { return a.open_items > b.open_items; });
}

} // namespace

kpi_report compute_kpis(const std::vector<kpi_item>& items, const std::vector<kpi_signal>& signals,
                        const kpi_filter& f, const std::vector<std::string>& stages,
                        const economics_config& economics, millis now) {
    kpi_report r;
    r.filter = f;
    r.now = now;
    const millis end = f.to > 0 ? f.to : now + 1;
    std::unordered_map<std::int64_t, const kpi_item*> by_id;
    for (const auto& k : items)
        if (k.it.status != item_status::duplicate) by_id[k.it.id] = &k;
    auto item_of = [&](std::int64_t id) -> const kpi_item* {
        auto at = by_id.find(id);
        return at == by_id.end() ? nullptr : at->second;
    };

    // Reports in scope: the heat map, the totals and the weekly trend count the same ones.
    std::vector<kpi_signal> in_scope;
    std::map<std::int64_t, std::pair<int, int>> item_reports; // id -> reports, contacts in range
    r.weeks.resize(kpi_trend_weeks);
    const millis trend_start = end - kpi_trend_weeks * kpi_week_ms;
    for (int w = 0; w < kpi_trend_weeks; ++w) r.weeks[w].start = trend_start + w * kpi_week_ms;
    for (const auto& s : signals) {
        const auto* k = item_of(s.item_id);
        if (!signal_matches(s, k ? &k->it : nullptr, f)) continue;
        const double cost = economics.cost_of(s);
        if (s.at >= now - kpi_month_ms && s.at <= now) r.cost_month += cost;
        if (s.at >= trend_start && s.at < end) ++r.weeks[static_cast<std::size_t>((s.at - trend_start) / kpi_week_ms)].signals;
        if (!in_range(s.at, f, end)) continue;
        in_scope.push_back(s);
        r.cost += cost;
        r.contacts += s.contacts;
        auto& [reports, contacts] = item_reports[s.item_id];
        ++reports;
        contacts += s.contacts;
    }
    r.signals = static_cast<int>(in_scope.size());
    add_heat(r.heat, in_scope, stages);

    // Items in scope: those that match the owner/stage/component asked and, when a date range
    // is asked, have a report in it.
    const auto costs = item_costs(signals, economics, now);
    const bool whole_history = f.from == 0 && f.to == 0;
    std::vector<const kpi_item*> scoped;
    for (const auto& k : items) {
        const auto id = k.it.id;
        const auto counted = item_reports.find(id);
        if (!by_id.count(id) || !item_matches(k.it, f) || (counted == item_reports.end() && !whole_history)) continue;
        scoped.push_back(&k);
        auto cost = costs.count(id) ? costs.at(id) : item_cost{};
        auto [reports, contacts] = counted == item_reports.end() ? std::pair{0, 0} : counted->second;
        r.top.push_back({k.it, k.posts, reports, contacts, cost.so_far, cost.month});
    }
    for (const auto& k : items) {
        if (!by_id.count(k.it.id) || !item_matches(k.it, f)) continue;
        for (auto& w : r.weeks) {
            if (k.it.created_at >= w.start && k.it.created_at < w.start + kpi_week_ms) ++w.new_items;
            if (k.it.status == item_status::fixed && k.it.closed_at >= w.start && k.it.closed_at < w.start + kpi_week_ms)
                ++w.fixed_items;
        }
    }
    std::sort(r.top.begin(), r.top.end(), [](const item_figures& a, const item_figures& b) {
        return a.reports != b.reports ? a.reports > b.reports : a.it.id < b.it.id;
    });
    r.items = static_cast<int>(r.top.size());
    int item_reports_total = 0;
    for (const auto& t : r.top) item_reports_total += t.reports;
    r.reports_per_item = r.items == 0 ? 0 : static_cast<double>(item_reports_total) / r.items;
    add_item_figures(r, scoped);
    const int last = r.weeks.back().signals, before = r.weeks[kpi_trend_weeks - 2].signals;
    if (before > 0) r.week_over_week = 100.0 * (last - before) / before;
    return r;
}

} // namespace cxos
