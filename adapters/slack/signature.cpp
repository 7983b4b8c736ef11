#include "adapters/slack/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

slack_signature_verifier::slack_signature_verifier(std::string signing_secret)
    : secret_(std::move(signing_secret)) {
    if (secret_.empty()) throw std::invalid_argument("the Slack signing secret is empty");
}

std::string slack_signature_verifier::sign(std::string_view timestamp, std::string_view body) const {
    std::string base;
    base.reserve(4 + timestamp.size() + body.size());
    base.append("v0:").append(timestamp).append(":").append(body);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac, &len);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "v0=";
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[mac[i] >> 4]);
        out.push_back(hex[mac[i] & 0xf]);
    }
    return out;
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
