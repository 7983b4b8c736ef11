// The fake Bot Connector REST v3 under the service URL: conversations create, send, reply and
// update, as Teams answers them, with every request recorded and scripted failures applied in
// order. Called by fake_bot_framework::handle with the lock held.
#include "tests/support/fake_bot_framework.hpp"

namespace cxos::test {

using nlohmann::json;

namespace {

// The Bot Connector's error shape: {"error":{"code","message"}}.
loopback_response connector_error(unsigned status, const char* code, const std::string& message) {
    return loopback_response::with_json(status, {{"error", {{"code", code}, {"message", message}}}});
}

std::string error_body(const char* code, const char* message) {
    return json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

constexpr std::string_view messageid_marker = ";messageid=";

// "19:x@thread.tacv2;messageid=1" -> "19:x@thread.tacv2"; anything else unchanged.
std::string channel_part(const std::string& conversation_id) {
    return conversation_id.substr(0, conversation_id.find(messageid_marker));
}

// Channels (standard and legacy ids) as opposed to 1:1 ("a:...") and group chats ("@thread.v2").
bool is_channel(const std::string& conversation_id) {
    const auto channel = channel_part(conversation_id);
    return channel.find("@thread.tacv2") != std::string::npos || channel.find("@thread.skype") != std::string::npos;
}

std::string string_at(const json& body, const json::json_pointer& where) {
    return body.contains(where) && body.at(where).is_string() ? body.at(where).get<std::string>() : std::string();
}

connector_answer scripted_error(unsigned status, const char* code, const char* message,
                                std::string retry_after = {}) {
    connector_answer a;
    a.status = status;
    a.body = error_body(code, message);
    a.retry_after = std::move(retry_after);
    return a;
}

} // namespace

connector_answer connector_answer::throttled(std::string retry_after_seconds) {
    return scripted_error(429, "Throttled", "Too many requests.", std::move(retry_after_seconds));
}
connector_answer connector_answer::precondition_failed() {
    return scripted_error(412, "PreconditionFailed", "Conversation is being modified. Retry.");
}
connector_answer connector_answer::bad_gateway() { return scripted_error(502, "ServiceError", "Bad gateway."); }
connector_answer connector_answer::gateway_timeout() { return scripted_error(504, "ServiceError", "Gateway timeout."); }
connector_answer connector_answer::bot_not_in_roster() {
    return scripted_error(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.");
}
connector_answer connector_answer::conversation_not_found() {
    return scripted_error(404, "ConversationNotFound", "Conversation not found.");
}
connector_answer connector_answer::dropped() {
    connector_answer a;
    a.drop = true;
    return a;
}
connector_answer connector_answer::posted_then_dropped() {
    connector_answer a;
    a.act_then_drop = true;
    return a;
}

std::optional<connector_answer> fake_bot_framework::next_answer(const std::string& conversation_key) {
    for (auto it = conversation_script_.begin(); it != conversation_script_.end(); ++it) {
        if (!conversation_key.empty() && (it->first == conversation_key || it->first == channel_part(conversation_key))) {
            auto answer = std::move(it->second);
            conversation_script_.erase(it);
            return answer;
        }
    }
    if (script_.empty()) return std::nullopt;
    auto answer = std::move(script_.front());
    script_.pop_front();
    return answer;
}

loopback_response fake_bot_framework::connector(const loopback_request& req, std::vector<std::string> path) {
    ++state_.connector_attempts;
    std::string region; // .../teams/<region>/v3/...: a regional service URL
    if (path.size() > 1 && path[0] != "v3") {
        region = path[0];
        path.erase(path.begin());
    }
    auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) body = nullptr;
    state_.requests.push_back({req.method, path, body, req.header("authorization"), region, 0});
    const std::size_t record = state_.requests.size() - 1;
    auto finish = [&](loopback_response res) {
        state_.requests[record].status = res.drop ? 0 : res.status;
        return res;
    };

    if (!token_accepted(req.header("authorization"))) {
        auto denied = loopback_response::with_json(401, {{"message", "Authorization has been denied for this request."}});
        denied.headers["WWW-Authenticate"] = "Bearer";
        return finish(std::move(denied));
    }
    if (req.body.size() > max_activity_bytes)
        return finish(connector_error(413, "MessageSizeTooBig", "Activity is larger than Teams accepts."));

    if (req.method == "GET" && path.size() == 5 && path[0] == "v3" && path[1] == "conversations" && path[3] == "members")
        return finish(roster_member(region, path[2], path[4]));
    const bool create = path == std::vector<std::string>{"v3", "conversations"};
    const bool on_activities = path.size() >= 4 && path.size() <= 5 && path[0] == "v3" &&
                               path[1] == "conversations" && path[3] == "activities";
    if (!create && !on_activities)
        return finish(connector_error(404, "NotFound", "No such Bot Connector operation."));
    if (req.method != "POST" && !(on_activities && path.size() == 5 && req.method == "PUT"))
        return finish(connector_error(405, "MethodNotAllowed", "Method not allowed."));
    if (!body.is_object()) return finish(connector_error(400, "BadArgument", "The request body is not a JSON object."));

    const std::string key = create ? (body.contains("/channelData/channel/id"_json_pointer)
                                          ? string_at(body, "/channelData/channel/id"_json_pointer)
                                          : string_at(body, "/members/0/id"_json_pointer))
                                   : path[2];
    const auto answer = next_answer(key);
    loopback_response res;
    if (answer && !answer->act_then_drop && (answer->drop || answer->status != 200 || !answer->body.empty())) {
        res = loopback_response::with_body(answer->status, answer->body);
        res.drop = answer->drop;
    } else if (create) {
        res = create_conversation(body);
    } else if (req.method == "PUT") {
        res = update_activity(path[2], path[4], body);
    } else {
        res = post_activity(path[2], path.size() == 5 ? path[4] : std::string(), body);
    }
    if (answer && !answer->retry_after.empty()) res.headers["Retry-After"] = answer->retry_after;
    if (answer && answer->act_then_drop) res.drop = true;
    return finish(std::move(res));
}

loopback_response fake_bot_framework::create_conversation(const json& body) {
    const bool is_group = body.value("isGroup", false);
    const std::string channel = string_at(body, "/channelData/channel/id"_json_pointer);
    if (is_group && !channel.empty()) {
        // A new thread in a channel: the activity is its root post.
        if (!body.contains("activity") || !body["activity"].is_object())
            return connector_error(400, "BadArgument", "A new channel conversation needs an activity.");
        const std::string id = next_message_id();
        auto& thread = thread_for(channel, id);
        thread.root = sent_activity{channel, id, "", body["activity"]};
        return loopback_response::with_json(201, {{"id", channel + std::string(messageid_marker) + id}, {"activityId", id}});
    }
    const std::string member = string_at(body, "/members/0/id"_json_pointer);
    const std::string tenant = body.contains("tenantId") ? string_at(body, "/tenantId"_json_pointer)
                                                         : string_at(body, "/channelData/tenant/id"_json_pointer);
    if (is_group || member.empty() || body["members"].size() != 1)
        return connector_error(400, "BadArgument", "A 1:1 conversation needs isGroup false and exactly one member.");
    if (tenant.empty()) return connector_error(400, "BadArgument", "A tenant id is required to create a conversation.");
    // Teams answers the same conversation every time for the same user.
    std::string id;
    for (const auto& chat : state_.chats)
        if (chat.member_id == member) id = chat.id;
    if (id.empty()) {
        id = "a:1fake" + std::to_string(++chat_count_) + "-" + member.substr(member.find(':') + 1);
        state_.chats.push_back({id, member, body});
    }
    json answer = {{"id", id}};
    if (body.contains("activity") && body["activity"].is_object()) {
        answer["activityId"] = next_message_id();
        state_.chat_messages.push_back({id, answer["activityId"], "", body["activity"]});
    }
    return loopback_response::with_json(201, answer);
}

teams_thread& fake_bot_framework::thread_for(const std::string& channel_id, const std::string& root_id) {
    for (auto& t : state_.threads)
        if (t.channel_id == channel_id && t.root_id == root_id) return t;
    state_.threads.push_back({channel_id, root_id, std::nullopt, {}});
    return state_.threads.back();
}

loopback_response fake_bot_framework::post_activity(const std::string& conversation_id, const std::string& reply_to_id,
                                                    const json& body) {
    if (!body.contains("type") || !body["type"].is_string())
        return connector_error(400, "BadArgument", "The activity has no type.");
    const std::string id = next_message_id();
    sent_activity sent{conversation_id, id, reply_to_id, body};
    if (!is_channel(conversation_id)) {
        state_.chat_messages.push_back(std::move(sent));
    } else if (const auto at = conversation_id.find(messageid_marker); at != std::string::npos) {
        thread_for(conversation_id.substr(0, at), conversation_id.substr(at + messageid_marker.size()))
            .replies.push_back(std::move(sent));
    } else if (!reply_to_id.empty()) {
        thread_for(conversation_id, reply_to_id).replies.push_back(std::move(sent));
    } else {
        thread_for(conversation_id, id).root = std::move(sent); // a new post in the channel
    }
    return loopback_response::with_json(201, {{"id", id}});
}

loopback_response fake_bot_framework::update_activity(const std::string& conversation_id, const std::string& activity_id,
                                                      const json& body) {
    sent_activity* target = nullptr;
    auto consider = [&](sent_activity& a) {
        if (!target && a.id == activity_id && channel_part(a.conversation_id) == channel_part(conversation_id))
            target = &a;
    };
    for (auto& t : state_.threads) {
        if (t.root) consider(*t.root);
        for (auto& r : t.replies) consider(r);
    }
    for (auto& m : state_.chat_messages) consider(m);
    if (!target) return connector_error(404, "ActivityNotFound", "Activity " + activity_id + " not found in the conversation.");
    target->body = body;
    state_.updates.push_back({conversation_id, activity_id, body});
    return loopback_response::with_json(200, {{"id", activity_id}});
}

} // namespace cxos::test
