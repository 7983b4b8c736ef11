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

jwt::signing_key test_signing_key::public_key() const {
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

std::string mint_token(const test_signing_key& key, const json& claims, const json& header_overrides) {
    const std::string input = signing_input(header_of(key, header_overrides), claims);
    return input + "." + base64url_encode(rs256(key.pkey.get(), input));
}

} // namespace cxos::test
