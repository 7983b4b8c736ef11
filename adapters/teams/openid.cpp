#include "adapters/teams/openid.hpp"

#include "commands/utf8.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <map>
#include <optional>

namespace cxos::teams {

namespace {

// States are cxos's own (43 base64url characters). Microsoft's codes run to about two kilobytes.
constexpr std::size_t max_state_bytes = 128, max_code_bytes = 4096, max_error_bytes = 64, max_id_bytes = 64;

std::string encoded(std::string_view v) { return boost::urls::encode(v, boost::urls::unreserved_chars); }

bool base64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
bool code_char(char c) { return base64url_char(c) || c == '.' || c == '~'; }
bool error_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool all_of(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }

std::string text(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Slack's ids (T…, U…, W…, E…) and Entra's GUIDs: letters, digits and '-', nothing that could
// carry a separator into a cookie, a log line or a key.
std::string id_or_empty(std::string id) {
    const bool ok = !id.empty() && id.size() <= max_id_bytes && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    return ok ? id : std::string();
}

// %XX decoded ('+' is a space, as browsers send forms); nothing for a broken escape.
std::optional<std::string> percent_decoded(std::string_view in) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') out += ' ';
        else if (in[i] != '%') out += in[i];
        else {
            if (i + 2 >= in.size()) return std::nullopt;
            const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

} // namespace

std::string openid_authorize_link(std::string_view authorize_url, std::string_view client_id,
                                  std::string_view redirect_uri, std::string_view state, std::string_view nonce) {
    std::string link = std::string(authorize_url) + "?response_type=code&scope=openid%20profile%20email&client_id=" +
                       encoded(client_id) + "&state=" + encoded(state) + "&nonce=" + encoded(nonce);
    if (!redirect_uri.empty()) link += "&redirect_uri=" + encoded(redirect_uri);
    return link;
}

std::variant<openid_redirect, std::string> decode_openid_redirect(std::string_view query) {
    std::map<std::string, std::string> fields;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        auto key = percent_decoded(pair.substr(0, eq));
        auto value = percent_decoded(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (!key || !value) return std::string("the query string is not valid URL encoding");
        if (!is_valid_utf8(*key) || !is_valid_utf8(*value)) return std::string("the query string is not valid UTF-8");
        // A field given twice could mean two things to two readers: refuse it.
        if (!fields.emplace(std::move(*key), std::move(*value)).second) return std::string("the query names a field twice");
    }
    auto field = [&fields](const char* key) {
        auto it = fields.find(key);
        return it == fields.end() ? std::string() : it->second;
    };
    openid_redirect r{field("code"), field("state"), field("error")};
    if (r.state.empty()) return std::string("there is no state");
    if (r.state.size() > max_state_bytes || !all_of(r.state, base64url_char))
        return std::string("the state is not one cxos makes");
    if (r.code.size() > max_code_bytes || !all_of(r.code, code_char)) return std::string("the code is not of a provider's shape");
    if (r.error.size() > max_error_bytes || !all_of(r.error, error_char))
        return std::string("the error is not one a provider sends");
    if (r.code.empty() == r.error.empty()) return std::string("it must carry either a code or an error");
    return r;
}

std::string openid_token_body(std::string_view client_id, std::string_view client_secret, std::string_view code,
                              std::string_view redirect_uri) {
    std::string body = "grant_type=authorization_code&client_id=" + encoded(client_id) +
                       "&client_secret=" + encoded(client_secret) + "&code=" + encoded(code);
    if (!redirect_uri.empty()) body += "&redirect_uri=" + encoded(redirect_uri);
    return body;
}

std::variant<std::string, std::string> read_openid_token(unsigned http_status, std::string_view body) {
    using answer = std::variant<std::string, std::string>;
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return answer(std::in_place_index<1>, "HTTP " + std::to_string(http_status) + ", not a JSON object");
    const auto error = text(j, "error");
    if (!error.empty())
        return answer(std::in_place_index<1>, utf8_prefix(error, max_error_bytes)); // never the description: it may echo input
    if (http_status != 200) return answer(std::in_place_index<1>, "HTTP " + std::to_string(http_status));
    if (j.contains("ok") && j["ok"] != true) return answer(std::in_place_index<1>, "not ok");
    auto token = text(j, "id_token");
    if (token.empty()) return answer(std::in_place_index<1>, "no id_token in the answer");
    return answer(std::in_place_index<0>, std::move(token));
}

openid_person openid_person_of(std::string_view platform, const nlohmann::json& claims) {
    openid_person p;
    p.platform = std::string(platform);
    if (!claims.is_object()) return p;
    if (platform == "slack") {
        p.team_id = id_or_empty(text(claims, "https://slack.com/team_id"));
        p.user_id = id_or_empty(text(claims, "https://slack.com/user_id"));
    } else {
        p.team_id = id_or_empty(text(claims, "tid"));
        p.user_id = id_or_empty(text(claims, "oid"));
    }
    auto name = text(claims, "name");
    if (name.empty()) name = text(claims, "preferred_username");
    p.name = is_valid_utf8(name) ? utf8_prefix(name, 200) : std::string();
    return p;
}

} // namespace cxos::teams
