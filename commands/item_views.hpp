#pragma once
// How items look in chat, and the outbox rows that put them there.
#include "commands/items.hpp"
#include "commands/message.hpp"

namespace cxos {

namespace action_ids {
inline constexpr std::string_view acknowledge = "triage.ack";
inline constexpr std::string_view reroute = "triage.reroute";
inline constexpr std::string_view duplicate = "triage.duplicate";
inline constexpr std::string_view wont_fix = "triage.wont_fix";
inline constexpr std::string_view fixed = "triage.fixed";
} // namespace action_ids

// Words shared by every view: "12 Nov 2026", "3 reports", "72 %", "5 reports from 3 people".
std::string day(millis at);
// "1 report", "3 reports", "0 reports"; `many` for the words that do not just take an s
// (plural(n, "person", "people")). Every count a person reads goes through it.
std::string plural(int n, std::string_view one, std::string_view many = {});
std::string percent(int part, int whole);
std::string describe_demand(const item_counts& c);

// The item an action's value names: "12", or "12:docs" for a menu choice; 0 when none.
std::int64_t item_id_of(std::string_view action_value);

// Maps an action id from a message back to its verb.
std::optional<triage_verb> triage_verb_of(std::string_view action_id);
// Verbs that ask for words (a note, the item it duplicates) open a form before anything changes.
bool opens_form(triage_verb verb);
// The owner a Reroute menu's choice names ("12:billing" → "billing").
std::string reroute_target(std::string_view action_value);

// The item as its owner sees it: counts, route, status, and the triage actions while open.
neutral_message render_item_card(const item& it, const journey_config& journey);

// A fixed item's watch: until when its fix is checked and a new report reopens it.
std::string watch_text(const item& it, const item_policy& policy);
// A reopened item: "back on 12 Dec 2026 after the fix on 3 Nov 2026 (“what changed”): 3 reports since".
std::string regression_text(const item& it);

// The owner's line in the item's thread when a new report reopened a fixed item.
neutral_message render_regression_line(const item& it);
// What the reporter of a regression hears in their acknowledgement: known, fixed, reopened.
std::string regression_ack_note(const item& it);

// What an owner's old post turns into once the item was rerouted away from them.
neutral_message render_moved_card(const item& it);

// What a reporter is told when their item changes.
neutral_message render_reporter_notice(const item& it, triage_verb verb, const std::string& actor);

// An outbox row of `kind` about the item, for its owner's home channel (Slack, else Teams).
delivery owner_row(std::string_view kind, const item& it, const journey_config& journey, millis now);
delivery routed_post_for(const item& it, const journey_config& journey, millis now);
// The same card for an owner's Teams channel when the owner has Slack and Teams; nothing otherwise.
std::optional<delivery> mirror_post_for(const item& it, const journey_config& journey, millis now);
delivery item_update_for(const delivery& routed_post, millis now);
// Where a notice to this reporter goes, as (channel, thread): the captured message's thread, or a
// direct message (the user as channel, no thread) when there was none.
std::pair<std::string, std::string> notice_destination(const reporter_ref& to);
// A thread reply under the captured message, or a direct message when there was none.
delivery notice_for(const reporter_ref& to, const neutral_message& m, millis now);
// Marks a captured message (the adapter picks the emoji): `mark` is one of delivery_mark.
delivery mark_for(const source_ref& message, std::string_view mark, std::int64_t item_id, millis now);
delivery ephemeral_for(const std::string& platform, const std::string& channel, const std::string& user,
                       const neutral_message& m, millis now);

} // namespace cxos
