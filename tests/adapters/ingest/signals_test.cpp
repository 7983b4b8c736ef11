// Decoding ingest bodies: one signal or a list, validated as a whole, routed like chat signals.
#include "adapters/ingest/signals.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::ingest;
using nlohmann::json;

namespace {

journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    j.owners["triage"] = owner{"triage", "C0TRIAGE", ""};
    j.fallback = "triage";
    routing_rule r;
    r.name = "invoices";
    r.keywords = {"invoice", "refund"};
    r.route_to = "billing";
    j.rules.push_back(r);
    return j;
}

bool has(const std::vector<std::string>& errors, const std::string& text) {
    for (const auto& e : errors)
        if (e == text) return true;
    return false;
}

} // namespace

TEST_CASE("one ingested signal becomes a routed neutral signal from its source", "[ingest][decode]") {
    auto out = decode_signals(json{{"external_id", "ZD-1042"}, {"description", "the refund page is blank"},
                                   {"stage", "renew"}, {"component", "knowledge"}, {"severity", "high"},
                                   {"customer", "Acme"}, {"link", "https://acme.zendesk.com/tickets/1042"},
                                   {"contact_count", 12}, {"error_rate", 0.07}},
                              "zendesk", journey(), 1000);
    REQUIRE(out.errors.empty());
    REQUIRE(out.signals.size() == 1);
    const auto& s = out.signals[0];
    CHECK(s.source.platform == "zendesk");
    CHECK(s.source.user_id == "zendesk");
    CHECK(s.external_id == "ZD-1042");
    CHECK(s.description == "the refund page is blank");
    CHECK(s.stage == "renew");
    CHECK(s.comp == component::knowledge);
    CHECK(s.sev == severity::high);
    CHECK(s.customer == "Acme");
    CHECK(s.link == "https://acme.zendesk.com/tickets/1042");
    CHECK(s.contacts == 12);
    CHECK(s.error_rate == 0.07);
    CHECK(s.created_at == 1000);
    CHECK(s.route.owner == "billing");
    CHECK(s.route.rule == "invoices");
}

TEST_CASE("a list of ingested signals keeps its order and defaults", "[ingest][decode]") {
    auto out = decode_signals(json{{"signals", {{{"external_id", "a"}, {"description", "cannot log in"}},
                                                {{"external_id", "b"}, {"description", "invoice wrong"}, {"source", "zendesk"}}}}},
                              "zendesk", journey(), 5);
    REQUIRE(out.errors.empty());
    REQUIRE(out.signals.size() == 2);
    CHECK(out.signals[0].external_id == "a");
    CHECK(out.signals[0].route.owner == "triage");
    CHECK(out.signals[0].contacts == 1);
    CHECK_FALSE(out.signals[0].error_rate);
    CHECK(out.signals[0].sev == severity::medium);
    CHECK(out.signals[1].route.owner == "billing");
}

TEST_CASE("every bad ingested signal is named by index and nothing is kept", "[ingest][decode]") {
    auto out = decode_signals(json{{"signals", {{{"external_id", "ok"}, {"description", "fine"}},
                                                {{"description", "no id"}, {"stage", "churn"}},
                                                {{"external_id", "c"}, {"description", " "}, {"component", "sales"},
                                                 {"severity", "urgent"}, {"contact_count", 0}, {"link", "ftp://x"}},
                                                {{"external_id", 7}, {"description", "d"}, {"source", "jira"},
                                                 {"error_rate", -1}, {"colour", "red"}},
                                                "not an object"}}},
                              "zendesk", journey(), 5);
    CHECK(out.signals.empty());
    CHECK(has(out.errors, "signals[1]: external_id is required"));
    CHECK(has(out.errors, "signals[1]: stage 'churn' is not a journey stage"));
    CHECK(has(out.errors, "signals[2]: description is empty"));
    CHECK(has(out.errors, "signals[2]: component 'sales' is not one of onboarding, community, education, knowledge, "
                          "marketing, intelligence"));
    CHECK(has(out.errors, "signals[2]: severity 'urgent' is not low, medium or high"));
    CHECK(has(out.errors, "signals[2]: contact_count must be a whole number from 1 to 1000000"));
    CHECK(has(out.errors, "signals[2]: link must be an http(s) URL"));
    CHECK(has(out.errors, "signals[3]: external_id must be a string"));
    CHECK(has(out.errors, "signals[3]: source 'jira' differs from the X-Cxos-Source header 'zendesk'"));
    CHECK(has(out.errors, "signals[3]: error_rate must not be negative"));
    CHECK(has(out.errors, "signals[3]: unknown field 'colour'"));
    CHECK(has(out.errors, "signals[4]: must be a JSON object"));
    CHECK(out.errors.size() == 12);
}

TEST_CASE("ingest bodies of the wrong shape are refused", "[ingest][decode]") {
    CHECK(has(decode_signals(json::array(), "zendesk", journey(), 0).errors,
              "the body must be a JSON object: one signal or {\"signals\": [...]}"));
    CHECK(has(decode_signals(json{{"signals", json::array()}}, "zendesk", journey(), 0).errors,
              "signals must be a non-empty array"));
    json many = {{"signals", json::array()}};
    for (int i = 0; i < 501; ++i) many["signals"].push_back({{"external_id", std::to_string(i)}, {"description", "x"}});
    CHECK(has(decode_signals(many, "zendesk", journey(), 0).errors, "at most 500 signals per request"));
}

TEST_CASE("text that is not UTF-8 is refused by name, whoever built the document", "[ingest][decode]") {
    // The endpoint's JSON parser refuses such bytes before decoding.
    CHECK(json::parse("{\"external_id\":\"1\",\"description\":\"x\xFF\"}", nullptr, false).is_discarded());
    // A document built in code can carry them; the decoder refuses them itself.
    auto out = decode_signals(json{{"external_id", "ZD-1"}, {"description", "x\xFF"}, {"customer", "\xC0\xAF"}},
                              "zendesk", journey(), 1000);
    CHECK(out.signals.empty());
    CHECK(has(out.errors, "signal: description is not valid UTF-8"));
    CHECK(has(out.errors, "signal: customer is not valid UTF-8"));
}
