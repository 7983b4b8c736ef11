#pragma once
// A provider's published signing keys: its OpenID metadata names a JWKS, the JWKS holds RSA
// keys by kid. Pure: the documents are fetched elsewhere; this parses them and decides when to
// fetch them again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::jwt {

struct signing_key {
    std::string kid;
    std::string n, e;                       // base64url modulus and exponent from the JWKS
    std::vector<std::string> endorsements;  // the Bot Framework's extension: channel ids this key may sign for, e.g. "msteams"
};

// jwks_uri from an OpenID metadata document; empty on malformed input or a non-https URI
// (plain http is accepted only for a loopback test peer).
std::string jwks_uri_of(std::string_view openid_metadata_json);
// RSA keys ("kty":"RSA", "use" absent or "sig", "alg" absent or "RS256") from a JWKS document.
// Malformed entries are skipped: no kid, n or e not base64url, a modulus under 2048 bits,
// "endorsements" present but not an array of strings.
std::vector<signing_key> parse_jwks(std::string_view jwks_json);

// The key cache policy (pure): refresh every 24 h; on an unknown kid at most once per hour; a
// failed refresh keeps the old keys.
class key_cache {
  public:
    static constexpr std::int64_t refresh_interval_seconds = 24 * 60 * 60;
    static constexpr std::int64_t unknown_kid_interval_seconds = 60 * 60;

    const std::vector<signing_key>& keys() const { return keys_; }
    bool refresh_due(std::int64_t now_seconds) const;            // never fetched, or 24 h old
    bool may_refresh_for_unknown_kid(std::int64_t now_seconds) const; // no refresh attempt in the last hour
    void refreshed(std::vector<signing_key> keys, std::int64_t now_seconds); // success (empty keys: a failure)
    void refresh_failed(std::int64_t now_seconds);                          // keeps keys, counts as an attempt

  private:
    std::vector<signing_key> keys_;
    std::optional<std::int64_t> last_success_;
    std::optional<std::int64_t> last_attempt_;
};

} // namespace cxos::jwt
