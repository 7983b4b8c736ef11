#include "tests/support/test_jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <chrono>
#include <stdexcept>

namespace cxos::test {

using nlohmann::json;

namespace {

std::string bn_param(EVP_PKEY* pkey, const char* name) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) throw std::runtime_error("test_jwt: no RSA parameter");
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
}

std::string rs256(EVP_PKEY* pkey, std::string_view data) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    std::string sig(static_cast<std::size_t>(EVP_PKEY_get_size(pkey)), '\0');
    std::size_t len = sig.size();
    if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1 ||
        EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) != 1)
        throw std::runtime_error("test_jwt: RS256 signing failed");
    sig.resize(len);
    return sig;
}

// header.payload with the given parts, no signature yet.
std::string signing_input(const json& header, const json& claims) {
    return base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
}

json header_of(const test_signing_key& key, const json& overrides) {
    json header = {{"alg", "RS256"}, {"kid", key.kid}, {"typ", "JWT"}, {"x5t", key.kid}};
    header.merge_patch(overrides);
    return header;
}

} // namespace

std::string base64url_encode(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        for (bits += 8; bits >= 6; bits -= 6) out.push_back(alphabet[(acc >> (bits - 6)) & 0x3f]);
    }
    if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 0x3f]);
    return out;
}

test_signing_key test_signing_key::generate(std::string kid, std::vector<std::string> endorsements) {
    std::shared_ptr<EVP_PKEY> pkey(EVP_RSA_gen(2048), EVP_PKEY_free);
    if (!pkey) throw std::runtime_error("test_jwt: RSA key generation failed");
    return {std::move(kid), std::move(pkey), std::move(endorsements)};
}

teams::signing_key test_signing_key::public_key() const {
    return {kid, base64url_encode(bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N)),
            base64url_encode(bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_E)), endorsements};
}

json test_signing_key::jwk() const {
    const auto pub = public_key();
    return {{"kty", "RSA"}, {"use", "sig"}, {"kid", kid}, {"x5t", kid},
            {"n", pub.n},   {"e", pub.e},   {"endorsements", endorsements}};
}

json jwks_of(const std::vector<test_signing_key>& keys) {
    json list = json::array();
    for (const auto& k : keys) list.push_back(k.jwk());
    return {{"keys", list}};
}

std::int64_t unix_now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json valid_bot_claims(const std::string& app_id, const std::string& service_url, std::int64_t now_seconds) {
    return {{"iss", std::string(teams::bot_framework_issuer)},
            {"aud", app_id},
            {"serviceurl", service_url},
            {"nbf", now_seconds - 300},
            {"exp", now_seconds + 3600}};
}

std::string mint_bot_token(const test_signing_key& key, const json& claims, const json& header_overrides) {
    const std::string input = signing_input(header_of(key, header_overrides), claims);
    return input + "." + base64url_encode(rs256(key.pkey.get(), input));
}

std::string_view to_string(token_defect d) {
    switch (d) {
    case token_defect::none: return "none";
    case token_defect::altered_payload: return "altered_payload";
    case token_defect::impostor_key: return "impostor_key";
    case token_defect::wrong_issuer: return "wrong_issuer";
    case token_defect::wrong_audience: return "wrong_audience";
    case token_defect::expired: return "expired";
    case token_defect::unknown_kid: return "unknown_kid";
    case token_defect::unendorsed_key: return "unendorsed_key";
    case token_defect::service_url_mismatch: return "service_url_mismatch";
    case token_defect::alg_none: return "alg_none";
    }
    return "?";
}

teams::jwt_failure expected_failure(token_defect d) {
    using teams::jwt_failure;
    switch (d) {
    case token_defect::none: return jwt_failure::none;
    case token_defect::altered_payload:
    case token_defect::impostor_key: return jwt_failure::bad_signature;
    case token_defect::wrong_issuer: return jwt_failure::wrong_issuer;
    case token_defect::wrong_audience: return jwt_failure::wrong_audience;
    case token_defect::expired: return jwt_failure::expired;
    case token_defect::unknown_kid: return jwt_failure::unknown_key;
    case token_defect::unendorsed_key: return jwt_failure::missing_endorsement;
    case token_defect::service_url_mismatch: return jwt_failure::service_url_mismatch;
    case token_defect::alg_none: return jwt_failure::unsupported_alg;
    }
    return jwt_failure::malformed;
}

std::string mint_defective_bot_token(const test_signing_key& signer, json claims, token_defect defect) {
    switch (defect) {
    case token_defect::none:
    case token_defect::unendorsed_key: break;
    case token_defect::altered_payload: {
        const std::string token = mint_bot_token(signer, claims);
        claims["serviceurl"] = "https://attacker.example/";
        const auto dot1 = token.find('.'), dot2 = token.rfind('.');
        return token.substr(0, dot1 + 1) + base64url_encode(claims.dump()) + token.substr(dot2);
    }
    case token_defect::impostor_key: {
        auto impostor = test_signing_key::generate(signer.kid, signer.endorsements);
        return mint_bot_token(impostor, claims);
    }
    case token_defect::wrong_issuer:
        claims["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";
        break;
    case token_defect::wrong_audience: claims["aud"] = "00000000-0000-0000-0000-another-bot"; break;
    case token_defect::expired: {
        // The "now" valid_bot_claims made the claims for: exp is an hour after it.
        const auto now = claims.value("exp", unix_now_seconds() + 3600) - 3600;
        claims["nbf"] = now - 3600 - 600;
        claims["exp"] = now - 600;
        break;
    }
    case token_defect::unknown_kid: return mint_bot_token(signer, claims, {{"kid", "kid-nobody-published"}});
    case token_defect::service_url_mismatch:
        claims["serviceurl"] = "https://smba.trafficmanager.net/apac-other-region/";
        break;
    case token_defect::alg_none:
        return signing_input(header_of(signer, {{"alg", "none"}}), claims) + ".";
    }
    return mint_bot_token(signer, claims);
}

} // namespace cxos::test
