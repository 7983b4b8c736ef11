#include "adapters/teams/connector.hpp"

#include "adapters/teams/json_fields.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <charconv>

namespace cxos::teams {

namespace {

using nlohmann::json;

std::string encoded(std::string_view v) { return boost::urls::encode(v, boost::urls::unreserved_chars); }

std::string with_slash(std::string_view base_path) {
    std::string p(base_path);
    if (p.empty() || p.back() != '/') p += '/';
    return p;
}

std::int64_t seconds_of(std::string_view text, std::int64_t fallback) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && p == text.data() + text.size() && v >= 0 ? v : fallback;
}

} // namespace

std::string token_request_body(std::string_view app_id, std::string_view app_password) {
    return "grant_type=client_credentials&client_id=" + encoded(app_id) + "&client_secret=" + encoded(app_password) +
           "&scope=" + encoded(bot_framework_scope);
}

std::optional<connector_token> parse_token_response(unsigned status, std::string_view body, std::int64_t now_seconds,
                                                    std::string& error) {
    auto j = json::parse(body, nullptr, false);
    if (status != 200) {
        error = "token endpoint answered HTTP " + std::to_string(status);
        if (auto code = text_of(j, "error"); !code.empty()) error += " (" + code + ")";
        return std::nullopt;
    }
    connector_token t;
    t.access_token = text_of(j, "access_token");
    auto expires = j.is_object() ? j.find("expires_in") : j.end();
    std::int64_t lifetime = 0;
    if (expires != j.end() && expires->is_number_integer()) lifetime = expires->get<std::int64_t>();
    else if (expires != j.end() && expires->is_string()) lifetime = seconds_of(expires->get<std::string>(), 0);
    if (t.access_token.empty() || lifetime <= 0) {
        error = "token endpoint answered without access_token or expires_in";
        return std::nullopt;
    }
    // Its tokens live an hour or so: a longer promise is held to a day (and cannot overflow).
    constexpr std::int64_t longest = 24 * 3600;
    t.expires_at = now_seconds + std::min(lifetime, longest);
    return t;
}

bool service_url_allowed(std::string_view service_url, const std::vector<std::string>& allowlist) {
    std::string url(service_url);
    if (url.empty()) return false;
    if (url.back() != '/') url += '/';
    for (const auto& prefix : allowlist)
        if (!prefix.empty() && url.compare(0, prefix.size(), prefix) == 0) return true;
    return false;
}

std::string conversations_path(std::string_view base_path) { return with_slash(base_path) + "v3/conversations"; }

std::string activities_path(std::string_view base_path, std::string_view conversation_id) {
    return conversations_path(base_path) + "/" + encoded(conversation_id) + "/activities";
}

std::string activity_path(std::string_view base_path, std::string_view conversation_id, std::string_view activity_id) {
    return activities_path(base_path, conversation_id) + "/" + encoded(activity_id);
}

json new_thread_request(std::string_view channel_id, std::string_view tenant_id, const json& activity) {
    return {{"isGroup", true},
            {"channelData", {{"channel", {{"id", channel_id}}}, {"tenant", {{"id", tenant_id}}}}},
            {"tenantId", tenant_id},
            {"activity", activity}};
}

json direct_chat_request(std::string_view bot_id, std::string_view user_id, std::string_view tenant_id) {
    return {{"isGroup", false},
            {"bot", {{"id", bot_id}}},
            {"members", json::array({{{"id", user_id}}})},
            {"tenantId", tenant_id},
            {"channelData", {{"tenant", {{"id", tenant_id}}}}}};
}

std::string thread_conversation(std::string_view channel_id, std::string_view root_activity_id) {
    return std::string(channel_id) + ";messageid=" + std::string(root_activity_id);
}

std::string thread_root_of(std::string_view conversation_id) {
    constexpr std::string_view marker = ";messageid=";
    auto at = conversation_id.find(marker);
    return at == std::string_view::npos ? std::string() : std::string(conversation_id.substr(at + marker.size()));
}

bool is_well_formed_channel_id(std::string_view id) {
    return id.starts_with("19:") && id.find('@') != std::string_view::npos && id.find_first_of(" ;/") == std::string_view::npos;
}

bool is_channel_conversation(std::string_view id) {
    return id.starts_with("19:") &&
           (id.find("@thread.tacv2") != std::string_view::npos || id.find("@thread.skype") != std::string_view::npos);
}

bool is_chat_conversation(std::string_view id) { return id.starts_with("19:") || id.starts_with("a:"); }

std::string bot_member_id(std::string_view app_id) { return "28:" + std::string(app_id); }

std::string activity_ref(std::string_view conversation_id, std::string_view activity_id) {
    return std::string(conversation_id) + "|" + std::string(activity_id);
}

std::pair<std::string, std::string> split_activity_ref(std::string_view ref) {
    auto bar = ref.find('|');
    if (bar == std::string_view::npos) return {"", std::string(ref)};
    return {std::string(ref.substr(0, bar)), std::string(ref.substr(bar + 1))};
}

connector_result classify_connector_response(unsigned status, std::string_view retry_after, std::string_view body,
                                             std::string_view conversation) {
    connector_result r;
    auto j = json::parse(body, nullptr, false);
    const auto& err = object_of(j, "error");
    const std::string code = text_of(err, "code");
    const std::string detail = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
    if (status >= 200 && status < 300) {
        r.outcome = connector_outcome::sent;
        r.id = text_of(j, "id");
        r.activity_id = text_of(j, "activityId");
        return r;
    }
    r.error = detail;
    if (status == 429) {
        r.outcome = connector_outcome::rate_limited;
        r.retry_after_seconds = seconds_of(retry_after, 0); // 0: not said (or a date): the caller backs off
    } else if (status == 401) {
        r.outcome = connector_outcome::unauthorized;
    } else if (status == 408 || status == 412 || status >= 500) {
        r.outcome = connector_outcome::retry;
    } else if (status == 403 && code == "BotNotInConversationRoster") {
        r.outcome = connector_outcome::dead;
        r.error = detail + ": cxos is not a member of " + std::string(conversation) +
                  "; add cxos to that team (Teams: … → Manage team → Apps → Get more apps → cxos)";
    } else if (status == 404) {
        r.outcome = connector_outcome::dead;
        r.error = detail + ": Teams does not know conversation " + std::string(conversation) +
                  "; check the channel id in the config and add cxos to its team";
    } else {
        r.outcome = connector_outcome::dead;
        if (auto message = text_of(err, "message"); !message.empty()) r.error += ": " + message;
    }
    return r;
}

} // namespace cxos::teams
