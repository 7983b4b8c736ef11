#pragma once
// Activities the Bot Connector posts to /api/messages, decoded into what the core needs. Only
// the shapes cxos acts on are typed; anything else decodes as activity_kind::other and is
// acknowledged without effect.
#include "commands/domain.hpp"
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cxos::teams {

// Where a conversation lives: everything a later proactive post needs. serviceUrl is the only
// reliable way back to a tenant, so it is stored whenever a validated activity brings one.
struct conversation_ref {
    std::string service_url;
    std::string tenant_id;
    std::string team_id;
    std::string team_name;
    std::string channel_id;      // the Teams channel, "19:…@thread.tacv2"; empty outside channels
    std::string conversation_id; // as the activity names it; in a channel thread "19:…;messageid=…"
    std::string conversation_type; // "channel" | "groupChat" | "personal"

    // The channel, or the chat when outside channels: where replies and routes are keyed.
    const std::string& place() const { return channel_id.empty() ? conversation_id : channel_id; }
    // The root of the channel thread ("19:…;messageid=123" → "123"); empty outside a thread.
    std::string thread_root() const;
};

enum class activity_kind {
    message,            // a chat message to cxos (text, or an Action.Submit's `value`)
    bot_added,          // conversationUpdate: cxos was added to a team, chat or channel
    fetch_task,         // invoke composeExtension/fetchTask: the "Log as friction" message action
    submit_action,      // invoke composeExtension/submitAction: its form was submitted
    card_action,        // invoke adaptiveCard/action (Action.Execute)
    task_fetch,         // invoke task/fetch: a card button that opens a form
    task_submit,        // invoke task/submit: that form was submitted
    other,
};

// The message a message action was invoked on.
struct acted_on_message {
    std::string id;
    std::string text; // HTML removed
    std::string link; // linkToMessage
    std::string author_name;
};

struct inbound_activity {
    activity_kind kind = activity_kind::other;
    std::string id;
    std::string type;       // "message", "invoke", "conversationUpdate", …
    std::string name;       // invoke name
    std::string channel_id; // the Bot Framework channel: "msteams"
    std::string from_id;    // the Azure AD object id when present, else the Teams user id
    std::string from_name;
    std::string recipient_id; // the bot, "28:<app id>"
    std::string reply_to_id;
    conversation_ref conversation;
    std::string text;       // the bot's mention removed, HTML removed
    nlohmann::json value;   // invoke value or Action.Submit data; null when absent
    acted_on_message message; // fetch_task and submit_action
    std::string command_id;   // message extension command id
};

// Who said it and where, as the core records a reporter: the thread root is where replies (and
// closed-loop notices) go; no captured message (a message action sets that itself).
source_ref source_of(const inbound_activity& a);

// What a raw activity says about where it came from, read before its token is checked: the
// token's claims are compared with these. Only Teams is served (other Bot Framework channels let
// clients write the channelData and sender that cxos's channel checks rely on).
inline constexpr std::string_view teams_channel = "msteams";
struct claimed_origin {
    std::string channel_id;  // "msteams"
    std::string service_url; // where replies go
};
claimed_origin claimed_origin_of(const nlohmann::json& activity);

// Nothing when `activity` lacks a type, a conversation or the sender of a message or invoke, or
// when an id or link is not what Teams sends (ids.hpp). Display names are clipped.
std::optional<inbound_activity> decode_activity(const nlohmann::json& activity);

// A card button or menu choice, from either Action.Execute (value.action.data) or the
// Action.Submit fallback (the message's value), with `data` the submitted inputs.
struct card_click {
    std::string action_id; // what cxos put into the card: "triage.ack"
    std::string value;     // "12", or the chosen choice for a menu
    nlohmann::json data;   // every field the card sent back
};
std::optional<card_click> decode_card_click(const inbound_activity& a);

// A form submitted from a task module or the message extension's form.
std::optional<form_submission> decode_form_submission(const inbound_activity& a);

} // namespace cxos::teams
