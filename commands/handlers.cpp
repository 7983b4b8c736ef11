#include "commands/handlers.hpp"

#include "commands/item_views.hpp"
#include "commands/routing.hpp"

#include <ctime>

namespace cxos {
namespace {

using namespace std::string_view_literals;

std::string utc_time(millis at) { return format_utc(at, "%Y-%m-%d %H:%M UTC"); }

std::string stage_text(const signal& s) { return s.stage.empty() ? "not set" : s.stage; }

std::string component_text(const signal& s) {
    return s.comp ? std::string(to_title(*s.comp)) : "not set";
}

void append_owner_link(std::string& out, const std::string& owner, const journey_config& journey) {
    auto o = journey.owners.find(owner);
    if (o == journey.owners.end() || o->second.home_channel().empty()) {
        out.append("#"sv).append(owner);
        return;
    }
    out += channel_mention(o->second.home_channel(), "#" + owner);
}

void append_route(std::string& out, const route_decision& r, const journey_config& journey) {
    out += "→ "sv;
    append_owner_link(out, r.owner, journey);
    if (r.rule.empty()) out.append(": "sv).append(r.reason).append(", fallback owner"sv);
    else out.append(": rule `"sv).append(r.rule).append("` "sv).append(r.reason);
}

std::string route_text(const route_decision& r, const journey_config& journey) {
    std::string out;
    append_route(out, r, journey);
    return out;
}

std::string unknown_tags_text(const std::vector<std::string>& tags, const journey_config& journey) {
    std::string out;
    for (const auto& t : tags) out.append(out.empty() ? "" : ", ").append(t);
    out.append(" (kept in the text). Stages: "sv).append(stage_tags(journey)).append("; severities: "sv);
    out.append(severity_tags()).append("; components: "sv).append(component_tags());
    return out;
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

std::string owner_link(const std::string& owner, const journey_config& journey) {
    std::string out;
    append_owner_link(out, owner, journey);
    return out;
}

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
    neutral_message m;
    m.title = "Log customer friction with cxos";
    m.text = "*`" + cmd + " <what the customer ran into>`* logs a report and routes it to the "
             "team that owns it; reports of the same friction count on one item.\n"
             "Tags anywhere in the text: *#stage*, *!high* / *!medium* / *!low*, *+component* (a tag may be "
             "shortened while it stays unambiguous, e.g. `#onb`). Anything else stays in the description, and "
             "cxos tells you which tags it did not understand.\n"
             "Example: `" + cmd + " the invoice shows the wrong currency #renew !high +marketing`\n"
             "*`" + cmd + " status <item>`* shows an item: its owner, the rule that chose it, its reports, "
             "whether the owner's post was delivered, whether its fix held, and its timeline.\n"
             "*`" + cmd + " +1 <item>`* adds your report to an item someone logged before.\n"
             "*`" + cmd + " stats`* shows the KPIs (failure demand, times to route, acknowledge and fix, "
             "routing accuracy, closed loops, cost); `stats <owner>` or `stats <stage>` narrows them, "
             "`stats routing` and `stats loops` show one figure, `stats health` scores the six components "
             "(weakest first).\n"
             "*`" + cmd + " dashboard`* gives the dashboard's link.\n"
             "*`" + cmd + " council preview`* shows this week's Experience Council agenda; "
             "*`" + cmd + " council run`* posts it now (council members).\n"
             "*`" + cmd + " help`* shows this.";
    m.fields = {{"Stages", stage_tags(journey)}, {"Severities", severity_tags()}, {"Components", component_tags()}};
    m.context = "Routing rules and the journey map live in the cxos config.";
    return m;
}

// Every report is answered with one of these: each text is appended into one reserved string.
neutral_message render_log_ack(const signal& s, const item& it, bool new_item, const journey_config& journey,
                               const std::vector<std::string>& unknown_tags) {
    neutral_message m;
    const std::string item_id = std::to_string(it.id);
    m.title.append(new_item ? "Logged: item " : "Added to item ").append(item_id);
    // The words it logged, so a reporter sees what the owner will see.
    m.text.reserve(s.description.size() + 160);
    m.text.append("“"sv).append(s.description).append("”\n"sv);
    if (new_item) {
        append_route(m.text, s.route, journey);
        m.text += '.';
    } else {
        m.text.append("The same friction was reported before: item "sv).append(item_id).append(" now has "sv);
        m.text.append(plural(it.counts.reports, "report")).append(", owned by "sv);
        append_owner_link(m.text, it.owner, journey);
        m.text += '.';
    }
    m.fields.reserve(unknown_tags.empty() ? 3 : 4);
    m.fields.push_back({"Stage", stage_text(s)});
    m.fields.push_back({"Component", component_text(s)});
    m.fields.push_back({"Severity", std::string(to_string(s.sev))});
    if (!unknown_tags.empty()) m.fields.push_back({"Tags not understood", unknown_tags_text(unknown_tags, journey)});
    m.context.reserve(128);
    m.context.append("Signal "sv).append(std::to_string(s.id)).append(" · `/friction status "sv).append(item_id);
    m.context.append("` follows the item; `/friction +1 "sv).append(item_id).append("` adds a report when it happens again."sv);
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

neutral_message render_status(const std::optional<item_status_view>& status, std::int64_t asked_id,
                              const journey_config& journey) {
    neutral_message m;
    if (!status) {
        m.title = "No item " + std::to_string(asked_id);
        m.text = "There is no item with that id that was reported from here. The item id is on the owner's post "
                 "and in the confirmation cxos sent when you logged it.";
        m.is_error = true;
        return m;
    }
    const item& it = status->it;
    m.title = "Item " + std::to_string(it.id) + " · " + std::string(to_label(it.status));
    m.text = it.title;
    route_decision route{it.owner, it.rule, it.reason};
    m.fields = {{"Owner", route_text(route, journey)},
                {"Reports", describe_demand(it.counts)},
                {"Stage", it.stage.empty() ? "not set" : it.stage},
                {"Component", it.comp ? std::string(to_title(*it.comp)) : "not set"},
                {"Severity", std::string(to_string(it.sev))},
                {"First reported", utc_time(it.counts.first_seen ? it.counts.first_seen : it.created_at)}};
    if (it.duplicate_of) m.fields.push_back({"Duplicate of", "item " + std::to_string(it.duplicate_of)});
    if (!it.note.empty()) m.fields.push_back({"Note", it.note});
    if (!status->fix.empty()) m.fields.push_back({"Fix check", status->fix});
    if (!status->cost.empty()) m.fields.push_back({"Cost to serve", status->cost});
    for (const auto& d : status->posts) m.fields.push_back({"Owner's post", delivery_text(d)});
    if (!status->thread.empty()) m.text += "\n\n*Timeline*\n" + status->thread;
    if (status->first_signal) m.context = "First logged as signal " + std::to_string(status->first_signal) + ".";
    return m;
}

neutral_message render_confirm(const confirm_command& cmd, std::string_view invoked_as) {
    const std::string invoked(invoked_as.empty() ? "/friction" : invoked_as);
    neutral_message m;
    if (!cmd.suggestion.empty()) {
        const auto verb = cmd.suggestion.substr(0, cmd.suggestion.find(' '));
        m.title = "Did you mean “" + verb + "”?"; // a title is plain text: no code spans
        m.text = "cxos logged nothing yet. Run `" + invoked + " " + cmd.suggestion + "`, or log “" + cmd.text +
                 "” as friction for the owner's channel.";
        m.actions = {{std::string(confirm_actions::run), "Run " + verb, cmd.suggestion, action_style::primary, {}, false},
                     {std::string(confirm_actions::log), "Log it as friction", cmd.text, action_style::normal, {}, false}};
    } else {
        m.title = "Log “" + cmd.text + "” as friction?";
        m.text = "That is short for a report, and it will be posted in an owner's channel. cxos logged nothing "
                 "yet: say what the customer ran into, or log it as it is.";
        m.actions = {{std::string(confirm_actions::log), "Log it as friction", cmd.text, action_style::primary, {}, false}};
    }
    m.context = "Without buttons: `" + invoked + " log " + cmd.text + "` logs it as it is.";
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
