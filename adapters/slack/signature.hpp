#pragma once
// Slack request signing: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`.
#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cxos::slack {

inline constexpr std::string_view timestamp_header = "X-Slack-Request-Timestamp";
inline constexpr std::string_view signature_header = "X-Slack-Signature";

enum class verify_result { ok, missing_headers, bad_timestamp, stale_timestamp, bad_signature };
std::string_view to_string(verify_result r);

class slack_signature_verifier {
  public:
    // Requests whose timestamp is further than this from now, either way, are replays.
    static constexpr std::int64_t max_skew_seconds = 5 * 60;

    // Throws std::invalid_argument for an empty secret: a server must not run unverified.
    explicit slack_signature_verifier(std::string signing_secret);

    verify_result verify(std::string_view timestamp, std::string_view signature,
                         std::string_view body, std::int64_t now_seconds) const;

    // The header value Slack would send; tests and the benchmark sign with it.
    std::string sign(std::string_view timestamp, std::string_view body) const;

  private:
    // HMAC keyed once with the secret. The one-shot HMAC() looked the algorithm up and hashed
    // the key again for every request.
    std::shared_ptr<const EVP_MAC_CTX> keyed_;
    // A keyed context that a call re-initialises and reuses when no other thread holds it
    // (under a server, always: one I/O thread verifies): a copy of the keyed one cost about a
    // dozen allocations, a re-initialisation one.
    struct reusable_context;
    std::shared_ptr<reusable_context> reusable_;
};

} // namespace cxos::slack
