#pragma once
// Sends activities to cxos the way the Bot Connector delivers them from Microsoft Teams:
// POST /api/messages, JSON, with `Authorization: Bearer <jwt>`. The builders give the shapes
// Teams really sends (channel @mention, bot added to a team, message-extension invokes,
// Adaptive Card Action.Execute and its Action.Submit fallback); every id is a parameter.
#include "tests/support/slack_client.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cxos::test {

struct teams_user {
    std::string id = "29:1ada-agent-bot-framework-id"; // Bot Framework user id
    std::string name = "Ada Agent";
    std::string aad_object_id = "6c3a2f4e-1d5b-4a7e-9c8f-0b1d2e3f4a5b";
};

// Where an activity happens and for which bot. service_url and app_id come from the fake
// (fake_bot_framework::service_url(), registration().app_id).
struct teams_context {
    std::string service_url;
    std::string app_id;
    std::string bot_name = "cxos";
    std::string tenant_id = "3c1e5a7b-9d2f-4e6a-8b0c-1f2e3d4c5b6a"; // bot_registration's default tenant
    std::string team_id = "19:team-support-general@thread.tacv2"; // a team's id is its General channel's
    std::string team_name = "Support";
    std::string team_aad_group_id = "0d2c7e4b-8a61-4f3e-b5d9-2a7c1e6f8b03";
    std::string channel_id = "19:channel-escalations@thread.tacv2";
    std::string channel_name = "Escalations";
    teams_user user;

    std::string bot_id() const { return "28:" + app_id; }
};

// "19:...@thread.tacv2;messageid=<root>": a thread's conversation id.
std::string thread_conversation_id(const std::string& channel_id, const std::string& root_id);

// A channel message that @mentions the bot: text "<at>cxos</at> <command_text>" with its mention
// entity. `activity_id` is the message's own id; it starts a thread unless `thread_root_id`
// names the root it replies in.
nlohmann::json channel_mention(const teams_context& ctx, const std::string& activity_id,
                               const std::string& command_text, const std::string& thread_root_id = "");

// The bot installed in a team: conversationUpdate, membersAdded = [the bot],
// channelData.eventType "teamMemberAdded".
nlohmann::json bot_added_to_team(const teams_context& ctx, const std::string& activity_id);

// A message in the channel that a message-extension action is run on ("..." > the command).
struct teams_source_message {
    std::string id;               // the message's id (Unix ms in Teams)
    std::string html_content;     // body.content, e.g. "<p>Customer cannot export invoices</p>"
    teams_user author;            // messagePayload.from.user (id there is the AAD object id)
    std::string thread_root_id;   // empty for a root post
};

// invoke composeExtension/fetchTask with commandContext "message" and the messagePayload.
nlohmann::json fetch_task_invoke(const teams_context& ctx, const std::string& activity_id,
                                 const std::string& command_id, const teams_source_message& source);
// invoke composeExtension/submitAction: the same, plus value.data = the dialog's form fields.
nlohmann::json submit_action_invoke(const teams_context& ctx, const std::string& activity_id,
                                    const std::string& command_id, const teams_source_message& source,
                                    const nlohmann::json& form_fields);

// invoke adaptiveCard/action: a user pressed an Action.Execute on the card the bot posted as
// `card_activity_id` in `conversation_id`.
nlohmann::json card_execute_invoke(const teams_context& ctx, const std::string& activity_id,
                                   const std::string& conversation_id, const std::string& card_activity_id,
                                   const std::string& verb, const nlohmann::json& data);
// The Action.Submit fallback: a message with `value` = the data and no text, replying to the card.
nlohmann::json card_submit_message(const teams_context& ctx, const std::string& activity_id,
                                   const std::string& conversation_id, const std::string& card_activity_id,
                                   const nlohmann::json& data);

// POST /api/messages with `Authorization: Bearer <bearer_token>` (no header when empty).
http_answer send_activity(unsigned short cxos_port, const nlohmann::json& activity, const std::string& bearer_token);
// The same with the Authorization header exactly as given (to test malformed ones; none when empty).
http_answer send_activity_with_authorization(unsigned short cxos_port, const nlohmann::json& activity,
                                             const std::string& authorization);

} // namespace cxos::test
