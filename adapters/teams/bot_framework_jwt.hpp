#pragma once
// Bot Framework inbound authentication: the JWT the Bot Connector service sends in
// `Authorization: Bearer <jwt>` with every activity. Pure: the OpenID metadata
// (https://login.botframework.com/v1/.well-known/openidconfiguration) and the JWKS it names are
// fetched elsewhere; this parses them, validates tokens (RS256 only) and decides when to refetch.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::teams {

inline constexpr std::string_view openid_metadata_url =
    "https://login.botframework.com/v1/.well-known/openidconfiguration";
inline constexpr std::string_view bot_framework_issuer = "https://api.botframework.com";

struct signing_key {
    std::string kid;
    std::string n, e;                       // base64url modulus and exponent from the JWKS
    std::vector<std::string> endorsements;  // channel ids this key may sign for, e.g. "msteams"
};

// jwks_uri from the OpenID metadata document; empty on malformed input or a non-https URI
// (plain http is accepted only for a loopback test peer).
std::string jwks_uri_of(std::string_view openid_metadata_json);
// RSA keys ("kty":"RSA", "use" absent or "sig", "alg" absent or "RS256") from a JWKS document.
// Malformed entries are skipped: no kid, n or e not base64url, a modulus under 2048 bits,
// "endorsements" present but not an array of strings.
std::vector<signing_key> parse_jwks(std::string_view jwks_json);

// RFC 4648 §5 without padding. nullopt for any character outside [A-Za-z0-9_-], '=' included,
// an impossible length, or non-zero trailing bits (so every value has exactly one encoding).
std::optional<std::string> base64url_decode(std::string_view in);

enum class jwt_failure { none, missing_bearer, malformed, unsupported_alg, wrong_issuer, unknown_key,
                         bad_signature, wrong_audience, expired, not_yet_valid, missing_endorsement,
                         service_url_mismatch, wrong_nonce };
std::string_view to_string(jwt_failure f); // stable words for logs, e.g. "wrong_issuer"

struct jwt_expectations {
    std::string issuer = std::string(bot_framework_issuer);
    std::string audience;     // MICROSOFT_APP_ID; an empty one matches no token
    std::string channel_id;   // the activity's channelId, e.g. "msteams"; an empty one is endorsed by no key
    std::string service_url;  // the activity's serviceUrl
    std::int64_t now_seconds = 0;
    std::int64_t skew_seconds = 300;
};

struct jwt_verdict {
    jwt_failure failure = jwt_failure::none;
    std::string kid;          // the token's kid once the header parsed (so unknown_key can refresh keys once)
    nlohmann::json claims;    // the payload when failure == none
    bool ok() const { return failure == jwt_failure::none; }
};

// Tokens longer than this are refused as malformed before any decoding.
inline constexpr std::size_t max_token_size = 16 * 1024;

// Validates `Authorization: Bearer <jwt>` in Microsoft's order: scheme; 3 base64url parts; header
// alg must be RS256 (reject "none", HS256, anything else) and kid present; issuer checked BEFORE any
// key lookup; key by kid from `keys`; RS256 signature over "header.payload"; aud == audience;
// exp/nbf with skew; the key's endorsements contain channel_id; claim "serviceurl" (also accept
// "serviceUrl") equals service_url exactly (compare ignoring one trailing slash).
// `exp` is required (a token without one is malformed); `nbf` is optional; `aud` may be a string or
// an array of strings. The verdict never contains the token or its signature.
jwt_verdict verify_bot_framework_token(std::string_view authorization_header,
                                       const std::vector<signing_key>& keys,
                                       const jwt_expectations& expect);

// An OpenID Connect id_token (Sign in with Slack or Microsoft, the dashboard's sign-in): the same
// RS256 checks in the same order (alg, kid, issuer before any key, signature, aud, exp/nbf), then
// the `nonce` the sign-in started with. `issuer` may hold "{tenantid}", replaced by the token's
// own `tid` claim (Microsoft's issuer is per tenant; the caller then checks that tenant is one it
// knows). `token` is the bare JWT, no "Bearer ".
struct openid_expectations {
    std::string issuer;
    std::string audience; // the client id
    std::string nonce;    // an empty one matches no token
    std::int64_t now_seconds = 0;
    std::int64_t skew_seconds = 300;
};
jwt_verdict verify_openid_token(std::string_view token, const std::vector<signing_key>& keys,
                                const openid_expectations& expect);

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

} // namespace cxos::teams
