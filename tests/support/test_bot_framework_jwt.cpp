#include "tests/support/test_bot_framework_jwt.hpp"

namespace cxos::test {

using nlohmann::json;

json valid_bot_claims(const std::string& app_id, const std::string& service_url, std::int64_t now_seconds) {
    return {{"iss", std::string(teams::bot_framework_issuer)},
            {"aud", app_id},
            {"serviceurl", service_url},
            {"nbf", now_seconds - 300},
            {"exp", now_seconds + 3600}};
}

std::string_view to_string(token_defect d) {
    switch (d) {
    case token_defect::none: return "none";
    case token_defect::altered_payload: return "altered_payload";
    case token_defect::impostor_key: return "impostor_key";
    case token_defect::wrong_issuer: return "wrong_issuer";
    case token_defect::wrong_audience: return "wrong_audience";
    case token_defect::expired: return "expired";
    case token_defect::unknown_kid: return "unknown_kid";
    case token_defect::unendorsed_key: return "unendorsed_key";
    case token_defect::service_url_mismatch: return "service_url_mismatch";
    case token_defect::alg_none: return "alg_none";
    }
    return "?";
}

jwt::jwt_failure expected_failure(token_defect d) {
    using jwt::jwt_failure;
    switch (d) {
    case token_defect::none: return jwt_failure::none;
    case token_defect::altered_payload:
    case token_defect::impostor_key: return jwt_failure::bad_signature;
    case token_defect::wrong_issuer: return jwt_failure::wrong_issuer;
    case token_defect::wrong_audience: return jwt_failure::wrong_audience;
    case token_defect::expired: return jwt_failure::expired;
    case token_defect::unknown_kid: return jwt_failure::unknown_key;
    case token_defect::unendorsed_key: return jwt_failure::missing_endorsement;
    case token_defect::service_url_mismatch: return jwt_failure::service_url_mismatch;
    case token_defect::alg_none: return jwt_failure::unsupported_alg;
    }
    return jwt_failure::malformed;
}

std::string mint_defective_bot_token(const test_signing_key& signer, json claims, token_defect defect) {
    switch (defect) {
    case token_defect::none:
    case token_defect::unendorsed_key: break;
    case token_defect::altered_payload: {
        const std::string token = mint_token(signer, claims);
        claims["serviceurl"] = "https://attacker.example/";
        const auto dot1 = token.find('.'), dot2 = token.rfind('.');
        return token.substr(0, dot1 + 1) + base64url_encode(claims.dump()) + token.substr(dot2);
    }
    case token_defect::impostor_key: {
        auto impostor = test_signing_key::generate(signer.kid, signer.endorsements);
        return mint_token(impostor, claims);
    }
    case token_defect::wrong_issuer:
        claims["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";
        break;
    case token_defect::wrong_audience: claims["aud"] = "00000000-0000-0000-0000-another-bot"; break;
    case token_defect::expired: {
        // The "now" valid_bot_claims made the claims for: exp is an hour after it.
        const auto now = claims.value("exp", unix_now_seconds() + 3600) - 3600;
        claims["nbf"] = now - 3600 - 600;
        claims["exp"] = now - 600;
        break;
    }
    case token_defect::unknown_kid: return mint_token(signer, claims, {{"kid", "kid-nobody-published"}});
    case token_defect::service_url_mismatch:
        claims["serviceurl"] = "https://smba.trafficmanager.net/apac-other-region/";
        break;
    case token_defect::alg_none: {
        const std::string token = mint_token(signer, claims, {{"alg", "none"}});
        return token.substr(0, token.rfind('.') + 1); // the same header and payload, no signature
    }
    }
    return mint_token(signer, claims);
}

} // namespace cxos::test
