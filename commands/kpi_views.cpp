// `/friction stats` in chat: the KPI report as one neutral message (Slack and Teams render it).
#include "commands/kpis.hpp"

#include <algorithm>
#include <cstdio>

namespace cxos {

std::string describe_duration(millis d) {
    char buf[32];
    const double minutes = d / 60000.0;
    if (minutes < 1) std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d / 1000));
    else if (minutes < 60) std::snprintf(buf, sizeof buf, "%.0f min", minutes);
    else if (minutes < 48 * 60) std::snprintf(buf, sizeof buf, "%.1f h", minutes / 60);
    else std::snprintf(buf, sizeof buf, "%.1f d", minutes / (24 * 60));
    return buf;
}

namespace {

std::string durations_line(const duration_figures& d, const char* what) {
    if (d.count == 0) return std::string("no item ") + what + " yet";
    return "p50 " + describe_duration(d.p50) + ", p90 " + describe_duration(d.p90) + " (" + plural(d.count, "item") + ")";
}

std::string change_text(const std::optional<double>& change) {
    if (!change) return "n/a (no signals the week before)";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.0f %%", *change);
    return buf;
}

// At most `limit` bytes, cut at a UTF-8 boundary: five full titles would overflow a chat field.
std::string short_title(const std::string& title, std::size_t limit = 80) {
    if (title.size() <= limit) return title;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
    return title.substr(0, cut) + "…";
}

std::string cell_name(const heat_cell& c) {
    return (c.stage.empty() ? std::string("no stage") : "#" + c.stage) + " × " +
           (c.component.empty() ? std::string("no component") : "+" + c.component);
}

// "100 % of 2 items routed by a rule"; the fallback's items are not in it.
std::string rule_accuracy_text(const routing_split& s) {
    return percent(s.rule_routed - s.rule_rerouted, s.rule_routed) + " of " + plural(s.rule_routed, "item") +
           " routed by a rule";
}

// "1 of 3 routed items (33 %) went to the fallback owner".
std::string fallback_share_text(const routing_split& s) {
    return std::to_string(s.fallback_routed) + " of " + plural(s.routed(), "routed item") + " (" +
           percent(s.fallback_routed, s.routed()) + ") went to the fallback owner";
}

std::string accuracy_line(const kpi_report& r) {
    const auto& s = r.by_rule;
    if (s.rule_routed == 0) return describe_routing(s);
    std::string rules;
    for (const auto& rule : r.routing)
        if (!rule.rule.empty())
            rules += (rules.empty() ? "" : " · ") + ("`" + rule.rule + "` ") + percent(rule.routed - rule.rerouted, rule.routed);
    return rule_accuracy_text(s) + " (" + rules + "); " + fallback_share_text(s);
}

} // namespace

std::string describe_routing(const routing_split& s) {
    if (s.routed() == 0) return "no item routed yet";
    if (s.rule_routed == 0) return "no rule routed an item yet; " + fallback_share_text(s);
    return rule_accuracy_text(s) + "; " + fallback_share_text(s);
}

neutral_message render_kpi_stats(const kpi_report& r, const economics_config& economics, std::string_view scope) {
    neutral_message m;
    m.title = scope.empty() ? "cxos stats" : "cxos stats: " + std::string(scope);
    if (r.signals == 0) {
        m.text = "No friction logged" + std::string(scope.empty() ? "" : " here") + " yet.";
        return m;
    }
    m.text = "*" + plural(r.signals, "signal") + "* on *" + plural(r.items, "item") + "*, " +
             std::to_string(r.open_items) + " open. Failure demand " + [&] {
                 char buf[16];
                 std::snprintf(buf, sizeof buf, "%.1f", r.reports_per_item);
                 return std::string(buf);
             }() + " reports per item; signals week over week " + change_text(r.week_over_week) + ".";
    if (economics.enabled())
        m.fields.push_back({"Cost to serve", "about *" + format_money(r.cost_month, economics.currency) +
                                                 "* in the last 30 days (" + plural(r.contacts, "contact") + ", " +
                                                 format_money(r.cost, economics.currency) + " in all)"});
    std::string top;
    for (std::size_t i = 0; i < r.top.size() && i < 5; ++i) {
        const auto& t = r.top[i];
        top += (top.empty() ? "" : "\n") + std::string("#") + std::to_string(t.it.id) + " " + short_title(t.it.title) + " — " +
               plural(t.reports, "report") + ", " + t.it.owner + ", " + std::string(to_label(t.it.status));
        if (economics.enabled()) top += ", " + format_money(t.cost_month, economics.currency) + " this month";
    }
    m.fields.push_back({"Top items", top});
    std::vector<heat_cell> hot = r.heat;
    std::stable_sort(hot.begin(), hot.end(), [](const heat_cell& a, const heat_cell& b) { return a.signals > b.signals; });
    std::string spots;
    for (std::size_t i = 0; i < hot.size() && i < 3; ++i)
        spots += (spots.empty() ? "" : "\n") + cell_name(hot[i]) + ": " + plural(hot[i].signals, "report") + " on " +
                 plural(hot[i].items, "item");
    m.fields.push_back({"Hot spots", spots});
    m.fields.push_back({"Time to route", durations_line(r.to_route, "routed")});
    m.fields.push_back({"Time to acknowledge", durations_line(r.to_acknowledge, "acknowledged")});
    m.fields.push_back({"Time to fix", durations_line(r.to_fix, "fixed")});
    m.fields.push_back({"Routing accuracy", accuracy_line(r)});
    m.fields.push_back({"Closed loops", describe_closed_loops(r.loops)});
    std::string owners;
    for (const auto& o : r.owners)
        owners += (owners.empty() ? "" : "\n") + o.owner + ": " + plural(o.open_items, "open item") + ", oldest " +
                  describe_duration(o.oldest_age) + ", median age " + describe_duration(o.median_age);
    m.fields.push_back({"Open items by owner", owners.empty() ? "none" : owners});
    m.context = "Times count from an item's first report (p50/p90). Routing accuracy: items a rule routed that were "
                "not rerouted / items a rule routed, target 60 % or more; items no rule matched are counted apart.";
    if (economics.enabled())
        m.context += " Cost: contacts × " + format_money(economics.cost_per_contact, economics.currency) + " per contact.";
    return m;
}

neutral_message render_routing_stats(const std::vector<rule_accuracy>& rows) {
    neutral_message m;
    m.title = "Routing accuracy";
    const auto s = split_routing(rows);
    if (s.routed() == 0) {
        m.text = "No item has reached an owner yet.";
    } else if (s.rule_routed == 0) {
        m.text = "No rule has routed an item yet: all " + plural(s.routed(), "routed item") +
                 " went to the fallback owner because no rule matched them.";
    } else {
        m.text = "*" + percent(s.rule_routed - s.rule_rerouted, s.rule_routed) + "* of " + plural(s.rule_routed, "item") +
                 " routed by a rule stayed with the owner the rule chose. " + fallback_share_text(s) +
                 (s.fallback_routed == 0 ? "." : ": no rule matched them.");
    }
    for (const auto& r : rows) {
        if (r.rule.empty()) continue;
        m.fields.push_back({"rule `" + r.rule + "`", percent(r.routed - r.rerouted, r.routed) + " (" +
                                                         plural(r.routed, "item") + ", " + std::to_string(r.rerouted) +
                                                         " rerouted)"});
    }
    if (s.fallback_routed > 0)
        m.fields.push_back({"fallback (no rule matched)", plural(s.fallback_routed, "item") + ", " +
                                                              percent(s.fallback_routed, s.routed()) + " of routed items, " +
                                                              std::to_string(s.fallback_rerouted) + " rerouted"});
    m.context = "Accuracy: items a rule routed that were not rerouted / items a rule routed; items no rule matched "
                "go to the fallback owner and are counted apart. The CX OS target is 60 % or more.";
    return m;
}

} // namespace cxos
