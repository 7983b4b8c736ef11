#pragma once
// The weekly Experience Council: which open items go on the agenda and in what order, how the
// agenda and each item look in their thread, votes, decisions, and the closed-loop notice that
// tells a reporter what changed. Pure: the bot stores and sends what these decide.
#include "commands/grammar.hpp"
#include "commands/item_views.hpp"

#include <variant>

namespace cxos {

namespace council_action_ids {
inline constexpr std::string_view prioritise = "council.up";
inline constexpr std::string_view not_now = "council.down";
inline constexpr std::string_view decide = "council.decide";
} // namespace council_action_ids
inline bool is_council_action(std::string_view action_id) { return action_id.starts_with("council."); }

namespace form_ids {
inline constexpr std::string_view council_decide = "council.decide";
} // namespace form_ids

// One member's vote on one item: +1 prioritise, -1 not now. A new vote replaces the old one.
struct vote {
    std::int64_t item_id = 0;
    std::string platform;
    std::string member;
    int value = 1;
    std::string via; // "button" or "reaction"
    millis at = 0;
};

struct vote_tally {
    std::vector<std::string> prioritise; // member ids, in voting order
    std::vector<std::string> not_now;
};
vote_tally tally_of(const std::vector<vote>& votes);

// An open item that may go on the agenda, as the store knows it.
struct agenda_candidate {
    item it;
    int last_week = 0;          // the last council week it was on the agenda (0 = never)
    bool carried_over = false;  // on an earlier agenda and still without a decision
    vote_tally votes;
    std::string cost; // cost to serve, in words ("about €420 in the last 30 days, €900 so far"); "" = economics off
};

struct agenda_entry {
    agenda_candidate c;
    double score = 0;
    int rank = 0; // 1-based
};

double severity_weight(severity s);
// Failure demand: reports × severity weight × recency (halves every 14 days since the last report).
double failure_demand_score(const item& it, millis now);

// Regressions (items reopened after a fix), carried-over and decided-but-unfixed items keep their
// place; the rest of the `max_items` slots go to the highest failure demand. Regressions come
// first, then the rest in score order, best first.
std::vector<agenda_entry> build_agenda(std::vector<agenda_candidate> candidates, millis now, int max_items);

// Closed loops: a fixed item whose every reporter was told what changed.
struct closed_loop_stats {
    int fixed_items = 0;
    int closed_loops = 0;
    std::vector<millis> loop_times; // first report -> last reporter told, per closed loop
};
std::string describe_closed_loops(const closed_loop_stats& s);

struct council_summary {
    int week = 0;
    std::string scheduled_for; // local time of the schedule, when `late`
    bool late = false;
    int new_signals = 0;       // in the 7 days before the run
    int open_items = 0;
    std::vector<rule_accuracy> routing;
    closed_loop_stats loops;
    std::string agenda_cost; // what the agenda's items cost in the last 30 days; "" = economics off
    std::string fixes;       // "fixes that held: 7 of 9 (2 under watch)"; "" = nothing fixed yet
    std::string savings;     // failure demand the fixes removed, a month and this year
};

neutral_message render_council_parent(const council_summary& s, const std::vector<agenda_entry>& agenda);
neutral_message render_council_entry(const agenda_entry& e, millis now);
// Everything `/friction council preview` shows, in one message only the asker sees.
neutral_message render_council_preview(const council_summary& s, const std::vector<agenda_entry>& agenda);
neutral_message render_closed_loop_stats(const closed_loop_stats& s);

// The Decide… modal: decision text, owner team, due date.
neutral_form decide_form(const item& it, const journey_config& journey, millis now);

struct decision_request {
    std::int64_t item_id = 0;
    std::string text;
    std::string owner;
    millis due_at = 0; // UTC midnight of the due day
};
std::variant<decision_request, form_errors> read_decision(const form_submission& s, const journey_config& journey,
                                                          millis now);

struct decision_outcome {
    bool changed = false;
    std::string explanation; // why not, when unchanged
    item after;
    bool owner_changed = false; // the owner's post moves to the new owner's channel
};
decision_outcome apply_decision(const item& before, const decision_request& d, const std::string& actor,
                                const journey_config& journey, millis now);

// The line in the owner's thread of the item once the council decided.
neutral_message render_decision_line(const item& after);

// "You reported *X* on 12 Nov. We fixed it: *what changed*." to `reporters` (user ids), who
// reported it first at `reported_at`.
neutral_message render_loop_notice(const item& it, millis reported_at, const std::vector<std::string>& reporters);

// "2026-12-02" -> UTC midnight of that day; nothing when it is not a real date.
std::optional<millis> parse_day(std::string_view text);

} // namespace cxos
