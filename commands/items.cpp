#include "commands/items.hpp"

#include "commands/routing.hpp"
#include "commands/text_case.hpp"

namespace cxos {

std::string_view to_string(item_status s) {
    switch (s) {
    case item_status::fresh: return "new";
    case item_status::routed: return "routed";
    case item_status::acknowledged: return "acknowledged";
    case item_status::in_progress: return "in_progress";
    case item_status::fixed: return "fixed";
    case item_status::wont_fix: return "wont_fix";
    case item_status::duplicate: return "duplicate";
    case item_status::regressed: return "regressed";
    }
    return "new";
}

std::string_view to_label(item_status s) {
    switch (s) {
    case item_status::fresh: return "New";
    case item_status::routed: return "Routed";
    case item_status::acknowledged: return "Acknowledged";
    case item_status::in_progress: return "In progress";
    case item_status::fixed: return "Fixed";
    case item_status::wont_fix: return "Won't fix";
    case item_status::duplicate: return "Duplicate";
    case item_status::regressed: return "Regressed";
    }
    return "New";
}

std::optional<item_status> parse_item_status(std::string_view s) {
    for (auto v : {item_status::fresh, item_status::routed, item_status::acknowledged, item_status::in_progress,
                   item_status::fixed, item_status::wont_fix, item_status::duplicate, item_status::regressed})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

bool is_closed(item_status s) {
    return s == item_status::fixed || s == item_status::wont_fix || s == item_status::duplicate;
}

std::string_view to_string(triage_verb v) {
    switch (v) {
    case triage_verb::acknowledge: return "acknowledge";
    case triage_verb::reroute: return "reroute";
    case triage_verb::duplicate: return "duplicate";
    case triage_verb::wont_fix: return "wont_fix";
    case triage_verb::fixed: return "fixed";
    }
    return "acknowledge";
}

std::string item_key(std::string_view description) {
    // words_of joined by single spaces, written straight into one string: every report makes one.
    std::string key;
    key.reserve(description.size());
    for (auto w = next_word(description); !w.empty(); w = next_word(description)) {
        if (!key.empty()) key += ' ';
        for (char c : w) key += ascii_lower(c);
    }
    return key;
}

item new_item_for(const signal& s) {
    item it;
    it.key = item_key(s.description);
    it.title = s.description;
    it.owner = s.route.owner;
    it.rule = s.route.rule;
    it.reason = s.route.reason;
    it.stage = s.stage;
    it.comp = s.comp;
    it.sev = s.sev;
    it.created_at = s.created_at;
    it.updated_at = s.created_at;
    return it;
}

namespace {

triage_outcome unchanged(const item& it, std::string why) {
    triage_outcome out;
    out.after = it;
    out.explanation = std::move(why);
    return out;
}

std::string item_ref(const item& it) { return "Item " + std::to_string(it.id); }

} // namespace

triage_outcome apply_triage(const item& before, const triage_action& a, const journey_config& journey,
                            const std::optional<item>& target, millis now) {
    if (is_closed(before.status)) {
        // Repeating the action that closed it is a double click, not a mistake.
        bool same = (a.verb == triage_verb::fixed && before.status == item_status::fixed) ||
                    (a.verb == triage_verb::wont_fix && before.status == item_status::wont_fix) ||
                    (a.verb == triage_verb::duplicate && before.status == item_status::duplicate &&
                     a.duplicate_of == before.duplicate_of);
        return unchanged(before, same ? item_ref(before) + " is already " + std::string(to_label(before.status)) + "."
                                      : item_ref(before) + " is closed (" + std::string(to_label(before.status)) +
                                            "); it cannot be changed.");
    }
    if (!a.checked_owner.empty() && a.checked_owner != before.owner)
        return unchanged(before, item_ref(before) + " moved to #" + before.owner + " meanwhile; nothing was changed.");
    triage_outcome out;
    out.after = before;
    item& it = out.after;
    switch (a.verb) {
    case triage_verb::acknowledge:
        if (before.status == item_status::acknowledged)
            return unchanged(before, item_ref(before) + " is already acknowledged.");
        if (before.status == item_status::in_progress)
            return unchanged(before, item_ref(before) + " is already in progress after a council decision.");
        it.status = item_status::acknowledged;
        it.acknowledged_at = now;
        break;
    case triage_verb::reroute:
        if (!journey.find_owner(a.to_owner)) return unchanged(before, "There is no owner called `" + a.to_owner + "`.");
        if (a.to_owner == before.owner) return unchanged(before, item_ref(before) + " already belongs to #" + a.to_owner + ".");
        out.misroute = !before.rerouted;
        out.repost = true;
        it.owner = a.to_owner;
        it.rerouted = true;
        it.status = item_status::routed;
        it.acknowledged_at = 0; // the new owner has not acknowledged it yet
        break;
    case triage_verb::duplicate:
        if (!target) return unchanged(before, "There is no item " + std::to_string(a.duplicate_of) + ".");
        if (target->id == before.id) return unchanged(before, "An item cannot duplicate itself.");
        if (target->status == item_status::duplicate)
            return unchanged(before, "Item " + std::to_string(target->id) + " is itself a duplicate of item " +
                                         std::to_string(target->duplicate_of) + "; choose that one.");
        it.status = item_status::duplicate;
        it.duplicate_of = target->id;
        it.closed_at = now;
        break;
    case triage_verb::wont_fix:
        if (a.note.empty()) return unchanged(before, "Say why it won't be fixed: the reporters will read it.");
        it.status = item_status::wont_fix;
        it.note = a.note;
        it.closed_at = now;
        break;
    case triage_verb::fixed:
        if (a.note.empty()) return unchanged(before, "Say what changed: the reporters will read it.");
        it.status = item_status::fixed;
        it.note = a.note;
        it.link = a.link;
        it.closed_at = now;
        it.fixed_at = now;
        break;
    }
    it.last_actor = a.actor;
    it.updated_at = now;
    out.changed = true;
    return out;
}

} // namespace cxos
