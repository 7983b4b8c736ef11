#pragma once
// Signed webhooks from other tools: each source has its own secret, and a request carries
//   X-Cxos-Source: zendesk
//   X-Cxos-Timestamp: <unix seconds>
//   X-Cxos-Signature: v1=<hex HMAC-SHA256(secret, "{timestamp}.{raw body}")>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cxos::ingest {

inline constexpr std::string_view source_header = "X-Cxos-Source";
inline constexpr std::string_view timestamp_header = "X-Cxos-Timestamp";
inline constexpr std::string_view signature_header = "X-Cxos-Signature";

enum class verify_result { ok, missing_headers, unknown_source, bad_timestamp, stale_timestamp, bad_signature };
std::string_view to_string(verify_result r);

class ingest_signature_verifier {
  public:
    // Requests whose timestamp is further than this from now, either way, are refused.
    static constexpr std::int64_t max_skew_seconds = 5 * 60;

    // Source name -> its secret. Throws std::invalid_argument for an empty secret.
    explicit ingest_signature_verifier(std::map<std::string, std::string> secrets);

    verify_result verify(std::string_view source, std::string_view timestamp, std::string_view signature,
                         std::string_view body, std::int64_t now_seconds) const;

    // The X-Cxos-Signature value for a request; tests and the README's recipe sign with it.
    std::string sign(std::string_view source, std::string_view timestamp, std::string_view body) const;

    bool knows(std::string_view source) const { return secrets_.find(std::string(source)) != secrets_.end(); }

  private:
    std::map<std::string, std::string> secrets_;
};

} // namespace cxos::ingest
