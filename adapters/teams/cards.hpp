#pragma once
// Neutral messages and forms as Adaptive Cards (schema 1.4, what Teams renders everywhere).
// Buttons use Action.Execute (the Universal Actions model: the card is answered with its
// refreshed self and updated in place for everyone) with an Action.Submit fallback for clients
// that lack it; buttons that need a form open a task module instead.
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

namespace cxos::teams {

inline constexpr const char* adaptive_card_type = "application/vnd.microsoft.card.adaptive";
// Teams refuses bot messages over about 100 KB counted as UTF-16 (and advises 80 KB), so a
// card's UTF-8 JSON is kept under 38 KB.
inline constexpr std::size_t max_card_bytes = 38 * 1024;

// At most `limit` bytes, cut at a UTF-8 boundary and ending in "…" when cut: long texts never
// push a message past what Teams accepts.
std::string trimmed(const std::string& text, std::size_t limit);

// Neutral markup (*bold*) as Teams markdown (**bold**); a markdown link typed into a report is
// left unformed.
std::string teams_markdown(const std::string& neutral);
// The same without the markup: for text placed inside formatting of its own (a bold title).
std::string teams_unlinked(const std::string& neutral);

nlohmann::json render_card(const neutral_message& m);
// A message activity carrying the card (`text` is the notification and screen-reader line).
nlohmann::json render_card_activity(const neutral_message& m);

// A form as a task-module card; `errors` (input id → message) are shown above their inputs.
nlohmann::json render_form_card(const neutral_form& form, const form_errors& errors = {});

// Invoke answers, sent as the HTTP response body of the invoke.
nlohmann::json card_action_response(const neutral_message& refreshed); // adaptiveCard/action
nlohmann::json card_action_message(const std::string& text);           // adaptiveCard/action, no refresh
nlohmann::json task_continue(const neutral_form& form, const form_errors& errors = {}); // open/keep the form
nlohmann::json task_message(const std::string& text);                   // close the form with a note

} // namespace cxos::teams
