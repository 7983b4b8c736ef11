#include "commands/grouping_feedback.hpp"

#include "commands/council_schedule.hpp"
#include "commands/grammar.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/kpis.hpp"
#include "commands/utf8.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cxos {

namespace {

// A title is shown whole on the owner's card; in a list of candidates the start says enough.
constexpr std::size_t title_bytes = 90;

std::string quoted_title(const std::string& title) {
    auto shown = utf8_prefix(title, title_bytes);
    return "“" + shown + (shown.size() < title.size() ? "…" : "") + "”";
}

// "today", "yesterday", "3 days ago"; the date when the offer's time is unknown.
std::string fixed_when(millis fixed_at, millis now) {
    if (now < fixed_at) return "on " + day(fixed_at);
    const auto days = (now - fixed_at) / kpi_day_ms;
    if (days == 0) return "today";
    if (days == 1) return "yesterday";
    return std::to_string(days) + " days ago";
}

std::string candidate_line(const grouping_candidate& c, millis now) {
    std::string line = "Same as item " + std::to_string(c.item_id) + " — " + quoted_title(c.title) + " (" +
                       plural(c.reports, "report");
    if (c.fixed_at > 0) line += ", fixed " + fixed_when(c.fixed_at, now) + "; choosing it reopens it";
    return line + ")";
}

std::string item_ref(const item& it) { return "item " + std::to_string(it.id); }

void add_context(neutral_message& m, const std::string& line) {
    m.context = m.context.empty() ? line : m.context + "\n" + line;
}

} // namespace

namespace {

bool is_same_action(std::string_view id) {
    return id.starts_with(grouping_actions::same) &&
           (id.size() == grouping_actions::same.size() || id[grouping_actions::same.size()] == '.');
}

} // namespace

bool is_grouping_action(std::string_view id) {
    return id == grouping_actions::split || is_same_action(id) || id == grouping_actions::keep;
}

std::optional<regroup_choice> regroup_choice_of(std::string_view action_id, std::string_view value) {
    if (is_same_action(action_id)) {
        const auto colon = value.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        auto sig = parse_id(value.substr(0, colon));
        auto item = parse_id(value.substr(colon + 1));
        if (!sig || !item) return std::nullopt;
        return regroup_choice{regroup_choice::kind::same, *sig, *item};
    }
    auto sig = parse_id(value);
    if (!sig) return std::nullopt;
    if (action_id == grouping_actions::split) return regroup_choice{regroup_choice::kind::split, *sig, 0};
    if (action_id == grouping_actions::keep) return regroup_choice{regroup_choice::kind::keep, *sig, 0};
    return std::nullopt;
}

regroup_choice regroup_choice_of(const regroup_command& typed) {
    return {typed.item_id ? regroup_choice::kind::same : regroup_choice::kind::split, typed.signal_id, typed.item_id};
}

void add_grouping_choices(neutral_message& ack, std::int64_t signal_id, const grouping_offer& offer,
                          std::string_view invoked_as) {
    const std::string invoked(invoked_as.empty() ? "/friction" : invoked_as);
    const std::string sig = std::to_string(signal_id);
    if (offer.verdict == grouping_verdict::auto_join && !offer.items.empty()) {
        const auto& joined = offer.items.front();
        ack.text += "\nIt reads like " + quoted_title(joined.title) +
                    ", so it was added there. A different friction? *Not the same* makes it an item of its own.";
        ack.actions.push_back({std::string(grouping_actions::split), "Not the same", sig, action_style::normal, {}, false});
        add_context(ack, "Without buttons: `" + invoked + " split " + sig + "` makes it an item of its own.");
        return;
    }
    if (offer.verdict != grouping_verdict::suggest || offer.items.empty()) return;
    ack.text += "\nIt may be a friction already reported:";
    int n = 0;
    for (const auto& c : offer.items) {
        ack.text += "\n• " + candidate_line(c, offer.at);
        const auto id = std::string(grouping_actions::same) + "." + std::to_string(++n);
        ack.actions.push_back({id, "Same as item " + std::to_string(c.item_id),
                               sig + ":" + std::to_string(c.item_id), action_style::normal, {}, false});
    }
    ack.actions.push_back({std::string(grouping_actions::keep), "New item", sig, action_style::primary, {}, false});
    add_context(ack, "Without buttons: `" + invoked + " move " + sig + " to " + std::to_string(offer.items.front().item_id) +
                         "` moves it onto that item; otherwise it stays an item of its own.");
}

neutral_message render_split_answer(const signal& s, const item& now_on, const item& was_on, const journey_config& j) {
    neutral_message m;
    m.title = "Split out: item " + std::to_string(now_on.id);
    m.text = "“" + s.description + "” is now an item of its own, posted to " + owner_link(now_on.owner, j) + ". " +
             "It no longer counts on " + item_ref(was_on) + " — " + quoted_title(was_on.title) + ".";
    m.context = "cxos remembers that these two are different friction.";
    return m;
}

neutral_message render_moved_answer(const signal& s, const item& now_on, const journey_config& j) {
    neutral_message m;
    m.title = "Moved to item " + std::to_string(now_on.id);
    m.text = "“" + s.description + "” now counts on " + item_ref(now_on) + " — " + quoted_title(now_on.title) + ", " +
             plural(now_on.counts.reports, "report") + ", owned by " + owner_link(now_on.owner, j) + ".";
    m.context = "`/friction status " + std::to_string(now_on.id) + "` follows it.";
    return m;
}

neutral_message render_kept_answer(const signal& s, const item& now_on, const journey_config& j) {
    neutral_message m;
    m.title = "Kept: item " + std::to_string(now_on.id);
    m.text = "“" + s.description + "” stays an item of its own, owned by " + owner_link(now_on.owner, j) + ".";
    m.context = "cxos remembers that it differs from the items it offered.";
    return m;
}

neutral_message render_reopened_answer(const signal& s, const item& reopened, const journey_config& j) {
    neutral_message m;
    m.title = "Reopened: item " + std::to_string(reopened.id);
    m.text = "“" + s.description + "” now counts on " + item_ref(reopened) + " — " + quoted_title(reopened.title) +
             ", fixed on " + day(reopened.fixed_at) + " and reopened as regressed: " + owner_link(reopened.owner, j) +
             " hears the friction is back.";
    m.context = "`/friction status " + std::to_string(reopened.id) + "` follows it.";
    return m;
}

neutral_message render_regression_answer(const signal& s, const item& now_on, const item& fixed) {
    neutral_message m;
    m.title = "Noted: the same as item " + std::to_string(fixed.id);
    m.text = "Item " + std::to_string(fixed.id) + " — " + quoted_title(fixed.title) + " was fixed on " + day(fixed.closed_at) + ". “" +
             s.description + "” stays " + item_ref(now_on) + ", so its owner sees the friction is back.";
    return m;
}

std::vector<grouping_week> grouping_weeks(const std::vector<grouping_event>& events, millis since) {
    const council_schedule utc; // ISO weeks in UTC
    std::map<std::string, grouping_week> weeks;
    std::map<std::int64_t, std::string> auto_join_week; // signal -> the week it was joined
    std::set<std::int64_t> offered;                      // signals offered suggestions (counted once)
    auto week = [&](const std::string& key) -> grouping_week& {
        auto& w = weeks[key];
        w.week = key;
        return w;
    };
    // Decisions first, so a correction finds the week of the decision it corrects.
    for (const auto& e : events) {
        if (e.at < since) continue;
        const auto key = week_of(utc, e.at).key;
        if (e.kind == grouping_event_kind::auto_join) {
            ++week(key).auto_joins;
            auto_join_week[e.signal_id] = key;
        } else if (e.kind == grouping_event_kind::suggested && offered.insert(e.signal_id).second) {
            ++week(key).suggested;
        } else if (e.kind == grouping_event_kind::owner_merge) {
            ++week(key).owner_merges;
        }
    }
    std::set<std::int64_t> split_once, chosen_once;
    for (const auto& e : events) {
        if (e.kind == grouping_event_kind::split && split_once.insert(e.signal_id).second) {
            if (auto w = auto_join_week.find(e.signal_id); w != auto_join_week.end()) ++week(w->second).split;
        } else if (e.kind == grouping_event_kind::chosen && offered.contains(e.signal_id) &&
                   chosen_once.insert(e.signal_id).second) {
            // By the week the suggestion was made: the first "suggested" row of that signal.
            auto first = std::find_if(events.begin(), events.end(), [&](const grouping_event& s) {
                return s.kind == grouping_event_kind::suggested && s.signal_id == e.signal_id;
            });
            ++week(week_of(utc, first->at).key).chosen;
        }
    }
    std::vector<grouping_week> out;
    for (auto& [key, w] : weeks) out.push_back(w);
    std::reverse(out.begin(), out.end());
    return out;
}

neutral_message render_grouping_stats(const std::vector<grouping_week>& weeks, const grouping_thresholds& t) {
    neutral_message m;
    m.title = "Grouping";
    if (weeks.empty()) {
        m.text = "No report was joined to an item or offered one in these weeks.";
    } else {
        int joins = 0, split = 0, merges = 0;
        for (const auto& w : weeks) joins += w.auto_joins, split += w.split, merges += w.owner_merges;
        m.text = plural(joins, "report") + " joined an item on their own; " + plural(split, "was", "were") +
                 " split out again with *Not the same* (precision *" + percent(joins - split, joins) + "*). Owners merged " +
                 plural(merges, "item") + " by hand: joins grouping missed.";
    }
    for (const auto& w : weeks) {
        std::string line = plural(w.auto_joins, "auto-join");
        if (w.auto_joins) line += ", " + std::to_string(w.split) + " split (precision " + percent(w.auto_joins - w.split, w.auto_joins) + ")";
        line += " · " + plural(w.suggested, "report") + " offered suggestions, " + std::to_string(w.chosen) + " taken";
        line += " · " + plural(w.owner_merges, "missed join") + " merged by owners";
        m.fields.push_back({w.week, line});
    }
    m.context = "A report joins an item at similarity " + std::to_string(static_cast<int>(t.auto_join * 100 + 0.5)) +
                " % or more (grouping.auto_join) and is offered items from " +
                std::to_string(static_cast<int>(t.suggest * 100 + 0.5)) + " % (grouping.suggest).";
    return m;
}

} // namespace cxos
