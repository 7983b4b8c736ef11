// OAuth and OpenID Connect: the query a browser brings back to /slack/oauth_redirect or
// /dashboard/signin/<provider>/callback, the sign-in's token answer, and the id_token in it. The
// first byte picks: 0 the query, 1 the answer, 2 the rest as a token as it came, 3 the rest as
// claims signed by a trusted key (so the checks behind the signature run: audience, expiry, tenant
// issuer, nonce, and the person's ids). Whatever is accepted must be shaped so it can travel in a
// URL, a cookie-bound store key and the log: the state base64url, texts UTF-8.
#include "adapters/oauth/authorization_code.hpp"
#include "adapters/oauth/openid.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/support/test_jwt.hpp"

#include <algorithm>

namespace {

using namespace cxos;

const test::test_signing_key& trusted_key() {
    static const auto key = test::test_signing_key::generate("fuzz-openid-key", {});
    return key;
}

bool base64url(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

bool plain_id(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto rest = fuzz::as_text(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: {
        auto decoded = oauth::decode_authorization_redirect(rest);
        if (auto* r = std::get_if<oauth::authorization_redirect>(&decoded)) {
            fuzz::require(!r->state.empty() && r->state.size() <= 128 && base64url(r->state), "the state is cxos's shape");
            fuzz::require(r->code.empty() != r->error.empty(), "a code or an error, never both");
            fuzz::require_utf8({r->code, r->error, r->state}, "redirect");
        }
        return 0;
    }
    case 1: {
        auto answer = oauth::read_openid_token(200, rest);
        if (!oauth::is_id_token(answer)) fuzz::require_utf8({std::get<1>(answer)}, "the error is UTF-8");
        return 0;
    }
    default: break;
    }
    std::string token(rest);
    if (data[0] % 4 == 3) {
        const auto claims = nlohmann::json::parse(rest, nullptr, false);
        if (claims.is_discarded()) return 0;
        token = test::mint_token(trusted_key(), claims);
    }
    static const std::vector<jwt::signing_key> keys{trusted_key().public_key()};
    for (const auto* issuer : {"https://slack.com", "https://login.microsoftonline.com/{tenantid}/v2.0"}) {
        const oauth::openid_expectations expect{issuer, "1234.5678", "the-nonce", 1'700'000'000, 300};
        const auto verdict = oauth::verify_openid_token(token, keys, expect);
        fuzz::require_utf8({verdict.kid, std::string(jwt::to_string(verdict.failure))}, "a verdict is UTF-8");
        if (!verdict.ok()) continue;
        for (const auto* platform : {"slack", "teams"}) {
            const auto person = oauth::openid_person_of(platform, verdict.claims);
            fuzz::require(plain_id(person.team_id) && plain_id(person.user_id), "ids carry no separators");
            fuzz::require(person.team_id.size() <= 64 && person.user_id.size() <= 64, "ids are short");
            fuzz::require_utf8({person.name}, "the name is UTF-8");
        }
    }
    return 0;
}
