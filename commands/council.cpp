#include "commands/council.hpp"

#include "commands/kpis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace cxos {
namespace {

constexpr millis day_ms = 24LL * 3600 * 1000;

std::string join_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
    return out;
}

std::string days_text(double days) {
    char buf[32];
    std::snprintf(buf, sizeof buf, days < 10 ? "%.1f days" : "%.0f days", days);
    return buf;
}

std::string value_of(const form_submission& s, const std::string& key) {
    auto it = s.values.find(key);
    return it == s.values.end() ? std::string() : it->second;
}

} // namespace

vote_tally tally_of(const std::vector<vote>& votes) {
    vote_tally t;
    for (const auto& v : votes) (v.value > 0 ? t.prioritise : t.not_now).push_back(v.member);
    return t;
}

double severity_weight(severity s) {
    switch (s) {
    case severity::low: return 1;
    case severity::medium: return 2;
    case severity::high: return 4;
    }
    return 2;
}

double failure_demand_score(const item& it, millis now) {
    const millis last = it.counts.last_seen > 0 ? it.counts.last_seen : it.created_at;
    const double idle_days = std::max<double>(0, static_cast<double>(now - last) / day_ms);
    return std::max(it.counts.reports, 1) * severity_weight(it.sev) * std::pow(0.5, idle_days / 14.0);
}

std::vector<agenda_entry> build_agenda(std::vector<agenda_candidate> candidates, millis now, int max_items) {
    std::vector<agenda_entry> all;
    for (auto& c : candidates) {
        if (is_closed(c.it.status)) continue;
        const double score = failure_demand_score(c.it, now);
        all.push_back({std::move(c), score, 0});
    }
    auto by_score = [](const agenda_entry& a, const agenda_entry& b) {
        return a.score != b.score ? a.score > b.score : a.c.it.id < b.c.it.id;
    };
    auto regression = [](const agenda_entry& e) { return fix_regressed(e.c.it); };
    auto kept = [&](const agenda_entry& e) { return regression(e) || e.c.carried_over || !e.c.it.decision.empty(); };
    // Items the council owes an answer (or follows up on) first, then the highest demand.
    std::stable_sort(all.begin(), all.end(), [&](const agenda_entry& a, const agenda_entry& b) {
        if (kept(a) != kept(b)) return kept(a);
        return by_score(a, b);
    });
    if (max_items >= 0 && all.size() > static_cast<std::size_t>(max_items)) all.resize(max_items);
    // A fix that did not last is the council's first business.
    std::sort(all.begin(), all.end(), [&](const agenda_entry& a, const agenda_entry& b) {
        if (regression(a) != regression(b)) return regression(a);
        return by_score(a, b);
    });
    for (std::size_t i = 0; i < all.size(); ++i) all[i].rank = static_cast<int>(i + 1);
    return all;
}

std::string describe_closed_loops(const closed_loop_stats& s) {
    if (s.fixed_items == 0) return "no item fixed yet";
    std::string out = percent(s.closed_loops, s.fixed_items) + " of " + plural(s.fixed_items, "fixed item");
    if (!s.loop_times.empty())
        out += "; median " + days_text(median(s.loop_times) / day_ms) + " from first report to closed loop";
    return out;
}

namespace {

// The same words as `/friction stats`: the fallback's items counted apart from the rules'.
std::string routing_line(const std::vector<rule_accuracy>& rows) { return describe_routing(split_routing(rows)); }

std::string headline(const council_summary& s, std::size_t agenda_size) {
    return "*" + plural(s.new_signals, "new signal") + "* this week, *" + plural(s.open_items, "open item") +
           "*. " + (agenda_size == 0 ? std::string("Nothing needs the council this week.")
                                     : "The " + plural(static_cast<int>(agenda_size), "item") +
                                           " in this thread carry the most failure demand.");
}

std::string status_line(const item& it) {
    std::string out = std::string(to_label(it.status));
    if (!it.decision.empty()) out += " · decided: " + it.decision + (it.due_at > 0 ? " (due " + day(it.due_at) + ")" : "");
    return out;
}

} // namespace

neutral_message render_council_parent(const council_summary& s, const std::vector<agenda_entry>& agenda) {
    neutral_message m;
    m.title = "Experience Council — week " + std::to_string(s.week);
    m.text = headline(s, agenda.size());
    if (!agenda.empty())
        m.text += " Vote in each item's thread reply: 👍 Prioritise, 👎 Not now (buttons or reactions), or Decide….";
    m.fields = {{"Routing accuracy", routing_line(s.routing)}, {"Closed loops", describe_closed_loops(s.loops)}};
    if (!s.agenda_cost.empty()) m.fields.push_back({"Cost to serve", s.agenda_cost});
    if (!s.fixes.empty()) m.fields.push_back({"Fixes", s.fixes});
    if (!s.savings.empty()) m.fields.push_back({"Failure demand removed", s.savings});
    const auto regressions = std::count_if(agenda.begin(), agenda.end(), [](const agenda_entry& e) { return fix_regressed(e.c.it); });
    if (regressions > 0)
        m.text += " " + plural(static_cast<int>(regressions), "regression") + " first: fixed, and reported again.";
    m.context = "Regressions first, then ranked by failure demand: reports × severity × recency; undecided items carry over.";
    if (s.late) m.context += " Posted late: it was due " + s.scheduled_for + ", when cxos was not running.";
    return m;
}

neutral_message render_council_entry(const agenda_entry& e, millis now) {
    const item& it = e.c.it;
    neutral_message m;
    const std::string id = std::to_string(it.id);
    m.title = "#" + std::to_string(e.rank) + " · Item " + id + " · " + std::string(to_label(it.status));
    m.text = "*" + it.title + "*\nWhy are customers running into this at all? Not how to answer it faster: "
             "what would make it unnecessary.";
    const millis first = it.counts.first_seen > 0 ? it.counts.first_seen : it.created_at;
    m.fields = {{"Owner", "#" + it.owner},
                {"Failure demand", describe_demand(it.counts)},
                {"Stage", it.stage.empty() ? "not set" : it.stage},
                {"Component", it.comp ? std::string(to_title(*it.comp)) : "not set"},
                {"Age", days_text(std::max<double>(0, static_cast<double>(now - first) / day_ms)) + " (since " +
                            day(first) + ")"},
                {"Status", status_line(it)},
                {"👍 Prioritise (" + std::to_string(e.c.votes.prioritise.size()) + ")", join_ids(e.c.votes.prioritise),
                 field_kind::users},
                {"👎 Not now (" + std::to_string(e.c.votes.not_now.size()) + ")", join_ids(e.c.votes.not_now),
                 field_kind::users}};
    // Beside the counts: the language budget decisions are made in.
    if (!e.c.cost.empty()) m.fields.insert(m.fields.begin() + 2, {"Cost to serve", e.c.cost});
    if (fix_regressed(it)) m.fields.insert(m.fields.begin() + 1, {"Regressed", regression_text(it)});
    if (!it.decided_by.empty()) m.fields.push_back({"Decided by", it.decided_by, field_kind::user});
    m.context = "Severity " + std::string(to_string(it.sev)) + ".";
    if (e.c.carried_over && it.decision.empty())
        m.context += " Carried over from week " + std::to_string(e.c.last_week) + " without a decision.";
    if (is_closed(it.status)) return m;
    m.actions = {{std::string(council_action_ids::prioritise), "👍 Prioritise", id, action_style::primary, {}},
                 {std::string(council_action_ids::not_now), "👎 Not now", id, action_style::normal, {}},
                 {std::string(council_action_ids::decide), "Decide…", id, action_style::normal, {}}};
    m.actions.back().opens_form = true;
    return m;
}

neutral_message render_council_preview(const council_summary& s, const std::vector<agenda_entry>& agenda) {
    neutral_message m = render_council_parent(s, agenda);
    m.title = "Preview: " + m.title;
    for (const auto& e : agenda) {
        const item& it = e.c.it;
        m.fields.push_back({"#" + std::to_string(e.rank) + " · Item " + std::to_string(it.id) + " · #" + it.owner,
                            it.title + " — " + describe_demand(it.counts) + (e.c.cost.empty() ? "" : ", " + e.c.cost) +
                                ", " + status_line(it)});
    }
    m.context = "Only you see this. `council run` posts it to the council channel now. " + m.context;
    return m;
}

neutral_message render_closed_loop_stats(const closed_loop_stats& s) {
    neutral_message m;
    m.title = "Closed loops";
    m.text = s.fixed_items == 0 ? "No item has been fixed yet."
                                : "*" + percent(s.closed_loops, s.fixed_items) + "* of fixed items closed the loop: " +
                                      describe_closed_loops(s) + ".";
    m.context = "A closed loop: every reporter of a fixed item was told what changed.";
    return m;
}

neutral_form decide_form(const item& it, const journey_config& journey, millis now) {
    neutral_form f;
    f.id = form_ids::council_decide;
    f.title = "Council decision";
    f.submit_label = "Decide";
    f.intro = "Item " + std::to_string(it.id) + ": *" + it.title + "*\nThe owner's channel hears the decision in the item's thread.";
    std::vector<choice> owners;
    for (const auto& [name, o] : journey.owners) owners.push_back({name, "#" + name});
    f.inputs = {
        {"decision", "Decision", input_kind::multiline, false, it.decision,
         "Remove the currency step from checkout", "What will be done so customers stop running into this", {}, 1000},
        {"owner", "Owner team", input_kind::select, false, it.owner, "", "", owners, 0},
        {"due", "Due date", input_kind::date, false, format_utc(it.due_at > 0 ? it.due_at : now + 14 * day_ms, "%Y-%m-%d"),
         "", "", {}, 0},
    };
    f.state = std::to_string(it.id);
    return f;
}

std::optional<millis> parse_day(std::string_view text) {
    // Exactly YYYY-MM-DD: sscanf alone would also take spaces and signs.
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t len) {
        int v = 0;
        for (std::size_t i = from; i < from + len; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    const int y = number(0, 4);
    const unsigned mo = static_cast<unsigned>(number(5, 2)), d = static_cast<unsigned>(number(8, 2));
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days(ymd).time_since_epoch().count() * day_ms;
}

std::variant<decision_request, form_errors> read_decision(const form_submission& s, const journey_config& journey,
                                                          millis now) {
    decision_request out;
    form_errors errors;
    auto id = parse_id(s.state);
    if (!id) errors[""] = "This form lost track of its item; open Decide… again.";
    else out.item_id = *id;
    out.text = value_of(s, "decision");
    if (out.text.find_first_not_of(" \t\r\n") == std::string::npos) errors["decision"] = "Say what was decided.";
    else if (out.text.size() > 1000) errors["decision"] = "Keep the decision under 1000 characters.";
    out.owner = value_of(s, "owner");
    if (!journey.find_owner(out.owner)) errors["owner"] = "Choose one of the owner teams.";
    auto due = parse_day(value_of(s, "due"));
    if (!due) errors["due"] = "Choose a due date.";
    else if (*due + day_ms <= now) errors["due"] = "The due date is in the past.";
    else out.due_at = *due;
    if (!errors.empty()) return errors;
    return out;
}

decision_outcome apply_decision(const item& before, const decision_request& d, const std::string& actor,
                                const journey_config& journey, millis now) {
    decision_outcome out;
    out.after = before;
    const std::string ref = "Item " + std::to_string(before.id);
    if (is_closed(before.status)) {
        out.explanation = ref + " is closed (" + std::string(to_label(before.status)) + "); nothing to decide.";
        return out;
    }
    if (!journey.find_owner(d.owner)) {
        out.explanation = "There is no owner called `" + d.owner + "`.";
        return out;
    }
    item& it = out.after;
    out.owner_changed = d.owner != before.owner;
    it.owner = d.owner;
    it.status = item_status::in_progress;
    it.decision = d.text;
    it.decided_by = actor;
    it.decided_at = now;
    it.due_at = d.due_at;
    it.last_actor = actor;
    it.updated_at = now;
    out.changed = true;
    return out;
}

neutral_message render_decision_line(const item& after) {
    neutral_message m;
    m.title = "Experience Council decision";
    m.text = "*" + after.decision + "*";
    m.fields = {{"Owner", "#" + after.owner}, {"Due", day(after.due_at)}, {"Decided by", after.decided_by, field_kind::user}};
    m.context = "Item " + std::to_string(after.id) + " is now in progress and stays on the council's agenda until fixed.";
    return m;
}

neutral_message render_loop_notice(const item& it, millis reported_at, const std::vector<std::string>& reporters) {
    neutral_message m;
    m.fields = {{"For", join_ids(reporters), field_kind::users}};
    m.title = "Fixed: what you reported";
    m.text = "You reported *" + it.title + "* on " + format_utc(reported_at, "%d %b") + ". We fixed it: *" + it.note +
             "*" + (it.link.empty() ? "" : " " + it.link);
    m.context = "Thank you: this is why reporting friction matters. Item " + std::to_string(it.id) + ".";
    return m;
}

} // namespace cxos
