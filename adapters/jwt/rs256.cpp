#include "adapters/jwt/rs256.hpp"

#include "adapters/jwt/base64url.hpp"
#include "adapters/jwt/json_fields.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace cxos::jwt {

using nlohmann::json;

namespace {

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

} // namespace

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

jwt_verdict verify_rs256(std::string_view token, const std::vector<signing_key>& keys,
                         const rs256_expectations& expect, const signing_key** verified_by) {
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

    std::string expected_issuer = expect.issuer;
    if (auto at = expected_issuer.find("{tenantid}"); at != std::string::npos) {
        const auto tid = text_of(*payload, "tid");
        if (tid.empty() || tid.find('/') != std::string::npos) return fail(jwt_failure::wrong_issuer);
        expected_issuer.replace(at, std::string_view("{tenantid}").size(), tid);
    }
    // An issuer nobody set matches nothing, as an empty audience does: a token without `iss` must
    // not pass a check that was never configured.
    if (expected_issuer.empty() || text_of(*payload, "iss") != expected_issuer) return fail(jwt_failure::wrong_issuer);

    const auto found = std::find_if(keys.begin(), keys.end(), [&](const signing_key& k) { return k.kid == v.kid; });
    if (found == keys.end()) return fail(jwt_failure::unknown_key);
    if (!rs256_verifies(*found, token.substr(0, dot2), *signature)) return fail(jwt_failure::bad_signature);

    if (!audience_matches(*payload, expect.audience)) return fail(jwt_failure::wrong_audience);

    const auto exp = numeric_date(*payload, "exp");
    if (!exp) return fail(jwt_failure::malformed);
    if (*exp <= expect.now_seconds - expect.skew_seconds) return fail(jwt_failure::expired);
    if (payload->contains("nbf")) {
        const auto nbf = numeric_date(*payload, "nbf");
        if (!nbf) return fail(jwt_failure::malformed);
        if (*nbf > expect.now_seconds + expect.skew_seconds) return fail(jwt_failure::not_yet_valid);
    }
    v.claims = std::move(*payload);
    if (verified_by) *verified_by = &*found;
    return v;
}

} // namespace cxos::jwt

