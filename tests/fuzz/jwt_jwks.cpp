// A provider's OpenID metadata and JWKS documents (the Bot Framework's, Slack's, Microsoft's), and
// the base64url they carry keys in.
#include "adapters/jwt/base64url.hpp"
#include "adapters/jwt/jwks.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/support/test_jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto text = fuzz::as_text(data, size);
    const auto uri = jwt::jwks_uri_of(text);
    fuzz::require(uri.empty() || uri.rfind("https://", 0) == 0 || uri.rfind("http://", 0) == 0,
                  "a jwks_uri is a web address");
    for (const auto& key : jwt::parse_jwks(text)) {
        fuzz::require(!key.kid.empty(), "a key has a kid");
        fuzz::require(jwt::base64url_decode(key.n) && jwt::base64url_decode(key.e), "a key's n and e decode");
        fuzz::require_utf8({key.kid}, "a kid is UTF-8");
        for (const auto& e : key.endorsements) fuzz::require_utf8({e}, "an endorsement is UTF-8");
    }
    // Exactly one encoding per value: whatever decodes encodes back to the same text.
    if (const auto bytes = jwt::base64url_decode(text))
        fuzz::require(test::base64url_encode(*bytes) == text, "base64url round-trips");
    return 0;
}
