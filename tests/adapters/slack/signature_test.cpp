#include "adapters/slack/signature.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

using cxos::slack::slack_signature_verifier;
using cxos::slack::verify_result;

namespace {
nlohmann::json vector_file() {
    std::ifstream in(std::string(CXOS_TEST_DATA) + "/slack-signature-vector.json");
    return nlohmann::json::parse(in);
}

// Slack's worked example, as a request and the verifier that accepts it.
struct signed_example {
    nlohmann::json v = vector_file();
    slack_signature_verifier verifier{v["signing_secret"].get<std::string>()};
    std::string ts = v["headers"]["X-Slack-Request-Timestamp"];
    std::string sig = v["headers"]["X-Slack-Signature"];
    std::string body = v["body"];
    std::int64_t now = std::stoll(ts);
};
} // namespace

TEST_CASE("Slack's published worked example verifies", "[signature]") {
    auto v = vector_file();
    slack_signature_verifier verifier(v["signing_secret"].get<std::string>());
    const std::string ts = v["headers"]["X-Slack-Request-Timestamp"];
    const std::string sig = v["headers"]["X-Slack-Signature"];
    const std::string body = v["body"];
    const std::int64_t then = std::stoll(ts);
    CHECK(verifier.sign(ts, body) == sig);
    CHECK(verifier.verify(ts, sig, body, then) == verify_result::ok);
    CHECK(verifier.verify(ts, sig, body, then + 300) == verify_result::ok);
}

TEST_CASE("the replay window is 5 minutes both ways", "[signature]") {
    auto v = vector_file();
    slack_signature_verifier verifier(v["signing_secret"].get<std::string>());
    const std::string ts = v["headers"]["X-Slack-Request-Timestamp"];
    const std::string sig = v["headers"]["X-Slack-Signature"];
    const std::int64_t then = std::stoll(ts);
    CHECK(verifier.verify(ts, sig, v["body"].get<std::string>(), then + 301) == verify_result::stale_timestamp);
    // A timestamp from the future is refused too (Bolt accepts it; cxos does not).
    CHECK(verifier.verify(ts, sig, v["body"].get<std::string>(), then - 301) == verify_result::stale_timestamp);
}

TEST_CASE("any change to body, signature or secret fails", "[signature]") {
    auto v = vector_file();
    const std::string secret = v["signing_secret"];
    const std::string ts = v["headers"]["X-Slack-Request-Timestamp"];
    const std::string sig = v["headers"]["X-Slack-Signature"];
    std::string body = v["body"];
    const std::int64_t now = std::stoll(ts);
    slack_signature_verifier verifier(secret);
    CHECK(verifier.verify(ts, sig, body + "x", now) == verify_result::bad_signature);
    std::string flipped = sig;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK(verifier.verify(ts, flipped, body, now) == verify_result::bad_signature);
    CHECK(verifier.verify(ts, sig.substr(0, sig.size() - 1), body, now) == verify_result::bad_signature);
    CHECK(slack_signature_verifier(secret + "x").verify(ts, sig, body, now) == verify_result::bad_signature);
    CHECK(verifier.verify("", sig, body, now) == verify_result::missing_headers);
    CHECK(verifier.verify(ts, "", body, now) == verify_result::missing_headers);
    CHECK(verifier.verify("15314x0618", sig, body, now) == verify_result::bad_timestamp);
}

TEST_CASE("an empty signing secret is refused", "[signature]") {
    CHECK_THROWS_AS(slack_signature_verifier(""), std::invalid_argument);
}

TEST_CASE("one verifier answers each request on its own, whatever it verified before", "[signature]") {
    signed_example e;
    auto& [v, verifier, ts, sig, body, now] = e;
    for (int round = 0; round < 3; ++round) {
        CHECK(verifier.verify(ts, sig, body + "tampered", now) == verify_result::bad_signature);
        CHECK(verifier.sign(ts, "") != sig);
        CHECK(verifier.verify(ts, sig, body, now) == verify_result::ok);
    }
}

TEST_CASE("verifying on several threads at once gives every thread the right answer", "[signature]") {
    const signed_example e;
    std::atomic<int> right{0}, wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i) {
                // Half of them tampered, so that a context shared by mistake would mix the two.
                const bool tampered = (i + t) % 2 == 1;
                const auto verdict = e.verifier.verify(e.ts, e.sig, tampered ? e.body + "x" : e.body, e.now);
                (verdict == (tampered ? verify_result::bad_signature : verify_result::ok) ? right : wrong)++;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(wrong == 0);
    CHECK(right == 4 * 300);
}
