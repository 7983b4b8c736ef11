#pragma once
// Slack's interactive surfaces, decoded into typed values and rendered from neutral forms:
// modals (views), block actions on messages, message shortcuts, and reaction events.
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>

namespace cxos::slack {

// Who did something, and where.
struct actor {
    std::string team_id;
    std::string user_id;
    std::string user_name;
};

// `block_actions`: a button click or menu choice on a message cxos posted.
struct block_action {
    actor by;
    std::string action_id;   // message_action::id
    std::string value;       // the button's value, or the chosen option's value
    std::string channel_id;  // where the message is
    std::string message_ts;  // the message the action sits on
    std::string trigger_id;  // opens a modal within 3 seconds
    std::string response_url;
};

// `message_action`: the "Log as friction" message shortcut.
struct message_shortcut {
    actor by;
    std::string callback_id;
    std::string trigger_id;
    std::string channel_id;
    std::string message_ts;
    std::string thread_ts; // empty when the message is not in a thread
    std::string message_text; // unescaped
    std::string message_user;
    std::string response_url;
};

// `view_submission`: a modal cxos opened was submitted.
struct view_submitted {
    actor by;
    form_submission form;
    std::string view_id;
};

// `view_closed` and everything else cxos does not act on.
struct other_interaction {
    std::string type;
};

using interaction_event = std::variant<block_action, message_shortcut, view_submitted, other_interaction>;

// Decodes an interactivity `payload` object; nothing when required fields are missing or a field
// is malformed (see interaction_defect).
std::optional<interaction_event> decode_interaction(const nlohmann::json& payload);
// Why a payload that decodes is still refused: an id, timestamp or value that is not what Slack
// sends, named for a 400. Empty when it is fine, or when required fields are missing.
std::string interaction_defect(const nlohmann::json& payload);

// Events API `reaction_added` / `reaction_removed` on a message.
struct reaction_event {
    std::string event_id;
    std::string team_id;
    bool added = true;
    std::string user_id;  // who reacted
    std::string reaction; // emoji name without colons or skin tone: "+1::skin-tone-3" is "+1"
    std::string channel_id;
    std::string message_ts;
    std::string item_user; // author of the message reacted to
    bool by_the_app = false; // the reactor is the app's own bot user (the envelope's authorizations)
};

// Nothing when the envelope is not a reaction on a message, or when a field is malformed.
std::optional<reaction_event> decode_reaction(const nlohmann::json& envelope);
// Why a reaction envelope is refused (as interaction_defect); empty when fine or not a reaction.
std::string reaction_defect(const nlohmann::json& envelope);

// A modal view for the form (`type: modal`, callback_id = form.id, private_metadata = state,
// one input block per input with block_id = action_id = input id).
nlohmann::json render_form(const neutral_form& form);

// The HTTP body answering a view_submission with field errors (`response_action: errors`).
nlohmann::json render_form_errors(const form_errors& errors);

// The HTTP body replacing the open modal with a message (`response_action: update`).
nlohmann::json render_form_done(const std::string& title, const neutral_message& m);

// Request bodies for the Web API calls that open modals.
nlohmann::json views_open_body(const std::string& trigger_id, const neutral_form& form);

} // namespace cxos::slack
