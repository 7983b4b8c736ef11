#include "adapters/ingest/signature.hpp"

#include "commands/hex_digit.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace cxos::ingest {

namespace {

using mac_bytes = std::array<unsigned char, 32>;

mac_bytes mac_of(const std::string& secret, std::string_view timestamp, std::string_view body) {
    std::string base;
    base.reserve(timestamp.size() + 1 + body.size());
    base.append(timestamp).append(".").append(body);
    mac_bytes mac{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac.data(), &len);
    return mac;
}

// "v1=<64 hex digits>" -> the 32 bytes; false for anything else (a bad prefix, length or digit).
bool decode_signature(std::string_view header, mac_bytes& out) {
    constexpr std::string_view prefix = "v1=";
    if (header.substr(0, prefix.size()) != prefix) return false;
    header.remove_prefix(prefix.size());
    if (header.size() != out.size() * 2) return false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = hex_digit_value(header[2 * i]), lo = hex_digit_value(header[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return true;
}

} // namespace

std::string_view to_string(verify_result r) {
    switch (r) {
    case verify_result::ok: return "ok";
    case verify_result::missing_headers: return "missing X-Cxos-Source, X-Cxos-Timestamp or X-Cxos-Signature";
    case verify_result::unknown_source: return "unknown source";
    case verify_result::bad_timestamp: return "malformed timestamp";
    case verify_result::stale_timestamp: return "timestamp outside the 5-minute window";
    case verify_result::bad_signature: return "signature mismatch";
    }
    return "unknown";
}

ingest_signature_verifier::ingest_signature_verifier(std::map<std::string, std::string> secrets)
    : secrets_(std::move(secrets)) {
    for (const auto& [source, secret] : secrets_)
        if (secret.empty()) throw std::invalid_argument("the secret of source '" + source + "' is empty");
}

std::string ingest_signature_verifier::sign(std::string_view source, std::string_view timestamp,
                                            std::string_view body) const {
    auto it = secrets_.find(std::string(source));
    if (it == secrets_.end()) throw std::invalid_argument("unknown source");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "v1=";
    for (unsigned char b : mac_of(it->second, timestamp, body)) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 0xf]);
    }
    return out;
}

verify_result ingest_signature_verifier::verify(std::string_view source, std::string_view timestamp,
                                                std::string_view signature, std::string_view body,
                                                std::int64_t now_seconds) const {
    if (source.empty() || timestamp.empty() || signature.empty()) return verify_result::missing_headers;
    auto it = secrets_.find(std::string(source));
    if (it == secrets_.end()) return verify_result::unknown_source;
    std::int64_t ts = 0;
    auto [ptr, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || ptr != timestamp.data() + timestamp.size()) return verify_result::bad_timestamp;
    // A timestamp from the future is a replay prepared in advance: refused like an old one.
    if (ts < now_seconds - max_skew_seconds || ts > now_seconds + max_skew_seconds) return verify_result::stale_timestamp;
    mac_bytes given{};
    if (!decode_signature(signature, given)) return verify_result::bad_signature;
    const auto expected = mac_of(it->second, timestamp, body);
    if (CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) return verify_result::bad_signature;
    return verify_result::ok;
}

} // namespace cxos::ingest
