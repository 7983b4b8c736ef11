#include "tests/support/teams_client.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cxos::test {

using nlohmann::json;

namespace {

// "2026-11-25T13:15:02.123Z", as Teams stamps activities.
std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[64];
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return out;
}

json user_account(const teams_user& u) { return {{"id", u.id}, {"name", u.name}, {"aadObjectId", u.aad_object_id}}; }

json channel_data(const teams_context& ctx) {
    return {{"teamsTeamId", ctx.team_id},
            {"teamsChannelId", ctx.channel_id},
            {"team", {{"id", ctx.team_id}, {"name", ctx.team_name}, {"aadGroupId", ctx.team_aad_group_id}}},
            {"channel", {{"id", ctx.channel_id}, {"name", ctx.channel_name}}},
            {"tenant", {{"id", ctx.tenant_id}}}};
}

// What every activity from a channel carries; `conversation_id` is the channel or a thread in it.
json channel_activity(const teams_context& ctx, const char* type, const std::string& activity_id,
                      const std::string& conversation_id) {
    const auto now = utc_timestamp();
    return {{"type", type},
            {"id", activity_id},
            {"timestamp", now},
            {"localTimestamp", now.substr(0, now.size() - 1) + "+00:00"},
            {"serviceUrl", ctx.service_url},
            {"channelId", "msteams"},
            {"from", user_account(ctx.user)},
            {"conversation", {{"isGroup", true}, {"conversationType", "channel"}, {"tenantId", ctx.tenant_id},
                              {"id", conversation_id}}},
            {"recipient", {{"id", ctx.bot_id()}, {"name", ctx.bot_name}}},
            {"entities", json::array({{{"type", "clientInfo"}, {"locale", "en-US"}, {"country", "US"},
                                       {"platform", "Web"}, {"timezone", "Etc/UTC"}}})},
            {"channelData", channel_data(ctx)},
            {"locale", "en-US"},
            {"localTimezone", "Etc/UTC"}};
}

// The message an action command runs on, as Teams puts it in value.messagePayload.
json message_payload(const teams_context& ctx, const teams_source_message& m) {
    const std::string parent = m.thread_root_id.empty() ? m.id : m.thread_root_id;
    const std::string link = "https://teams.microsoft.com/l/message/" + ctx.channel_id + "/" + m.id +
                             "?tenantId=" + ctx.tenant_id + "&groupId=" + ctx.team_aad_group_id +
                             "&parentMessageId=" + parent + "&teamName=" + ctx.team_name +
                             "&channelName=" + ctx.channel_name + "&createdTime=" + m.id;
    return {{"id", m.id},
            {"replyToId", m.thread_root_id.empty() ? json(nullptr) : json(m.thread_root_id)},
            {"createdDateTime", utc_timestamp()},
            {"lastModifiedDateTime", nullptr},
            {"deleted", false},
            {"subject", nullptr},
            {"summary", nullptr},
            {"importance", "normal"},
            {"locale", "en-us"},
            {"linkToMessage", link},
            {"from", {{"user", {{"id", m.author.aad_object_id}, {"displayName", m.author.name},
                                {"userIdentityType", "aadUser"}}},
                      {"application", nullptr}, {"device", nullptr}, {"conversation", nullptr}}},
            {"body", {{"contentType", "html"}, {"content", m.html_content}}},
            {"attachmentLayout", nullptr},
            {"attachments", json::array()},
            {"mentions", json::array()},
            {"reactions", json::array()}};
}

json extension_invoke(const teams_context& ctx, const char* name, const std::string& activity_id,
                      const std::string& command_id, const teams_source_message& source) {
    const std::string root = source.thread_root_id.empty() ? source.id : source.thread_root_id;
    auto a = channel_activity(ctx, "invoke", activity_id, thread_conversation_id(ctx.channel_id, root));
    a["name"] = name;
    a["value"] = {{"commandId", command_id},
                  {"commandContext", "message"},
                  {"requestContext", {{"type", "message"}}},
                  {"context", {{"theme", "default"}}},
                  {"messagePayload", message_payload(ctx, source)}};
    return a;
}

} // namespace

std::string thread_conversation_id(const std::string& channel_id, const std::string& root_id) {
    return channel_id + ";messageid=" + root_id;
}

json channel_mention(const teams_context& ctx, const std::string& activity_id, const std::string& command_text,
                     const std::string& thread_root_id) {
    const std::string root = thread_root_id.empty() ? activity_id : thread_root_id;
    auto a = channel_activity(ctx, "message", activity_id, thread_conversation_id(ctx.channel_id, root));
    const std::string mention = "<at>" + ctx.bot_name + "</at>";
    a["text"] = mention + " " + command_text;
    a["textFormat"] = "plain";
    a["attachments"] = json::array({{{"contentType", "text/html"},
                                     {"content", "<div><div><span itemtype=\"http://schema.skype.com/Mention\" "
                                                 "itemscope=\"\" itemid=\"0\">" + ctx.bot_name + "</span> " +
                                                     command_text + "</div></div>"}}});
    a["entities"].push_back({{"type", "mention"},
                             {"mentioned", {{"id", ctx.bot_id()}, {"name", ctx.bot_name}}},
                             {"text", mention}});
    if (!thread_root_id.empty()) a["replyToId"] = thread_root_id;
    return a;
}

json bot_added_to_team(const teams_context& ctx, const std::string& activity_id) {
    auto a = channel_activity(ctx, "conversationUpdate", activity_id, ctx.team_id);
    a["membersAdded"] = json::array({{{"id", ctx.bot_id()}}});
    a["channelData"] = {{"team", {{"id", ctx.team_id}, {"name", ctx.team_name}, {"aadGroupId", ctx.team_aad_group_id}}},
                        {"eventType", "teamMemberAdded"},
                        {"tenant", {{"id", ctx.tenant_id}}},
                        {"settings", {{"selectedChannel", {{"id", ctx.team_id}}}}}};
    a.erase("entities");
    return a;
}

json fetch_task_invoke(const teams_context& ctx, const std::string& activity_id, const std::string& command_id,
                       const teams_source_message& source) {
    return extension_invoke(ctx, "composeExtension/fetchTask", activity_id, command_id, source);
}

json submit_action_invoke(const teams_context& ctx, const std::string& activity_id, const std::string& command_id,
                          const teams_source_message& source, const json& form_fields) {
    auto a = extension_invoke(ctx, "composeExtension/submitAction", activity_id, command_id, source);
    a["value"]["data"] = form_fields;
    return a;
}

json card_execute_invoke(const teams_context& ctx, const std::string& activity_id, const std::string& conversation_id,
                         const std::string& card_activity_id, const std::string& verb, const json& data) {
    auto a = channel_activity(ctx, "invoke", activity_id, conversation_id);
    a["name"] = "adaptiveCard/action";
    a["replyToId"] = card_activity_id;
    a["value"] = {{"action", {{"type", "Action.Execute"}, {"verb", verb}, {"data", data}}}, {"trigger", "manual"}};
    return a;
}

json card_submit_message(const teams_context& ctx, const std::string& activity_id, const std::string& conversation_id,
                         const std::string& card_activity_id, const json& data) {
    auto a = channel_activity(ctx, "message", activity_id, conversation_id);
    a["replyToId"] = card_activity_id;
    a["value"] = data;
    return a;
}

http_answer send_activity(unsigned short cxos_port, const json& activity, const std::string& bearer_token) {
    return send_activity_with_authorization(cxos_port, activity, bearer_token.empty() ? "" : "Bearer " + bearer_token);
}

http_answer send_activity_with_authorization(unsigned short cxos_port, const json& activity,
                                             const std::string& authorization) {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json; charset=utf-8"}};
    if (!authorization.empty()) headers["Authorization"] = authorization;
    return http_call(cxos_port, "POST", "/api/messages", activity.dump(), headers);
}

} // namespace cxos::test
