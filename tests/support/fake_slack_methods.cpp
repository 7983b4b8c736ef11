// The fake Slack Web API's methods beyond chat.postMessage and conversations.history.
#include "tests/support/fake_slack.hpp"

#include <algorithm>

namespace cxos::test {

namespace {

std::string param(const boost::urls::url_view& url, const char* key) {
    for (auto p : url.params())
        if (p.key == key) return p.value;
    return {};
}

std::string error(const char* code) { return nlohmann::json{{"ok", false}, {"error", code}}.dump(); }

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

nlohmann::json fake_slack::messages_in(const std::string& channel, bool metadata) const {
    std::vector<nlohmann::json> all;
    for (const auto& p : posts_) {
        if (p.channel != channel) continue;
        nlohmann::json m = {{"type", "message"}, {"ts", p.ts}, {"text", p.body.value("text", "")}, {"bot_id", "B0CXOS"}};
        if (!p.thread_ts.empty()) m["thread_ts"] = p.thread_ts;
        if (metadata && p.body.contains("metadata")) m["metadata"] = p.body["metadata"];
        all.push_back(m);
    }
    for (const auto& s : seeded_) {
        if (s.channel != channel) continue;
        nlohmann::json m = {{"type", "message"}, {"ts", s.ts}, {"user", s.user}, {"text", s.text}};
        if (!s.thread_ts.empty()) m["thread_ts"] = s.thread_ts;
        all.push_back(m);
    }
    std::sort(all.begin(), all.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return std::stod(a["ts"].get<std::string>()) > std::stod(b["ts"].get<std::string>()); // newest first
    });
    return all;
}

std::optional<std::string> fake_slack::handle_more(const std::string& method, const std::string& path,
                                                   const boost::urls::url_view& url, const nlohmann::json& body,
                                                   unsigned& status) {
    (void)status;
    if (path == "/api/views.open" && method == "POST") {
        auto trigger = str(body, "trigger_id");
        if (trigger.empty()) return error("invalid_trigger_id");
        if (!body.contains("view") || !body["view"].is_object()) return error("invalid_arguments");
        auto view = body["view"];
        state_.views.push_back({trigger, view});
        view["id"] = "V" + std::to_string(++view_ids_);
        return nlohmann::json{{"ok", true}, {"view", view}}.dump();
    }
    if (path == "/api/chat.update" && method == "POST") {
        auto channel = str(body, "channel"), ts = str(body, "ts");
        auto it = std::find_if(posts_.begin(), posts_.end(),
                               [&](const posted_message& p) { return p.channel == channel && p.ts == ts; });
        if (it == posts_.end()) return error("message_not_found");
        it->body["text"] = body.value("text", "");
        if (body.contains("blocks")) it->body["blocks"] = body["blocks"];
        state_.updates.push_back({channel, ts, body});
        return nlohmann::json{{"ok", true}, {"channel", channel}, {"ts", ts}}.dump();
    }
    if (path == "/api/chat.postEphemeral" && method == "POST") {
        if (str(body, "channel").empty() || str(body, "user").empty()) return error("invalid_arguments");
        state_.ephemerals.push_back(body);
        return nlohmann::json{{"ok", true}, {"message_ts", next_ts()}}.dump();
    }
    if (path == "/api/chat.getPermalink" && method == "GET") {
        auto channel = param(url, "channel"), ts = param(url, "message_ts");
        if (channel.empty() || ts.empty()) return error("invalid_arguments");
        ts.erase(std::remove(ts.begin(), ts.end(), '.'), ts.end());
        return nlohmann::json{{"ok", true}, {"channel", channel},
                              {"permalink", "https://acme.slack.com/archives/" + channel + "/p" + ts}}
            .dump();
    }
    if (path == "/api/conversations.members" && method == "GET") {
        auto it = members_.find(param(url, "channel"));
        if (it == members_.end()) return error("channel_not_found");
        return nlohmann::json{{"ok", true}, {"members", it->second}, {"response_metadata", {{"next_cursor", ""}}}}.dump();
    }
    if (path == "/api/conversations.replies" && method == "GET") {
        auto channel = param(url, "channel"), ts = param(url, "ts");
        auto thread = nlohmann::json::array();
        auto all = messages_in(channel, param(url, "include_all_metadata") == "true");
        for (auto it = all.rbegin(); it != all.rend(); ++it) { // oldest first, parent leading
            auto m_ts = (*it)["ts"].get<std::string>();
            auto parent = it->contains("thread_ts") ? (*it)["thread_ts"].get<std::string>() : m_ts;
            if (m_ts == ts || parent == ts) thread.push_back(*it);
        }
        if (thread.empty()) return error("thread_not_found");
        return nlohmann::json{{"ok", true}, {"messages", thread}, {"has_more", false}}.dump();
    }
    if (path == "/api/conversations.join" && method == "POST") {
        return nlohmann::json{{"ok", true}, {"channel", {{"id", str(body, "channel")}}}}.dump();
    }
    if (path == "/api/reactions.add" && method == "POST") {
        for (const auto& r : state_.reactions)
            if (r == body) return error("already_reacted");
        state_.reactions.push_back(body);
        return R"({"ok":true})";
    }
    return std::nullopt;
}

} // namespace cxos::test
