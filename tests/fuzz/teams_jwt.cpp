// Bot Framework tokens as `Authorization: Bearer …`. An even first byte feeds the rest as the header
// itself; an odd one takes the rest as a claims document and signs it with a key the verifier
// trusts, so the checks behind the signature (audience, expiry, endorsement, serviceUrl) run too.
#include "adapters/teams/bot_framework_jwt.hpp"
#include "adapters/teams/json_fields.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/support/test_jwt.hpp"

namespace {

using namespace cxos;

const test::test_signing_key& trusted_key() {
    static const auto key = test::test_signing_key::generate("fuzz-key");
    return key;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto rest = fuzz::as_text(data + 1, size - 1);
    std::string header(rest);
    if (data[0] % 2 == 1) {
        const auto claims = nlohmann::json::parse(rest, nullptr, false);
        if (claims.is_discarded()) return 0;
        header = "Bearer " + test::mint_token(trusted_key(), claims);
    }
    static const std::vector<jwt::signing_key> keys{trusted_key().public_key()};
    teams::bot_framework_expectations expect;
    expect.audience = "00000000-0000-4000-8000-0000000000a1";
    expect.channel_id = "msteams";
    expect.service_url = "https://smba.trafficmanager.net/emea/";
    expect.now_seconds = 1'700'000'000;
    const auto verdict = teams::verify_bot_framework_token(header, keys, expect);
    fuzz::require_utf8({verdict.kid, jwt::to_string(verdict.failure)}, "a verdict is UTF-8");
    if (!verdict.ok()) return 0;
    // Accepted: the claims are what the expectations asked for, and they render.
    fuzz::require(verdict.claims.is_object(), "accepted claims are an object");
    fuzz::require(teams::text_of(verdict.claims, "iss") == expect.issuer, "accepted claims have the issuer");
    fuzz::require(verdict.kid == trusted_key().kid, "accepted tokens name the trusted key");
    fuzz::require_dumps(verdict.claims, "accepted claims dump");
    return 0;
}
