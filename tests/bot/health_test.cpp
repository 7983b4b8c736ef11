// GET /healthz's verdict: a store that cannot commit fails it; a held platform degrades it.
#include "bot/ops/health.hpp"

#include <catch2/catch.hpp>

using namespace cxos::bot;
using namespace std::chrono_literals;

TEST_CASE("a store that commits and no holds is ok", "[health]") {
    auto r = assess_health({7, "", std::nullopt, {}, nullptr});
    CHECK(r.status == 200);
    CHECK(r.body == nlohmann::json{{"status", "ok"}, {"store", true}, {"outbox_depth", 7}});
}

TEST_CASE("a probe that cannot write fails health with the reason", "[health]") {
    auto r = assess_health({std::nullopt, "SQLite step: database or disk is full", std::nullopt, {}, nullptr});
    CHECK(r.status == 503);
    CHECK(r.body["status"] == "unavailable");
    CHECK(r.body["store"] == false);
    CHECK_THAT(r.body["problems"][0].get<std::string>(), Catch::Contains("database or disk is full"));
}

TEST_CASE("a write refused recently fails health even when the probe slipped through", "[health]") {
    auto r = assess_health({3, "", std::string("SQLite step: database or disk is full"), 12s, nullptr});
    CHECK(r.status == 503);
    CHECK_THAT(r.body["problems"][0].get<std::string>(), Catch::Contains("12 s ago") && Catch::Contains("disk is full"));
    // Long enough after the last refusal, with the probe committing, it is healthy again.
    CHECK(assess_health({3, "", std::string("SQLite step: database or disk is full"), 31s, nullptr}).status == 200);
}

TEST_CASE("held deliveries degrade health without taking the instance out of rotation", "[health]") {
    delivery_holds holds;
    holds.hold_platform("slack", "invalid_auth", 1000);
    auto r = assess_health({2, "", std::nullopt, {}, &holds});
    CHECK(r.status == 200);
    CHECK(r.body["status"] == "degraded");
    CHECK_THAT(r.body["problems"][0].get<std::string>(), Catch::Contains("slack") && Catch::Contains("invalid_auth"));
    holds.release("slack");
    CHECK(assess_health({2, "", std::nullopt, {}, &holds}).body["status"] == "ok");
}
