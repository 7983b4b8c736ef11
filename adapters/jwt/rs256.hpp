#pragma once
// A compact JWS signed RS256 by one of a provider's published keys (jwks.hpp), checked in
// Microsoft's order for the claims every OpenID Connect token carries. What a particular token
// must also hold (the Bot Framework's endorsement and serviceUrl, a sign-in's nonce) is checked
// by its caller on the verdict.
#include "adapters/jwt/jwks.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::jwt {

// One list for every token cxos checks, so one verdict type and one set of log words serve all:
// the RS256 checks' own, then those of the checks built on them (missing_bearer,
// missing_endorsement, service_url_mismatch: the Bot Framework's; wrong_nonce: a sign-in's).
enum class jwt_failure { none, missing_bearer, malformed, unsupported_alg, wrong_issuer, unknown_key,
                         bad_signature, wrong_audience, expired, not_yet_valid, missing_endorsement,
                         service_url_mismatch, wrong_nonce };
std::string_view to_string(jwt_failure f); // stable words for logs, e.g. "wrong_issuer"

struct jwt_verdict {
    jwt_failure failure = jwt_failure::none;
    std::string kid;          // the token's kid once the header parsed (so unknown_key can refresh keys once)
    nlohmann::json claims;    // the payload when failure == none
    bool ok() const { return failure == jwt_failure::none; }
};

// Tokens longer than this are refused as malformed before any decoding.
inline constexpr std::size_t max_token_size = 16 * 1024;

struct rs256_expectations {
    std::string issuer;    // may hold "{tenantid}": see verify_rs256
    std::string audience;  // an empty one matches no token
    std::int64_t now_seconds = 0;
    std::int64_t skew_seconds = 300;
};

// `token` is the bare compact JWS. In order: 3 base64url parts; header alg must be RS256 (reject
// "none", HS256, anything else), no "crit", kid present; issuer checked BEFORE any key lookup;
// key by kid from `keys`; RS256 signature over "header.payload"; aud (a string or an array of
// strings) contains audience; `exp` required, `nbf` optional, both with skew. An issuer holding
// "{tenantid}" is replaced by the token's own `tid` claim first (Microsoft's multi-tenant issuer;
// the caller then checks that tenant is one it knows). On success `verified_by`, if given, points
// at the key in `keys` that verified the signature. The verdict never contains the token or its
// signature.
jwt_verdict verify_rs256(std::string_view token, const std::vector<signing_key>& keys,
                         const rs256_expectations& expect, const signing_key** verified_by = nullptr);

} // namespace cxos::jwt
