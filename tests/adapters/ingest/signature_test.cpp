// Per-source webhook signatures: v1= hex HMAC-SHA256 of "{timestamp}.{raw body}", 5-minute window.
#include "adapters/ingest/signature.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

using namespace cxos::ingest;

namespace {

const ingest_signature_verifier verifier({{"zendesk", "zd-secret"}, {"discourse", "dc-secret"}});
constexpr std::int64_t now = 1'764'000'000;
const std::string body = R"({"external_id":"T-1","description":"refund page is blank"})";

} // namespace

TEST_CASE("ingest signatures match a known HMAC recipe", "[ingest][signature]") {
    // printf '%s' '1764000000.{"a":1}' | openssl dgst -sha256 -hmac zd-secret
    CHECK(verifier.sign("zendesk", "1764000000", R"({"a":1})") ==
          "v1=5c5bbf3aa433d3c9df64dd6e0ebd969379c2ff85d11b5aaaab8231ef72a97884");
}

TEST_CASE("a request signed with its source's secret verifies", "[ingest][signature]") {
    const auto ts = std::to_string(now);
    CHECK(verifier.verify("zendesk", ts, verifier.sign("zendesk", ts, body), body, now) == verify_result::ok);
    // Upper-case hex is the same signature.
    auto upper = verifier.sign("zendesk", ts, body);
    std::transform(upper.begin() + 3, upper.end(), upper.begin() + 3, [](unsigned char c) { return std::toupper(c); });
    CHECK(verifier.verify("zendesk", ts, upper, body, now) == verify_result::ok);
}

TEST_CASE("every defect in an ingest signature is refused", "[ingest][signature]") {
    const auto ts = std::to_string(now);
    const auto good = verifier.sign("zendesk", ts, body);
    CHECK(verifier.verify("", ts, good, body, now) == verify_result::missing_headers);
    CHECK(verifier.verify("zendesk", "", good, body, now) == verify_result::missing_headers);
    CHECK(verifier.verify("zendesk", ts, "", body, now) == verify_result::missing_headers);
    CHECK(verifier.verify("jira", ts, good, body, now) == verify_result::unknown_source);
    CHECK(verifier.verify("zendesk", "12a", good, body, now) == verify_result::bad_timestamp);
    const auto old = std::to_string(now - 301);
    CHECK(verifier.verify("zendesk", old, verifier.sign("zendesk", old, body), body, now) == verify_result::stale_timestamp);
    const auto future = std::to_string(now + 301);
    CHECK(verifier.verify("zendesk", future, verifier.sign("zendesk", future, body), body, now) ==
          verify_result::stale_timestamp);
    const auto edge = std::to_string(now - 300);
    CHECK(verifier.verify("zendesk", edge, verifier.sign("zendesk", edge, body), body, now) == verify_result::ok);
    // Another source's secret, a changed body, a bad prefix, bad hex, a truncated signature.
    CHECK(verifier.verify("zendesk", ts, verifier.sign("discourse", ts, body), body, now) == verify_result::bad_signature);
    CHECK(verifier.verify("zendesk", ts, good, body + " ", now) == verify_result::bad_signature);
    CHECK(verifier.verify("zendesk", ts, "v0=" + good.substr(3), body, now) == verify_result::bad_signature);
    CHECK(verifier.verify("zendesk", ts, "v1=" + std::string(64, 'g'), body, now) == verify_result::bad_signature);
    CHECK(verifier.verify("zendesk", ts, good.substr(0, good.size() - 2), body, now) == verify_result::bad_signature);
}

TEST_CASE("a source without a secret is a programmer error", "[ingest][signature]") {
    const std::map<std::string, std::string> empty_secret = {{"zendesk", ""}};
    CHECK_THROWS_AS(ingest_signature_verifier(empty_secret), std::invalid_argument);
}
