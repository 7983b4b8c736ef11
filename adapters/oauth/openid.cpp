#include "adapters/oauth/openid.hpp"

#include "adapters/jwt/json_fields.hpp"
#include "adapters/oauth/form_encoding.hpp"
#include "commands/utf8.hpp"

#include <algorithm>

namespace cxos::oauth {

namespace {

constexpr std::size_t max_error_bytes = 64, max_id_bytes = 64;

// Slack's ids (T…, U…, W…, E…) and Entra's GUIDs: letters, digits and '-', nothing that could
// carry a separator into a cookie, a log line or a key.
std::string id_or_empty(std::string id) {
    const bool ok = !id.empty() && id.size() <= max_id_bytes && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    return ok ? id : std::string();
}

} // namespace

std::string openid_authorize_link(std::string_view authorize_url, std::string_view client_id,
                                  std::string_view redirect_uri, std::string_view state, std::string_view nonce) {
    std::string link = std::string(authorize_url) + "?response_type=code&scope=openid%20profile%20email&client_id=" +
                       percent_encoded(client_id) + "&state=" + percent_encoded(state) + "&nonce=" + percent_encoded(nonce);
    if (!redirect_uri.empty()) link += "&redirect_uri=" + percent_encoded(redirect_uri);
    return link;
}

std::variant<std::string, std::string> read_openid_token(unsigned http_status, std::string_view body) {
    using answer = std::variant<std::string, std::string>;
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return answer(std::in_place_index<1>, "HTTP " + std::to_string(http_status) + ", not a JSON object");
    const auto error = jwt::text_of(j, "error");
    if (!error.empty())
        return answer(std::in_place_index<1>, utf8_prefix(error, max_error_bytes)); // never the description: it may echo input
    if (http_status != 200) return answer(std::in_place_index<1>, "HTTP " + std::to_string(http_status));
    if (j.contains("ok") && j["ok"] != true) return answer(std::in_place_index<1>, "not ok");
    auto token = jwt::text_of(j, "id_token");
    if (token.empty()) return answer(std::in_place_index<1>, "no id_token in the answer");
    return answer(std::in_place_index<0>, std::move(token));
}

openid_person openid_person_of(std::string_view platform, const nlohmann::json& claims) {
    openid_person p;
    p.platform = std::string(platform);
    if (!claims.is_object()) return p;
    if (platform == "slack") {
        p.team_id = id_or_empty(jwt::text_of(claims, "https://slack.com/team_id"));
        p.user_id = id_or_empty(jwt::text_of(claims, "https://slack.com/user_id"));
    } else {
        p.team_id = id_or_empty(jwt::text_of(claims, "tid"));
        p.user_id = id_or_empty(jwt::text_of(claims, "oid"));
    }
    auto name = jwt::text_of(claims, "name");
    if (name.empty()) name = jwt::text_of(claims, "preferred_username");
    p.name = is_valid_utf8(name) ? utf8_prefix(name, 200) : std::string();
    return p;
}

jwt::jwt_verdict verify_openid_token(std::string_view token, const std::vector<jwt::signing_key>& keys,
                                     const openid_expectations& expect) {
    const jwt::rs256_expectations rs256{expect.issuer, expect.audience, expect.now_seconds, expect.skew_seconds};
    auto v = jwt::verify_rs256(token, keys, rs256);
    if (v.ok() && (expect.nonce.empty() || jwt::text_of(v.claims, "nonce") != expect.nonce)) {
        v.failure = jwt::jwt_failure::wrong_nonce;
        v.claims = nullptr;
    }
    return v;
}

} // namespace cxos::oauth
