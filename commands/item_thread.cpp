#include "commands/item_thread.hpp"

#include "commands/item_views.hpp"

#include <algorithm>
#include <map>

namespace cxos {

kpi_signal kpi_signal_of(const signal& s) {
    kpi_signal k;
    k.id = s.id;
    k.item_id = s.item_id;
    k.at = s.created_at;
    k.stage = s.stage;
    k.comp = s.comp;
    k.source = s.source.platform;
    k.contacts = s.contacts;
    k.channel = s.source.channel_id;
    return k;
}

namespace {

std::string reporter_text(const signal& s) {
    std::string who = !s.source.user_name.empty() ? s.source.user_name : s.source.user_id;
    std::string out = "by " + (who.empty() ? s.source.platform : who);
    if (s.source.kind() == source_kind::tool) out += " (" + s.source.platform + ")";
    if (s.contacts > 1) out += ", " + plural(s.contacts, "contact");
    return out;
}

std::string route_text(const item& it, const std::vector<signal>& signals) {
    // The first owner is the one the first report was routed to: a reroute changed it since.
    const route_decision first = signals.empty() ? route_decision{it.owner, it.rule, it.reason} : signals.front().route;
    return "routed to #" + first.owner + (it.rule.empty() ? " as fallback (" + it.reason + ")"
                                                          : " by rule `" + it.rule + "` (" + it.reason + ")");
}

std::string audit_text(const audit_entry& a) {
    if (a.action == "acknowledge") return "acknowledged";
    if (a.action == "reroute") {
        auto arrow = a.detail.find(" -> ");
        if (arrow == std::string::npos) return "rerouted";
        return "rerouted from #" + a.detail.substr(0, arrow) + " to #" + a.detail.substr(arrow + 4);
    }
    if (a.action == "duplicate") return "marked as " + a.detail;
    if (a.action == "wont_fix") return "won't fix: " + a.detail;
    if (a.action == "fixed") return "fixed: " + a.detail;
    if (a.action == "decide") return "council decided: " + a.detail;
    if (a.action == "regressed") return "reopened as regressed: " + a.detail;
    return a.action + (a.detail.empty() ? "" : ": " + a.detail);
}

void add_notices(std::vector<thread_event>& out, const std::vector<loop_notice_row>& notices) {
    // The notices of one fix are queued together; each fix's reporters are one line.
    std::map<millis, std::pair<int, int>> by_fix; // queued_at -> reporters, told
    for (const auto& n : notices) {
        auto& [all, told] = by_fix[n.queued_at];
        ++all;
        if (n.told) ++told;
    }
    for (const auto& [at, counts] : by_fix) {
        const auto [all, told] = counts;
        thread_event e{at, "told", "", "", 1, 0};
        e.text = told == all ? plural(all, "reporter") + " told what changed"
                             : std::to_string(told) + " of " + plural(all, "reporter") + " told what changed so far";
        out.push_back(std::move(e));
    }
}

std::vector<thread_event> collapse_reports(std::vector<thread_event> events, int max_run) {
    if (max_run <= 0) return events;
    std::vector<thread_event> out;
    for (std::size_t i = 0; i < events.size();) {
        std::size_t j = i;
        while (j < events.size() && events[j].kind == "report") ++j;
        if (j - i > static_cast<std::size_t>(max_run)) {
            thread_event run{events[i].at, "reports", "", "", static_cast<int>(j - i), events[j - 1].at};
            run.text = plural(run.count, "more report") + " from " + day(run.at) + " to " + day(run.until);
            out.push_back(std::move(run));
        } else {
            for (std::size_t k = i; k < j; ++k) out.push_back(std::move(events[k]));
        }
        if (j == i) out.push_back(std::move(events[j++]));
        i = j;
    }
    return out;
}

} // namespace

std::vector<thread_event> item_thread(const item_history& h, const std::optional<fix_check>& fix, int max_run) {
    std::vector<thread_event> out;
    const item& it = h.it;
    for (std::size_t i = 0; i < h.signals.size(); ++i) {
        const auto& s = h.signals[i];
        thread_event e{s.created_at, i == 0 ? "first_report" : "report", s.source.user_id, "", 1, 0};
        e.text = (i == 0 ? "first report " : "report ") + reporter_text(s);
        if (i == 0 || s.description != it.title) e.text += ": “" + s.description + "”";
        out.push_back(std::move(e));
    }
    if (it.routed_at > 0) out.push_back({it.routed_at, "routed", "", route_text(it, h.signals), 1, 0});
    for (const auto& a : h.audit) out.push_back({a.at, a.action, a.actor, audit_text(a), 1, 0});
    for (const auto& v : h.votes)
        out.push_back({v.at, "vote", v.member, v.value > 0 ? "council vote: 👍 prioritise" : "council vote: 👎 not now", 1, 0});
    add_notices(out, h.notices);
    if (fix && (fix->verdict == fix_verdict::held || fix->verdict == fix_verdict::not_held))
        out.push_back({fix->watch_until, std::string(to_string(fix->verdict)), "",
                       std::string(fix->verdict == fix_verdict::held ? "the fix held: " : "the fix did not hold: ") +
                           plural(fix->reports_after, "report") + " after it, against " +
                           std::to_string(fix->reports_before) + " before",
                       1, 0});
    // Same-time events keep the order they were added in: the report before the route it caused.
    std::stable_sort(out.begin(), out.end(), [](const thread_event& a, const thread_event& b) { return a.at < b.at; });
    return collapse_reports(std::move(out), max_run);
}

std::string render_thread(const std::vector<thread_event>& events, std::size_t max_lines) {
    std::string out;
    std::size_t skip = events.size() > max_lines && max_lines > 1 ? events.size() - (max_lines - 1) : 0;
    if (skip > 0) {
        // Keep the first report, sum up what follows it, then the latest events.
        out = format_utc(events.front().at, "%d %b %H:%M") + " · " + events.front().text + "\n… " +
              plural(static_cast<int>(skip - 1), "earlier event") + "\n";
    }
    for (std::size_t i = skip; i < events.size(); ++i) {
        const auto& e = events[i];
        out += format_utc(e.at, "%d %b %H:%M") + " · " + e.text;
        if (!e.actor.empty() && e.kind != "first_report" && e.kind != "report") out += " (" + e.actor + ")";
        out += "\n";
    }
    if (!out.empty()) out.pop_back();
    return out;
}

} // namespace cxos
