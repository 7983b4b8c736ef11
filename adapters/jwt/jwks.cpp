#include "adapters/jwt/jwks.hpp"

#include "adapters/jwt/base64url.hpp"
#include "adapters/jwt/json_fields.hpp"

#include <algorithm>
#include <bit>

namespace cxos::jwt {

using nlohmann::json;

namespace {

std::size_t modulus_bits(const std::string& n) {
    auto first = n.find_first_not_of('\0');
    if (first == std::string::npos) return 0;
    const auto lead = static_cast<unsigned char>(n[first]);
    return (n.size() - first - 1) * 8 + static_cast<std::size_t>(std::bit_width(lead));
}

} // namespace

std::string jwks_uri_of(std::string_view openid_metadata_json) {
    auto doc = parse_object(openid_metadata_json);
    if (!doc) return {};
    std::string uri = text_of(*doc, "jwks_uri");
    // Plain http only for a loopback test peer, as everywhere else in cxos.
    const bool loopback = uri.rfind("http://127.0.0.1:", 0) == 0 || uri.rfind("http://localhost:", 0) == 0 ||
                          uri.rfind("http://[::1]:", 0) == 0;
    if ((uri.rfind("https://", 0) != 0 || uri.size() == 8) && !loopback) return {};
    return uri;
}

std::vector<signing_key> parse_jwks(std::string_view jwks_json) {
    std::vector<signing_key> out;
    auto doc = parse_object(jwks_json);
    if (!doc) return out;
    auto keys = doc->find("keys");
    if (keys == doc->end() || !keys->is_array()) return out;
    for (const json& k : *keys) {
        if (!k.is_object() || text_of(k, "kty") != "RSA") continue;
        if (k.contains("use") && text_of(k, "use") != "sig") continue;
        if (k.contains("alg") && text_of(k, "alg") != "RS256") continue;
        signing_key key{text_of(k, "kid"), text_of(k, "n"), text_of(k, "e"), {}};
        if (key.kid.empty()) continue;
        auto n = base64url_decode(key.n);
        auto e = base64url_decode(key.e);
        if (!n || !e || e->empty() || modulus_bits(*n) < 2048) continue;
        if (auto en = k.find("endorsements"); en != k.end()) {
            if (!en->is_array()) continue;
            bool all_strings = std::all_of(en->begin(), en->end(), [](const json& s) { return s.is_string(); });
            if (!all_strings) continue;
            for (const json& s : *en) key.endorsements.push_back(s.get<std::string>());
        }
        out.push_back(std::move(key));
    }
    return out;
}

bool key_cache::refresh_due(std::int64_t now_seconds) const {
    return !last_success_ || now_seconds - *last_success_ >= refresh_interval_seconds;
}

bool key_cache::may_refresh_for_unknown_kid(std::int64_t now_seconds) const {
    return !last_attempt_ || now_seconds - *last_attempt_ >= unknown_kid_interval_seconds;
}

void key_cache::refreshed(std::vector<signing_key> keys, std::int64_t now_seconds) {
    if (keys.empty()) return refresh_failed(now_seconds); // a JWKS with no usable key is no refresh
    keys_ = std::move(keys);
    last_success_ = now_seconds;
    last_attempt_ = now_seconds;
}

void key_cache::refresh_failed(std::int64_t now_seconds) { last_attempt_ = now_seconds; }

} // namespace cxos::jwt
