#include "commands/item_views.hpp"
#include "commands/json_text.hpp"

#include "commands/grammar.hpp"

#include "commands/fix_check.hpp"
#include "commands/message_json.hpp"

#include <cstdio>
#include <ctime>
#include <tuple>

namespace cxos {

std::string day(millis at) { return format_utc(at, "%d %b %Y"); }

std::string plural(int n, std::string_view one, std::string_view many) {
    std::string out = std::to_string(n) + " ";
    if (n == 1) return out.append(one);
    return many.empty() ? out.append(one).append("s") : out.append(many);
}

std::string percent(int part, int whole) {
    if (whole == 0) return "n/a";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * part / whole);
    return buf;
}

std::string describe_demand(const item_counts& c) {
    std::string demand = plural(c.reports, "report") + " from " + plural(c.reporters, "person", "people");
    if (c.customers > 0) demand += ", " + plural(c.customers, "customer");
    return demand;
}

std::int64_t item_id_of(std::string_view action_value) {
    return parse_id(action_value.substr(0, action_value.find(':'))).value_or(0);
}

std::optional<triage_verb> triage_verb_of(std::string_view id) {
    if (id == action_ids::acknowledge) return triage_verb::acknowledge;
    if (id == action_ids::reroute) return triage_verb::reroute;
    if (id == action_ids::duplicate) return triage_verb::duplicate;
    if (id == action_ids::wont_fix) return triage_verb::wont_fix;
    if (id == action_ids::fixed) return triage_verb::fixed;
    return std::nullopt;
}

neutral_message render_item_card(const item& it, const journey_config& journey) {
    neutral_message m;
    const std::string id = std::to_string(it.id);
    m.title = "Item " + id + " · " + std::string(to_label(it.status));
    m.text = it.title;
    const auto& c = it.counts;
    m.fields = {{"Owner", "#" + it.owner}, {"Failure demand", describe_demand(c)}};
    if (!c.first_reporter.empty()) m.fields.push_back({"Reported by", c.first_reporter, field_kind::user});
    if (!c.first_channel.empty()) m.fields.push_back({"Source channel", c.first_channel, field_kind::channel});
    if (!c.first_permalink.empty()) m.fields.push_back({"Source message", c.first_permalink});
    m.fields.insert(m.fields.end(), {
                {"Stage", it.stage.empty() ? "not set" : it.stage},
                {"Component", it.comp ? std::string(to_title(*it.comp)) : "not set"},
                {"Severity", std::string(to_string(it.sev))},
                {"Seen", c.first_seen == 0 ? day(it.created_at)
                                           : day(c.first_seen) + (c.last_seen > c.first_seen ? " – " + day(c.last_seen) : "")}});
    if (!it.last_actor.empty()) {
        m.fields.push_back({std::string(to_label(it.status)) + " by", it.last_actor, field_kind::user});
        m.fields.push_back({"Changed", format_utc(it.updated_at, "%d %b %Y %H:%M UTC")});
    }
    if (!it.decision.empty()) {
        m.fields.push_back({"Council decision", it.decision});
        if (it.due_at > 0) m.fields.push_back({"Due", day(it.due_at)});
    }
    if (it.status == item_status::fixed) {
        m.fields.push_back({"What changed", it.note + (it.link.empty() ? "" : " " + it.link)});
        if (it.fixed_at > 0) m.fields.push_back({"Fix check", watch_text(it, journey.items)});
    }
    if (fix_regressed(it) && !is_closed(it.status)) m.fields.push_back({"Regressed", regression_text(it)});
    if (it.status == item_status::wont_fix) m.fields.push_back({"Why not", it.note});
    if (it.status == item_status::duplicate) m.fields.push_back({"Duplicate of", "Item " + std::to_string(it.duplicate_of)});
    m.context = (it.rule.empty() ? "Routed as fallback: " + it.reason + "." : "Routed by rule `" + it.rule + "` (" + it.reason + ").") +
                " Item id " + id + ": `/friction +1 " + id + "` adds a report.";
    if (it.rerouted) m.context += " Rerouted since.";
    if (is_closed(it.status)) return m;

    if (it.status == item_status::fresh || it.status == item_status::routed || it.status == item_status::regressed)
        m.actions.push_back({std::string(action_ids::acknowledge), "Acknowledge", id, action_style::primary, {}});
    message_action reroute{std::string(action_ids::reroute), "Reroute to…", id, action_style::normal, {}};
    for (const auto& [name, o] : journey.owners)
        if (name != it.owner) reroute.choices.push_back({id + ":" + name, "#" + name});
    if (!reroute.choices.empty()) m.actions.push_back(reroute);
    m.actions.push_back({std::string(action_ids::duplicate), "Duplicate of…", id, action_style::normal, {}});
    m.actions.push_back({std::string(action_ids::wont_fix), "Won't fix…", id, action_style::danger, {}});
    m.actions.push_back({std::string(action_ids::fixed), "Fixed…", id, action_style::primary, {}});
    for (auto& a : m.actions) a.opens_form = a.id != action_ids::acknowledge && a.id != action_ids::reroute;
    return m;
}

std::string watch_text(const item& it, const item_policy& policy) {
    const millis until = it.fixed_at + fix_span(it.fixed_at, it.counts.first_seen);
    const millis reopen_until = it.fixed_at + policy.regression_window_days * kpi_day_ms;
    return "under watch until " + day(until) + ": it holds if reports come back at no more than " +
           percent(static_cast<int>(policy.fix_holds_share * 100 + 0.5), 100) +
           " of the rate before the fix; a new report by " + day(reopen_until) + " reopens it";
}

std::string regression_text(const item& it) {
    std::string out = "back on " + day(it.regressed_at) + " after the fix on " + day(it.fixed_at);
    if (!it.note.empty()) out += " (“" + it.note + "”)";
    if (it.counts.since_fix > 0) out += ": " + plural(it.counts.since_fix, "report") + " since";
    return out;
}

neutral_message render_regression_line(const item& it) {
    neutral_message m;
    m.title = "Regressed: item " + std::to_string(it.id) + " reopened";
    m.text = "*" + plural(std::max(it.counts.since_fix, 1), "new report") + " since the fix on " + day(it.fixed_at) +
             ": reopened.*";
    if (!it.note.empty()) m.fields.push_back({"The fix", it.note + (it.link.empty() ? "" : " " + it.link)});
    m.context = "The friction is back within the regression window, so cxos reopened this item instead of starting "
                "a new one. Acknowledge it on the card; the council sees regressions first.";
    return m;
}

std::string regression_ack_note(const item& it) {
    return "Known friction: item " + std::to_string(it.id) + " was fixed on " + day(it.fixed_at) +
           (it.note.empty() ? "" : " (“" + it.note + "”)") + ", and your report shows it is back: it is reopened and "
           "its owner was told.";
}

neutral_message render_moved_card(const item& it) {
    neutral_message m;
    m.title = "Item " + std::to_string(it.id) + " · Moved to #" + it.owner;
    m.text = it.title;
    if (!it.last_actor.empty()) m.fields.push_back({"Rerouted by", it.last_actor, field_kind::user});
    m.context = "The " + it.owner + " team owns it now; its post there has the actions.";
    return m;
}

neutral_message render_reporter_notice(const item& it, triage_verb verb, const std::string& actor) {
    neutral_message m;
    m.title = "Update on what you reported";
    switch (verb) {
    case triage_verb::acknowledge: m.text = "*" + it.title + "* was acknowledged by the " + it.owner + " team."; break;
    case triage_verb::reroute: m.text = "*" + it.title + "* was handed to the " + it.owner + " team, who own it."; break;
    case triage_verb::duplicate: m.text = "*" + it.title + "* is the same friction as item " + std::to_string(it.duplicate_of) + "; your report counts there."; break;
    case triage_verb::wont_fix: m.text = "*" + it.title + "* will not be fixed: " + it.note; break;
    case triage_verb::fixed: m.text = "*" + it.title + "* was fixed: " + it.note + (it.link.empty() ? "" : " " + it.link); break;
    }
    m.fields = {{"By", actor, field_kind::user}, {"Item", std::to_string(it.id)}};
    return m;
}

delivery owner_row(std::string_view kind, const item& it, const journey_config& journey, millis now) {
    delivery d;
    d.kind = kind;
    d.item_id = it.id;
    if (const owner* o = journey.find_owner(it.owner)) {
        d.platform = o->home_platform();
        d.channel = o->home_channel();
        if (d.platform == "slack") d.workspace = o->slack_workspace;
    }
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

delivery routed_post_for(const item& it, const journey_config& journey, millis now) {
    return owner_row(delivery_kind::routed_item, it, journey, now);
}

std::optional<delivery> mirror_post_for(const item& it, const journey_config& journey, millis now) {
    const owner* o = journey.find_owner(it.owner);
    if (!o || o->slack_channel.empty() || o->teams_channel.empty()) return std::nullopt;
    delivery d = owner_row(delivery_kind::routed_item, it, journey, now);
    d.platform = "teams";
    d.channel = o->teams_channel;
    d.workspace.clear();
    return d;
}

delivery item_update_for(const delivery& routed_post, millis now) {
    delivery d;
    d.kind = delivery_kind::item_update;
    d.item_id = routed_post.item_id;
    d.parent_id = routed_post.id;
    d.platform = routed_post.platform;
    d.channel = routed_post.channel;
    d.workspace = routed_post.workspace;
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

std::pair<std::string, std::string> notice_destination(const reporter_ref& to) {
    if (to.message_ts.empty()) return {to.user_id, ""};
    return {to.channel_id, to.message_ts};
}

delivery notice_for(const reporter_ref& to, const neutral_message& m, millis now) {
    delivery d;
    d.kind = delivery_kind::notice;
    d.signal_id = to.signal_id;
    d.platform = to.platform;
    if (to.platform == "slack") d.workspace = to.team_id; // told by the workspace they reported in
    std::tie(d.channel, d.thread_ts) = notice_destination(to);
    d.payload = json_text(nlohmann::json(m));
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

delivery mark_for(const source_ref& message, std::string_view mark, std::int64_t item_id, millis now) {
    delivery d;
    d.kind = delivery_kind::reaction;
    d.item_id = item_id;
    d.platform = message.platform;
    d.channel = message.channel_id;
    if (message.platform == "slack") d.workspace = message.team_id;
    d.thread_ts = message.message_ts;
    d.payload = mark;
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

delivery ephemeral_for(const std::string& platform, const std::string& channel, const std::string& user,
                       const neutral_message& m, millis now) {
    delivery d;
    d.kind = delivery_kind::ephemeral;
    d.platform = platform;
    d.channel = channel;
    d.user = user;
    d.payload = json_text(nlohmann::json(m));
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

bool opens_form(triage_verb verb) { return verb != triage_verb::acknowledge && verb != triage_verb::reroute; }

std::string reroute_target(std::string_view action_value) {
    const auto colon = action_value.find(':');
    return colon == std::string_view::npos ? std::string() : std::string(action_value.substr(colon + 1));
}

} // namespace cxos
