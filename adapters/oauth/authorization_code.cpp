#include "adapters/oauth/authorization_code.hpp"

#include "adapters/oauth/form_encoding.hpp"
#include "commands/utf8.hpp"

#include <algorithm>

namespace cxos::oauth {

namespace {

// States are cxos's own random values (43 base64url characters). Slack's codes are dotted digits
// and hex; Microsoft's run to about two kilobytes of base64url with '.' and '~'.
constexpr std::size_t max_state_bytes = 128, max_code_bytes = 4096, max_error_bytes = 64;

bool all_of(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }
bool base64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
// RFC 3986's unreserved characters: nothing that needs quoting in a form body, a log line or HTML.
bool code_char(char c) { return base64url_char(c) || c == '.' || c == '~'; }
bool error_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

std::string field(const form_fields& f, const char* key) {
    auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

std::string credentials(std::string_view grant_type, std::string_view client_id, std::string_view client_secret) {
    return "grant_type=" + std::string(grant_type) + "&client_id=" + percent_encoded(client_id) +
           "&client_secret=" + percent_encoded(client_secret);
}

} // namespace

std::variant<authorization_redirect, std::string> decode_authorization_redirect(std::string_view query) {
    auto fields = parse_form(query, repeated_field::refused);
    if (!fields) return std::string("the query string is not valid URL encoding, or names a field twice");
    for (const auto& [key, value] : *fields)
        if (!is_valid_utf8(key) || !is_valid_utf8(value)) return std::string("the query string is not valid UTF-8");
    authorization_redirect r{field(*fields, "code"), field(*fields, "state"), field(*fields, "error")};
    if (r.state.empty()) return std::string("there is no state");
    if (r.state.size() > max_state_bytes || !all_of(r.state, base64url_char))
        return std::string("the state is not one cxos makes");
    if (r.code.size() > max_code_bytes || !all_of(r.code, code_char))
        return std::string("the code is not of a provider's shape");
    if (r.error.size() > max_error_bytes || !all_of(r.error, error_char))
        return std::string("the error is not one a provider sends");
    if (r.code.empty() == r.error.empty()) return std::string("it must carry either a code or an error");
    return r;
}

std::string authorization_code_body(std::string_view client_id, std::string_view client_secret, std::string_view code,
                                    std::string_view redirect_uri) {
    std::string body = credentials("authorization_code", client_id, client_secret) + "&code=" + percent_encoded(code);
    if (!redirect_uri.empty()) body += "&redirect_uri=" + percent_encoded(redirect_uri);
    return body;
}

std::string refresh_token_body(std::string_view client_id, std::string_view client_secret,
                               std::string_view refresh_token) {
    return credentials("refresh_token", client_id, client_secret) + "&refresh_token=" + percent_encoded(refresh_token);
}

} // namespace cxos::oauth
