#include "adapters/teams/activity.hpp"

#include "adapters/teams/connector.hpp"
#include "adapters/teams/ids.hpp"
#include "adapters/teams/json_fields.hpp"
#include "adapters/teams/webhook.hpp"
#include "commands/utf8.hpp"

namespace cxos::teams {

namespace {

using nlohmann::json;

conversation_ref conversation_of(const json& activity) {
    const auto& conversation = object_of(activity, "conversation");
    const auto& channel_data = object_of(activity, "channelData");
    conversation_ref c;
    c.service_url = text_of(activity, "serviceUrl");
    c.conversation_id = text_of(conversation, "id");
    c.conversation_type = text_of(conversation, "conversationType");
    c.tenant_id = text_of(object_of(channel_data, "tenant"), "id");
    if (c.tenant_id.empty()) c.tenant_id = text_of(conversation, "tenantId");
    c.team_id = text_of(object_of(channel_data, "team"), "id");
    c.team_name = utf8_prefix(text_of(object_of(channel_data, "team"), "name"), max_name_bytes);
    c.channel_id = text_of(object_of(channel_data, "channel"), "id");
    if (c.channel_id.empty()) c.channel_id = text_of(channel_data, "teamsChannelId");
    // A channel conversation id names the thread too: "19:…@thread.tacv2;messageid=123".
    if (c.channel_id.empty() && c.conversation_type == "channel")
        c.channel_id = c.conversation_id.substr(0, c.conversation_id.find(';'));
    return c;
}

bool adds_recipient(const json& activity, const std::string& recipient) {
    auto added = activity.find("membersAdded");
    if (added == activity.end() || !added->is_array()) return false;
    for (const auto& m : *added)
        if (text_of(m, "id") == recipient) return true;
    return false;
}

activity_kind kind_of(const json& activity, const std::string& type, const std::string& name,
                      const std::string& recipient) {
    if (type == "message") return activity_kind::message;
    if (type == "conversationUpdate") return adds_recipient(activity, recipient) ? activity_kind::bot_added : activity_kind::other;
    if (type != "invoke") return activity_kind::other;
    if (name == "composeExtension/fetchTask") return activity_kind::fetch_task;
    if (name == "composeExtension/submitAction") return activity_kind::submit_action;
    if (name == "adaptiveCard/action") return activity_kind::card_action;
    if (name == "task/fetch") return activity_kind::task_fetch;
    if (name == "task/submit") return activity_kind::task_submit;
    return activity_kind::other;
}

acted_on_message message_of(const json& value) {
    const auto& payload = object_of(value, "messagePayload");
    acted_on_message m;
    m.id = text_of(payload, "id");
    m.link = text_of(payload, "linkToMessage");
    m.text = strip_bot_mention(text_of(object_of(payload, "body"), "content"), json::array(), "");
    m.author_name = utf8_prefix(text_of(object_of(object_of(payload, "from"), "user"), "displayName"), max_name_bytes);
    return m;
}

// Every id the activity carries has the shape of one, and its links a sane length.
bool well_formed(const inbound_activity& a) {
    const auto& c = a.conversation;
    for (const std::string* id : {&a.id, &a.type, &a.name, &a.channel_id, &a.from_id, &a.recipient_id, &a.reply_to_id,
                                  &c.tenant_id, &c.team_id, &c.channel_id, &c.conversation_id, &c.conversation_type,
                                  &a.message.id, &a.command_id})
        if (!is_absent_or_id(*id)) return false;
    return is_absent_or_id(c.service_url, max_url_bytes) && a.message.link.size() <= max_url_bytes;
}

// Card data values arrive as JSON scalars; forms and ids are handled as text.
std::string scalar_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return {};
}

} // namespace

std::string conversation_ref::thread_root() const { return thread_root_of(conversation_id); }

source_ref source_of(const inbound_activity& a) {
    // The thread is where answers go, not what was reported: a typed report is its own source,
    // so two reports typed in one thread never group by that thread (only a captured message
    // groups by the message it captured, and its caller names that message).
    std::string answers_in = a.conversation.thread_root();
    // A chat has no threads: answers, the closed loop's notice too, go into the chat itself, as
    // cxos's acknowledgement did. A 1:1 chat with a group chat's member needs cxos installed for
    // them, which being in the group chat is not.
    if (answers_in.empty() && a.conversation.channel_id.empty())
        answers_in = activity_ref(a.conversation.conversation_id, "");
    return source_ref{"teams", a.conversation.tenant_id, a.conversation.place(), a.from_id, a.from_name, "",
                      answers_in, ""};
}

claimed_origin claimed_origin_of(const json& activity) {
    return {text_of(activity, "channelId"), text_of(activity, "serviceUrl")};
}

std::optional<inbound_activity> decode_activity(const json& activity) {
    if (!activity.is_object()) return std::nullopt;
    inbound_activity a;
    a.type = text_of(activity, "type");
    a.name = text_of(activity, "name");
    a.id = text_of(activity, "id");
    a.channel_id = text_of(activity, "channelId");
    a.reply_to_id = text_of(activity, "replyToId");
    const auto& from = object_of(activity, "from");
    a.from_id = text_of(from, "aadObjectId").empty() ? text_of(from, "id") : text_of(from, "aadObjectId");
    a.from_name = utf8_prefix(text_of(from, "name"), max_name_bytes);
    a.recipient_id = text_of(object_of(activity, "recipient"), "id");
    a.conversation = conversation_of(activity);
    if (a.type.empty() || a.conversation.conversation_id.empty()) return std::nullopt;
    a.kind = kind_of(activity, a.type, a.name, a.recipient_id);
    const bool from_person = a.kind == activity_kind::message || a.type == "invoke";
    if (from_person && a.from_id.empty()) return std::nullopt;
    if (auto v = activity.find("value"); v != activity.end()) a.value = *v;
    if (a.kind == activity_kind::message) {
        const json entities = activity.contains("entities") ? activity["entities"] : json::array();
        a.text = strip_bot_mention(text_of(activity, "text"), entities, a.recipient_id);
    }
    if (a.kind == activity_kind::fetch_task || a.kind == activity_kind::submit_action) {
        a.message = message_of(a.value);
        a.command_id = text_of(a.value, "commandId");
    }
    if (!well_formed(a)) return std::nullopt;
    return a;
}

std::optional<card_click> decode_card_click(const inbound_activity& a) {
    const json* data = nullptr;
    if (a.kind == activity_kind::card_action) {
        const auto& action = object_of(a.value, "action");
        if (text_of(action, "type") != "Action.Execute") return std::nullopt;
        data = &object_of(action, "data");
    } else if (a.kind == activity_kind::message && a.value.is_object()) {
        data = &a.value;
    } else if (a.kind == activity_kind::task_fetch) {
        data = &object_of(a.value, "data");
    }
    if (!data) return std::nullopt;
    card_click c;
    c.action_id = text_of(*data, "action");
    if (c.action_id.empty()) return std::nullopt;
    c.value = scalar_text(data->value("value", json()));
    // A menu's choice arrives as the value of its input, named after the action.
    if (auto chosen = scalar_text(data->value(c.action_id, json())); !chosen.empty()) c.value = chosen;
    c.data = *data;
    return c;
}

std::optional<form_submission> decode_form_submission(const inbound_activity& a) {
    if (a.kind != activity_kind::task_submit && a.kind != activity_kind::submit_action) return std::nullopt;
    const auto& data = object_of(a.value, "data");
    form_submission f;
    f.form_id = text_of(data, "form");
    f.state = text_of(data, "state");
    if (f.form_id.empty()) return std::nullopt;
    for (const auto& [key, v] : data.items()) {
        if (key == "form" || key == "state" || key == "msteams") continue;
        if (auto text = scalar_text(v); !text.empty()) f.values[key] = text;
    }
    return f;
}

} // namespace cxos::teams
