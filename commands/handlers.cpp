#include "commands/handlers.hpp"

#include "commands/item_views.hpp"
#include "commands/routing.hpp"

#include <ctime>

namespace cxos {
namespace {

std::string utc_time(millis at) { return format_utc(at, "%Y-%m-%d %H:%M UTC"); }

std::string stage_text(const signal& s) { return s.stage.empty() ? "not set" : s.stage; }

std::string component_text(const signal& s) {
    return s.comp ? std::string(to_title(*s.comp)) : "not set";
}

std::string route_text(const route_decision& r) {
    if (r.rule.empty()) return "→ #" + r.owner + ": " + r.reason + ", fallback owner";
    return "→ #" + r.owner + ": rule `" + r.rule + "` " + r.reason;
}

std::string delivery_text(const delivery& d) {
    std::string out = std::string(to_string(d.state));
    if (d.state == delivery_state::sent && !d.platform_ref.empty())
        out += " to " + d.channel + " (message " + d.platform_ref + ")";
    else
        out += " to " + d.channel;
    if (d.attempts > 0 && d.state != delivery_state::sent)
        out += ", " + plural(d.attempts, "attempt");
    if (!d.last_error.empty() && d.state != delivery_state::sent) out += ", last error: " + d.last_error;
    return out;
}

} // namespace

signal plan_signal(const journey_config& journey, const log_command& cmd, const source_ref& from,
                   millis now) {
    signal s;
    s.source = from;
    s.description = cmd.description;
    s.stage = cmd.stage;
    s.comp = cmd.comp;
    s.sev = cmd.sev.value_or(severity::medium);
    s.created_at = now;
    s.route = route(journey, s);
    return s;
}

neutral_message render_help(const journey_config& journey, std::string_view invoked_as) {
    std::string cmd(invoked_as.empty() ? "/friction" : invoked_as);
    std::string stages;
    for (const auto& st : journey.stages) stages += (stages.empty() ? "#" : ", #") + st;
    std::string comps;
    for (auto c : all_components())
        comps += (comps.empty() ? "+" : ", +") + std::string(to_slug(c));
    neutral_message m;
    m.title = "Log customer friction with cxos";
    m.text = "*`" + cmd + " <what the customer ran into>`* logs a signal and routes it to the "
             "team that owns it.\n"
             "Tags anywhere in the text: *#stage*, *!high* / *!medium* / *!low*, *+component*. "
             "Anything else stays in the description.\n"
             "Example: `" + cmd + " the invoice shows the wrong currency #renew !high +marketing`\n"
             "*`" + cmd + " status <id>`* shows a signal, where it went, the rule that chose it "
             "and whether the owner's post was delivered.\n"
             "*`" + cmd + " +1 <item id>`* adds your report to an item someone logged before.\n"
             "*`" + cmd + " stats`* shows the KPIs (failure demand, times to route, acknowledge and fix, "
             "routing accuracy, closed loops, cost); `stats <owner>` or `stats <stage>` narrows them, "
             "`stats routing` and `stats loops` show one figure.\n"
             "*`" + cmd + " dashboard`* gives the dashboard's link.\n"
             "*`" + cmd + " council preview`* shows this week's Experience Council agenda; "
             "*`" + cmd + " council run`* posts it now (council members).\n"
             "*`" + cmd + " help`* shows this.";
    m.fields = {{"Stages", stages.empty() ? "none configured" : stages}, {"Components", comps}};
    m.context = "Routing rules and the journey map live in the cxos config.";
    return m;
}

neutral_message render_log_ack(const signal& s, const item& it, bool new_item) {
    neutral_message m;
    const std::string item_id = std::to_string(it.id);
    m.title = "Logged signal " + std::to_string(s.id);
    if (new_item) {
        m.text = route_text(s.route) + "\nIt starts item " + item_id + ".";
    } else {
        m.text = "Added to item " + item_id + " (" + plural(it.counts.reports, "report") +
                 ") owned by #" + it.owner + ": the same friction was reported before.";
    }
    m.fields = {{"Stage", stage_text(s)},
                {"Component", component_text(s)},
                {"Severity", std::string(to_string(s.sev))}};
    m.context = "`/friction status " + std::to_string(s.id) + "` follows it; `/friction +1 " + item_id +
                "` adds a report when it happens again.";
    return m;
}

neutral_message render_plus_one_ack(const std::optional<item>& it, std::int64_t asked_id, bool counted) {
    neutral_message m;
    if (!it) {
        m.title = "No item " + std::to_string(asked_id);
        m.text = "There is no item with that id. Item ids are on the posts in the owners' channels.";
        m.is_error = true;
        return m;
    }
    m.title = counted ? "Counted: item " + std::to_string(it->id) : "Item " + std::to_string(it->id) + " is closed";
    m.text = counted ? "*" + it->title + "* now has " + plural(it->counts.reports, "report") + "."
                     : "*" + it->title + "* is " + std::string(to_label(it->status)) +
                           "; log it again with `/friction …` if it is back.";
    m.is_error = !counted;
    return m;
}

neutral_message render_status(const std::optional<signal_status>& status, std::int64_t asked_id) {
    neutral_message m;
    if (!status) {
        m.title = "No signal " + std::to_string(asked_id);
        m.text = "There is no signal with that id. The id is in the confirmation cxos sent when "
                 "it was logged.";
        m.is_error = true;
        return m;
    }
    const signal& s = status->sig;
    m.title = "Signal " + std::to_string(s.id);
    m.text = s.description;
    m.fields = {{"Route", route_text(s.route)},
                {"Stage", stage_text(s)},
                {"Component", component_text(s)},
                {"Severity", std::string(to_string(s.sev))},
                {"Reported by", s.source.user_id, field_kind::user},
                {"Logged", utc_time(s.created_at)}};
    if (status->it) {
        const item& it = *status->it;
        m.fields.push_back({"Item", std::to_string(it.id) + " · " + std::string(to_label(it.status)) + " · #" +
                                        it.owner + " · " + plural(it.counts.reports, "report")});
    }
    for (const auto& d : status->deliveries) m.fields.push_back({"Delivery", delivery_text(d)});
    return m;
}

neutral_message render_invalid(const invalid_command& cmd) {
    neutral_message m;
    m.title = "cxos didn't log that";
    m.text = cmd.message;
    m.is_error = true;
    return m;
}

} // namespace cxos
