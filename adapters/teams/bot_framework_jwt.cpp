#include "adapters/teams/bot_framework_jwt.hpp"

#include "adapters/teams/json_fields.hpp"

#include <algorithm>

namespace cxos::teams {

using jwt::jwt_failure;

namespace {

std::string_view without_trailing_slash(std::string_view s) {
    if (!s.empty() && s.back() == '/') s.remove_suffix(1);
    return s;
}

// The token of `Bearer <token>` (scheme case-insensitive, RFC 7235); empty if the scheme is not Bearer.
std::string_view bearer_token(std::string_view header) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    header = trim(header);
    constexpr std::string_view scheme = "bearer";
    if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return {};
    }
    return trim(header.substr(scheme.size() + 1));
}

} // namespace

jwt::jwt_verdict verify_bot_framework_token(std::string_view authorization_header,
                                            const std::vector<jwt::signing_key>& keys,
                                            const bot_framework_expectations& expect) {
    const std::string_view token = bearer_token(authorization_header);
    if (token.empty()) return jwt::jwt_verdict{jwt_failure::missing_bearer, "", {}};
    const jwt::rs256_expectations rs256{expect.issuer, expect.audience, expect.now_seconds, expect.skew_seconds};
    const jwt::signing_key* key = nullptr;
    auto v = jwt::verify_rs256(token, keys, rs256, &key);
    if (!v.ok()) return v;
    auto fail = [&v](jwt_failure f) {
        v.failure = f;
        v.claims = nullptr;
        return v;
    };

    if (expect.channel_id.empty() ||
        std::find(key->endorsements.begin(), key->endorsements.end(), expect.channel_id) == key->endorsements.end())
        return fail(jwt_failure::missing_endorsement);

    std::string claimed = text_of(v.claims, "serviceurl");
    if (claimed.empty()) claimed = text_of(v.claims, "serviceUrl");
    const std::string_view claimed_url = without_trailing_slash(claimed);
    if (claimed_url.empty() || claimed_url != without_trailing_slash(expect.service_url))
        return fail(jwt_failure::service_url_mismatch);
    return v;
}

} // namespace cxos::teams
