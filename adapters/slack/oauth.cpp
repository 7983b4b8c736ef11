#include "adapters/slack/oauth.hpp"

#include "adapters/oauth/form_encoding.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/slack/json_fields.hpp"
#include "commands/utf8.hpp"

#include <algorithm>

namespace cxos::slack {

namespace {

constexpr std::size_t max_error_bytes = 64, max_secret_bytes = 512;

using oauth::percent_encoded;

bool all_of(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }
bool error_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
// Slack's tokens ("xoxb-…", rotating "xoxe.xoxb-1-…"): printable ASCII without spaces or quotes.
bool token_char(char c) { return c > ' ' && c < 0x7f && c != '"' && c != '\\'; }

} // namespace

std::string authorize_link(std::string_view authorize_url, std::string_view client_id,
                           const std::vector<std::string>& scopes, std::string_view state,
                           std::string_view redirect_uri) {
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : ",") + s;
    std::string link = std::string(authorize_url) + "?client_id=" + percent_encoded(client_id) +
                       "&scope=" + percent_encoded(scope) + "&state=" + percent_encoded(state);
    if (!redirect_uri.empty()) link += "&redirect_uri=" + percent_encoded(redirect_uri);
    return link;
}

std::variant<installed_bot, std::string> read_oauth_access(unsigned http_status, std::string_view body) {
    if (http_status != 200) return "HTTP " + std::to_string(http_status);
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::string("the answer was not JSON");
    if (!bool_field(json, "ok")) {
        auto error = text_of(json, "error");
        return error.empty() || error.size() > max_error_bytes || !all_of(error, error_char) ? "unknown_error" : error;
    }
    installed_bot b;
    b.bot_token = text_of(json, "access_token");
    b.bot_user_id = text_of(json, "bot_user_id");
    b.scopes = text_of(json, "scope");
    b.refresh_token = text_of(json, "refresh_token");
    if (auto e = json.find("expires_in"); e != json.end() && e->is_number_integer()) b.expires_in = e->get<std::int64_t>();
    if (auto team = json.find("team"); team != json.end() && team->is_object()) {
        b.team_id = text_of(*team, "id");
        b.team_name = utf8_prefix(text_of(*team, "name"), max_name_bytes);
    }
    if (auto org = json.find("enterprise"); org != json.end() && org->is_object())
        b.enterprise_id = text_of(*org, "id");
    b.enterprise_install = bool_field(json, "is_enterprise_install");
    if (auto user = json.find("authed_user"); user != json.end() && user->is_object())
        b.installed_by = text_of(*user, "id");
    if (text_of(json, "token_type") != "bot" || b.bot_token.empty())
        return std::string("the answer holds no bot token (is the app asking for bot scopes?)");
    if (b.bot_token.size() > max_secret_bytes || !all_of(b.bot_token, token_char) ||
        b.refresh_token.size() > max_secret_bytes || !all_of(b.refresh_token, token_char))
        return std::string("the answer's token is not shaped like Slack's");
    if (b.expires_in < 0) return std::string("the token's expires_in is negative");
    field_check check;
    check.id("team.id", b.team_id, team_prefixes).id("enterprise.id", b.enterprise_id, team_prefixes)
        .id("bot_user_id", b.bot_user_id, user_prefixes).id("authed_user.id", b.installed_by, user_prefixes);
    if (!check.defect().empty()) return "the answer's " + check.defect();
    if (b.workspace().empty()) return std::string("the answer names no workspace");
    if (!is_valid_utf8(b.scopes)) return std::string("the answer's scopes are not UTF-8");
    return b;
}

std::optional<app_lifecycle_event> decode_app_lifecycle(const nlohmann::json& envelope) {
    if (!envelope.is_object()) return std::nullopt;
    auto event = envelope.find("event");
    if (event == envelope.end() || !event->is_object()) return std::nullopt;
    const auto type = text_of(*event, "type");
    if (type != "app_uninstalled" && type != "tokens_revoked") return std::nullopt;
    app_lifecycle_event out;
    out.uninstalled = type == "app_uninstalled";
    out.team_id = text_of(envelope, "team_id");
    out.enterprise_id = text_of(envelope, "enterprise_id");
    if (!out.uninstalled) {
        auto tokens = event->find("tokens");
        if (tokens != event->end() && tokens->is_object())
            if (auto bots = tokens->find("bot"); bots != tokens->end() && bots->is_array())
                for (const auto& b : *bots)
                    if (b.is_string()) out.revoked_bots.push_back(b.get<std::string>());
    }
    field_check check;
    check.id("team_id", out.team_id, team_prefixes).id("enterprise_id", out.enterprise_id, team_prefixes);
    for (const auto& bot : out.revoked_bots) check.id("tokens.bot", bot, user_prefixes);
    if (!check.defect().empty() || (out.team_id.empty() && out.enterprise_id.empty())) return std::nullopt;
    return out;
}

} // namespace cxos::slack
