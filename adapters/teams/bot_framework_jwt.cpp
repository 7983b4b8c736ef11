#include "adapters/teams/bot_framework_jwt.hpp"

#include "adapters/teams/json_fields.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>

namespace cxos::teams {

using nlohmann::json;

namespace {

// 0..63 for a base64url character, -1 for anything else.
int b64url_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

std::optional<json> parse_object(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

// A NumericDate as whole seconds; nullopt if absent, not a number or out of range.
std::optional<std::int64_t> numeric_date(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (it->is_number_integer() && !it->is_number_unsigned()) return it->get<std::int64_t>();
    if (it->is_number_unsigned()) {
        auto v = it->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (it->is_number_float()) {
        double d = it->get<double>();
        if (!std::isfinite(d) || d < -9.0e18 || d > 9.0e18) return std::nullopt;
        return static_cast<std::int64_t>(std::floor(d));
    }
    return std::nullopt;
}

std::size_t modulus_bits(const std::string& n) {
    auto first = n.find_first_not_of('\0');
    if (first == std::string::npos) return 0;
    const auto lead = static_cast<unsigned char>(n[first]);
    return (n.size() - first - 1) * 8 + static_cast<std::size_t>(std::bit_width(lead));
}

std::string_view without_trailing_slash(std::string_view s) {
    if (!s.empty() && s.back() == '/') s.remove_suffix(1);
    return s;
}

bool audience_matches(const json& claims, const std::string& audience) {
    if (audience.empty()) return false;
    auto it = claims.find("aud");
    if (it == claims.end()) return false;
    if (it->is_string()) return it->get_ref<const std::string&>() == audience;
    if (!it->is_array()) return false;
    return std::any_of(it->begin(), it->end(), [&](const json& a) {
        return a.is_string() && a.get_ref<const std::string&>() == audience;
    });
}

struct pkey_free { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct pkey_ctx_free { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct md_ctx_free { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct bn_free { void operator()(BIGNUM* p) const { BN_free(p); } };
struct param_bld_free { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct params_free { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

bn_ptr to_bn(const std::string& bytes) {
    return bn_ptr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()), nullptr));
}

// The RSA public key of a JWK, or null if n/e do not decode.
pkey_ptr public_key(const signing_key& key) {
    auto n = base64url_decode(key.n);
    auto e = base64url_decode(key.e);
    if (!n || !e || n->empty() || e->empty()) return nullptr;
    bn_ptr bn_n = to_bn(*n), bn_e = to_bn(*e);
    std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
    if (!bn_n || !bn_e || !bld) return nullptr;
    if (OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
        return nullptr;
    std::unique_ptr<OSSL_PARAM, params_free> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
    return pkey_ptr(raw);
}

// RSASSA-PKCS1-v1_5 with SHA-256 over `signed_part`.
bool rs256_verifies(const signing_key& key, std::string_view signed_part, const std::string& signature) {
    pkey_ptr pkey = public_key(key);
    if (!pkey || signature.empty()) return false;
    std::unique_ptr<EVP_MD_CTX, md_ctx_free> md(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr; // owned by md
    if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, pkey.get()) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
    return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                            signed_part.size()) == 1;
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

std::optional<std::string> base64url_decode(std::string_view in) {
    if (in.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(in.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
        int v = b64url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt; // non-canonical trailing bits
    return out;
}

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

std::string_view to_string(jwt_failure f) {
    switch (f) {
    case jwt_failure::none: return "none";
    case jwt_failure::missing_bearer: return "missing_bearer";
    case jwt_failure::malformed: return "malformed";
    case jwt_failure::unsupported_alg: return "unsupported_alg";
    case jwt_failure::wrong_issuer: return "wrong_issuer";
    case jwt_failure::unknown_key: return "unknown_key";
    case jwt_failure::bad_signature: return "bad_signature";
    case jwt_failure::wrong_audience: return "wrong_audience";
    case jwt_failure::expired: return "expired";
    case jwt_failure::not_yet_valid: return "not_yet_valid";
    case jwt_failure::missing_endorsement: return "missing_endorsement";
    case jwt_failure::service_url_mismatch: return "service_url_mismatch";
    case jwt_failure::wrong_nonce: return "wrong_nonce";
    }
    return "unknown";
}

namespace {

// The checks every RS256 token gets, in Microsoft's order; `key` is the one that verified it.
jwt_verdict verify_rs256(std::string_view token, const std::vector<signing_key>& keys, const std::string& issuer,
                         const std::string& audience, std::int64_t now_seconds, std::int64_t skew_seconds,
                         const signing_key*& key) {
    jwt_verdict v;
    auto fail = [&v](jwt_failure f) {
        v.failure = f;
        return v;
    };
    if (token.size() > max_token_size) return fail(jwt_failure::malformed);

    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        return fail(jwt_failure::malformed);
    const auto header_text = base64url_decode(token.substr(0, dot1));
    const auto payload_text = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    const auto signature = base64url_decode(token.substr(dot2 + 1));
    if (!header_text || !payload_text || !signature) return fail(jwt_failure::malformed);
    const auto header = parse_object(*header_text);
    auto payload = parse_object(*payload_text);
    if (!header || !payload) return fail(jwt_failure::malformed);

    // Only RS256: "none" and HMAC algorithms would let anyone who knows the public key sign.
    if (text_of(*header, "alg") != "RS256") return fail(jwt_failure::unsupported_alg);
    if (header->contains("crit")) return fail(jwt_failure::malformed); // no extension is understood
    v.kid = text_of(*header, "kid");
    if (v.kid.empty()) return fail(jwt_failure::malformed);

    std::string expected_issuer = issuer;
    if (auto at = expected_issuer.find("{tenantid}"); at != std::string::npos) {
        const auto tid = text_of(*payload, "tid");
        if (tid.empty() || tid.find('/') != std::string::npos) return fail(jwt_failure::wrong_issuer);
        expected_issuer.replace(at, std::string_view("{tenantid}").size(), tid);
    }
    if (text_of(*payload, "iss") != expected_issuer) return fail(jwt_failure::wrong_issuer);

    const auto found = std::find_if(keys.begin(), keys.end(), [&](const signing_key& k) { return k.kid == v.kid; });
    if (found == keys.end()) return fail(jwt_failure::unknown_key);
    if (!rs256_verifies(*found, token.substr(0, dot2), *signature)) return fail(jwt_failure::bad_signature);
    key = &*found;

    if (!audience_matches(*payload, audience)) return fail(jwt_failure::wrong_audience);

    const auto exp = numeric_date(*payload, "exp");
    if (!exp) return fail(jwt_failure::malformed);
    if (*exp <= now_seconds - skew_seconds) return fail(jwt_failure::expired);
    if (payload->contains("nbf")) {
        const auto nbf = numeric_date(*payload, "nbf");
        if (!nbf) return fail(jwt_failure::malformed);
        if (*nbf > now_seconds + skew_seconds) return fail(jwt_failure::not_yet_valid);
    }
    v.claims = std::move(*payload);
    return v;
}

} // namespace

jwt_verdict verify_bot_framework_token(std::string_view authorization_header,
                                       const std::vector<signing_key>& keys,
                                       const jwt_expectations& expect) {
    const std::string_view token = bearer_token(authorization_header);
    if (token.empty()) return jwt_verdict{jwt_failure::missing_bearer, "", {}};
    const signing_key* key = nullptr;
    auto v = verify_rs256(token, keys, expect.issuer, expect.audience, expect.now_seconds, expect.skew_seconds, key);
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

jwt_verdict verify_openid_token(std::string_view token, const std::vector<signing_key>& keys,
                                const openid_expectations& expect) {
    const signing_key* key = nullptr;
    auto v = verify_rs256(token, keys, expect.issuer, expect.audience, expect.now_seconds, expect.skew_seconds, key);
    if (v.ok() && (expect.nonce.empty() || text_of(v.claims, "nonce") != expect.nonce)) {
        v.failure = jwt_failure::wrong_nonce;
        v.claims = nullptr;
    }
    return v;
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

} // namespace cxos::teams
