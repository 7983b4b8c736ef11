#include "bot/core/secret_box.hpp"

#include "adapters/teams/webhook.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>
#include <stdexcept>

namespace cxos::bot {

namespace {

constexpr std::string_view prefix = "v1:";
constexpr int nonce_size = 12, tag_size = 16;

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

} // namespace

std::optional<secret_box> secret_box::from_base64(std::string_view key_base64, std::string& problem) {
    auto key = teams::base64_decode(key_base64);
    if (!key) {
        problem = "is not base64 (make one with: openssl rand -base64 32)";
        return std::nullopt;
    }
    if (key->size() != 32) {
        problem = "must be 32 bytes in base64, not " + std::to_string(key->size()) +
                  " (make one with: openssl rand -base64 32)";
        return std::nullopt;
    }
    return secret_box(std::move(*key));
}

std::string secret_box::seal(std::string_view plain, std::string_view context) const {
    unsigned char nonce[nonce_size];
    if (RAND_bytes(nonce, nonce_size) != 1) throw std::runtime_error("no randomness for a nonce");
    cipher_ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    std::vector<unsigned char> out(nonce_size + plain.size() + tag_size);
    std::copy(nonce, nonce + nonce_size, out.begin());
    int len = 0, total = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data() + nonce_size, &len, bytes(plain), static_cast<int>(plain.size())) != 1)
        throw std::runtime_error("AES-256-GCM sealing failed");
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), out.data() + nonce_size + total, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, out.data() + nonce_size + plain.size()) != 1)
        throw std::runtime_error("AES-256-GCM sealing failed");
    return std::string(prefix) + teams::base64_encode(out.data(), out.size());
}

std::optional<std::string> secret_box::open(std::string_view sealed, std::string_view context) const {
    if (sealed.substr(0, prefix.size()) != prefix) return std::nullopt;
    auto raw = teams::base64_decode(sealed.substr(prefix.size()));
    if (!raw || raw->size() < nonce_size + tag_size) return std::nullopt;
    const std::size_t text_size = raw->size() - nonce_size - tag_size;
    cipher_ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    std::string plain(text_size, '\0');
    int len = 0;
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), raw->data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &len, raw->data() + nonce_size, static_cast<int>(text_size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, raw->data() + nonce_size + text_size) != 1)
        return std::nullopt;
    // The tag check: a changed byte, another key or another context fails here.
    if (EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1) return std::nullopt;
    return plain;
}

std::string random_token(std::size_t size) {
    std::vector<unsigned char> raw(size);
    if (RAND_bytes(raw.data(), static_cast<int>(size)) != 1) throw std::runtime_error("no randomness");
    auto text = teams::base64_encode(raw.data(), raw.size());
    for (auto& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(bytes(text), text.size(), digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0xf]);
    }
    return out;
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace cxos::bot
