#include "adapters/slack/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <charconv>
#include <stdexcept>

namespace cxos::slack {

std::string_view to_string(verify_result r) {
    switch (r) {
    case verify_result::ok: return "ok";
    case verify_result::missing_headers: return "missing signature headers";
    case verify_result::bad_timestamp: return "malformed timestamp";
    case verify_result::stale_timestamp: return "timestamp outside the 5-minute window";
    case verify_result::bad_signature: return "signature mismatch";
    }
    return "unknown";
}

struct slack_signature_verifier::reusable_context {
    std::mutex in_use;
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, EVP_MAC_CTX_free};
};

slack_signature_verifier::slack_signature_verifier(std::string signing_secret) {
    if (signing_secret.empty()) throw std::invalid_argument("the Slack signing secret is empty");
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    std::shared_ptr<EVP_MAC_CTX> ctx(hmac ? EVP_MAC_CTX_new(hmac) : nullptr, EVP_MAC_CTX_free);
    EVP_MAC_free(hmac); // the context holds its own reference
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(signing_secret.data()),
                             signing_secret.size(), params) != 1)
        throw std::runtime_error("OpenSSL could not set up HMAC-SHA256");
    reusable_ = std::make_shared<reusable_context>();
    reusable_->ctx.reset(EVP_MAC_CTX_dup(ctx.get()));
    keyed_ = std::move(ctx);
}

std::string slack_signature_verifier::sign(std::string_view timestamp, std::string_view body) const {
    // Initialised with no key, a context starts over with the key it holds.
    std::unique_lock reuse(reusable_->in_use, std::try_to_lock);
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> copy(nullptr, EVP_MAC_CTX_free);
    EVP_MAC_CTX* ctx = reusable_->ctx.get();
    if (!reuse.owns_lock() || !ctx || EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1) {
        copy.reset(EVP_MAC_CTX_dup(keyed_.get()));
        ctx = copy.get();
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    auto update = [&](std::string_view part) {
        return EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) == 1;
    };
    if (!ctx || !update("v0:") || !update(timestamp) || !update(":") || !update(body) ||
        EVP_MAC_final(ctx, mac, &len, sizeof mac) != 1)
        return {}; // matches no signature: the request is refused, not let through
    static constexpr char hex[] = "0123456789abcdef";
    char text[3 + 2 * EVP_MAX_MD_SIZE] = {'v', '0', '='};
    for (std::size_t i = 0; i < len; ++i) {
        text[3 + 2 * i] = hex[mac[i] >> 4];
        text[4 + 2 * i] = hex[mac[i] & 0xf];
    }
    return std::string(text, 3 + 2 * len);
}

verify_result slack_signature_verifier::verify(std::string_view timestamp, std::string_view signature,
                                               std::string_view body, std::int64_t now_seconds) const {
    if (timestamp.empty() || signature.empty()) return verify_result::missing_headers;
    std::int64_t ts = 0;
    auto [ptr, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || ptr != timestamp.data() + timestamp.size())
        return verify_result::bad_timestamp;
    // Future timestamps are replays prepared in advance: reject them like old ones.
    if (ts < now_seconds - max_skew_seconds || ts > now_seconds + max_skew_seconds)
        return verify_result::stale_timestamp;
    const std::string expected = sign(timestamp, body);
    if (signature.size() != expected.size() ||
        CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0)
        return verify_result::bad_signature;
    return verify_result::ok;
}

} // namespace cxos::slack
