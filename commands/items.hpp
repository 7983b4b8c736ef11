#pragma once
// Friction items: the friction behind one or more signals, and its triage lifecycle
//   new -> routed -> acknowledged -> (council decision: in progress) -> fixed | won't fix | duplicate
// A new report of a fixed item within the regression window reopens it: fixed -> regressed, an
// open status the owner acknowledges and fixes again like any other.
// Reroute moves an item to another owner (and counts a misroute against the rule that chose
// the first one). Every function here is pure; the bot stores what they decide.
#include "commands/journey.hpp"

#include <optional>
#include <string>

namespace cxos {

enum class item_status { fresh, routed, acknowledged, in_progress, fixed, wont_fix, duplicate, regressed };
std::string_view to_string(item_status s); // "new", "routed", …, "wont_fix", "duplicate"
std::string_view to_label(item_status s);  // "New", "Routed", …, "Won't fix", "Duplicate"
std::optional<item_status> parse_item_status(std::string_view s);
bool is_closed(item_status s);

// Failure demand: how often and for how many people this friction happened.
struct item_counts {
    int reports = 0;
    int reporters = 0;
    int customers = 0;
    millis first_seen = 0;
    millis last_seen = 0;
    // The first report: who, where, and the captured message if there was one.
    std::string first_reporter;
    std::string first_channel;
    std::string first_permalink;
    // Reports since the item's last fix (find_item only; 0 when it was never fixed).
    int since_fix = 0;
};

struct item {
    std::int64_t id = 0;
    std::string key;   // normalised description: signals with the same key attach here
    std::string title; // the first report's description
    std::string owner;
    std::string rule;   // the rule that chose the first owner ("" = fallback)
    std::string reason;
    item_status status = item_status::fresh;
    std::int64_t duplicate_of = 0;
    std::string stage;
    std::optional<component> comp;
    severity sev = severity::medium;
    std::string note; // what changed (fixed) or why not (won't fix)
    std::string link;
    bool rerouted = false;
    millis created_at = 0, routed_at = 0, acknowledged_at = 0, closed_at = 0, updated_at = 0;
    // The last fix and the last reopening: closed_at goes back to 0 when an item reopens, these
    // stay, so the fix can be verified (or counted as regressed) whatever happens next.
    millis fixed_at = 0, regressed_at = 0;
    std::string last_actor; // user id of the last person who triaged it
    // The Experience Council's decision: what will be done, by whom (owner), by when.
    std::string decision;
    std::string decided_by;
    millis decided_at = 0;
    millis due_at = 0; // UTC midnight of the due day
    std::int64_t routed_delivery_id = 0; // the post in the owner's channel that shows this item
    std::int64_t mirror_delivery_id = 0; // the same card in the owner's Teams channel, when it has both
    item_counts counts;                  // filled in by the store when read
};

// The item's last fix came back: it was reopened after it (and may have been acknowledged since).
inline bool fix_regressed(const item& it) { return it.fixed_at > 0 && it.regressed_at >= it.fixed_at; }

// Lower-cased words joined by single spaces: "The invoice, wrong!" -> "the invoice wrong".
std::string item_key(std::string_view description);

// A new item for a signal that matched no open item.
item new_item_for(const signal& s);

enum class triage_verb { acknowledge, reroute, duplicate, wont_fix, fixed };
std::string_view to_string(triage_verb v);

struct triage_action {
    triage_verb verb = triage_verb::acknowledge;
    std::string actor;            // user id
    std::string to_owner;         // reroute
    std::int64_t duplicate_of = 0; // duplicate
    std::string note;             // won't fix reason / what changed
    std::string link;             // fixed (optional)
    std::string checked_owner;    // the owner the actor was authorised for; refused if it moved
};

struct triage_outcome {
    bool changed = false;   // false: refused or nothing to do; `explanation` says which
    std::string explanation;
    item after;
    bool misroute = false;  // this reroute is the item's first: its rule misrouted it
    bool repost = false;    // reroute: post the item in the new owner's channel
};

// `target` is the item a duplicate points at (already resolved by the caller), if any.
triage_outcome apply_triage(const item& before, const triage_action& action,
                            const journey_config& journey, const std::optional<item>& target,
                            millis now);

} // namespace cxos

namespace cxos {

// Someone to tell when their item changes: the reporter of a signal, or a later reporter of
// the same message (a second flag reaction).
struct reporter_ref {
    std::int64_t signal_id = 0;
    std::string platform;
    std::string user_id;
    std::string channel_id; // where the signal was logged
    std::string message_ts; // the captured message, if any: replies go in its thread
    millis reported_at = 0;
    std::string team_id; // the workspace (tenant) the signal was logged in: whose token tells them
};

// Routing accuracy of one rule ("" = fallback): routed items that were not rerouted / routed.
struct rule_accuracy {
    std::string rule;
    int routed = 0;
    int rerouted = 0;
};

} // namespace cxos
