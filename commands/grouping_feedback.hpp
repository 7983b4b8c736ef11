#pragma once
// What people see of grouping and what their answers teach it. The reporter's acknowledgement
// says what grouping decided and offers the way back ("Not the same", "Same as item 12?", "New
// item"); each answer, and each owner's "Duplicate of…", is stored as a grouping event, a
// labelled pair of (report, item); `/friction stats grouping` counts them per week.
#include "commands/grammar.hpp"
#include "commands/grouping.hpp"
#include "commands/items.hpp"
#include "commands/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cxos {

// An item grouping joined the report to or offers, as the reporter reads it.
struct grouping_candidate {
    std::int64_t item_id = 0;
    std::string title;
    int reports = 0;
    double score = 0;
    // When it was fixed (within the regression window); 0 while open. Joining or choosing a fixed
    // item reopens it as regressed, and the reporter is told so before choosing.
    millis fixed_at = 0;
};

// What grouping did with one report. auto_join: `items` holds the item it joined; suggest: the
// report started its own item and `items` are the ones it may be the same as; new_item: neither.
struct grouping_offer {
    grouping_verdict verdict = grouping_verdict::new_item;
    std::vector<grouping_candidate> items;
    millis at = 0; // when it was decided: how long ago a candidate was fixed
};

// The buttons of the acknowledgement. Values: split and keep "<signal>", same "<signal>:<item>".
// Slack refuses a message whose buttons repeat an action id, so each "Same as" button is
// "grouping.same.1", "grouping.same.2", …; the value says which item.
namespace grouping_actions {
inline constexpr std::string_view split = "grouping.split"; // "Not the same": split it out
inline constexpr std::string_view same = "grouping.same";   // "Same as item 12": move it there (the ids' stem)
inline constexpr std::string_view keep = "grouping.keep";   // "New item": it stays its own item
} // namespace grouping_actions
bool is_grouping_action(std::string_view action_id);

// A reporter's answer to grouping, from a button or typed (`split 57`, `move 57 to 12`).
struct regroup_choice {
    enum class kind { split, same, keep } what = kind::keep;
    std::int64_t signal_id = 0;
    std::int64_t item_id = 0; // same: the item it moves to
};
// The choice a button stands for; nothing when the value is not the button's shape.
std::optional<regroup_choice> regroup_choice_of(std::string_view action_id, std::string_view value);
// The choice a typed `split 57` or `move 57 to 12` stands for.
regroup_choice regroup_choice_of(const regroup_command& typed);

// Adds grouping's part to a log acknowledgement `ack` of signal `signal_id`: for an auto-join,
// what it joined and a "Not the same" button; for suggestions, each candidate as
// "Same as item 12 — “invoice PDF is blank” (7 reports)" with its button and "New item" (a fixed
// one adds "fixed 3 days ago; choosing it reopens it"). The context line names the same choices
// as commands, for places without buttons.
void add_grouping_choices(neutral_message& ack, std::int64_t signal_id, const grouping_offer& offer,
                          std::string_view invoked_as);

// What the reporter hears after answering: split out into `now_on` (from `was_on`), moved onto
// `now_on`, or kept as `now_on`. A fixed item chosen within the regression window is reopened
// with the report on it (render_reopened_answer); chosen after the window closed, the report
// stays where it is (`now_on`), so its owner sees the friction is back, and the answer says
// which fixed item it repeats (`fixed`).
neutral_message render_split_answer(const signal& s, const item& now_on, const item& was_on, const journey_config& j);
neutral_message render_moved_answer(const signal& s, const item& now_on, const journey_config& j);
neutral_message render_kept_answer(const signal& s, const item& now_on, const journey_config& j);
neutral_message render_regression_answer(const signal& s, const item& now_on, const item& fixed);
neutral_message render_reopened_answer(const signal& s, const item& reopened, const journey_config& j);

// One grouping decision or correction, stored (a labelled pair when `same` is set).
namespace grouping_event_kind {
inline constexpr std::string_view auto_join = "auto_join";     // the report joined the item
inline constexpr std::string_view suggested = "suggested";     // the item was offered (one row each)
inline constexpr std::string_view split = "split";             // "Not the same" on an auto-join: different
inline constexpr std::string_view chosen = "chosen";           // a suggestion (or typed move) taken: same
inline constexpr std::string_view kept = "kept";               // "New item" over a suggestion: different
inline constexpr std::string_view owner_merge = "owner_merge"; // an owner's "Duplicate of…": same
} // namespace grouping_event_kind

struct grouping_event {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t signal_id = 0; // the report (owner_merge: the duplicate item's first report)
    std::int64_t item_id = 0;   // the item it was, or was not, the same as
    double score = 0;           // the similarity grouping saw (0 when unknown)
    std::optional<bool> same;   // the label; nothing for decisions nobody answered
    std::string actor;
    millis at = 0;
};

// One ISO week of grouping, by the week each decision was made.
struct grouping_week {
    std::string week; // "2026-W10"
    int auto_joins = 0;
    int split = 0;        // of those auto-joins, how many someone split out later
    int suggested = 0;    // reports offered suggestions
    int chosen = 0;       // … that their reporter moved onto a suggestion
    int owner_merges = 0; // items an owner marked "Duplicate of…": joins grouping missed
    double precision() const { return auto_joins ? double(auto_joins - split) / auto_joins : 1.0; }
};

// The weeks of `events` at or after `since`, newest first.
std::vector<grouping_week> grouping_weeks(const std::vector<grouping_event>& events, millis since);
neutral_message render_grouping_stats(const std::vector<grouping_week>& weeks, const grouping_thresholds& t);

} // namespace cxos
