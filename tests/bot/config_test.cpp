#include "bot/config.hpp"

#include <catch2/catch.hpp>

using namespace cxos::bot;

namespace {

constexpr const char* good = R"(server:   { listen: "127.0.0.1:3999" }
storage:  { url: "sqlite:///tmp/x.db" }
slack:    { api_url: "http://127.0.0.1:9/api/" }
journey:
  stages: [discover, onboard, adopt, support, renew]
owners:
  billing: { slack: C0BILLING }
  triage:  { slack: C0TRIAGE }
routing:
  fallback: triage
  rules:
    - name: invoices
      when: { keywords: [invoice, refund, charge], severity: high }
      route_to: billing
)";

bool has_error(const config_result& r, int line, const std::string& text) {
    for (const auto& e : r.errors)
        if (e.line == line && e.message.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("the documented config shape loads", "[config]") {
    auto r = load_config_text(good);
    REQUIRE(r.ok());
    CHECK(r.config.listen_port == 3999);
    CHECK(r.config.storage_url == "sqlite:///tmp/x.db");
    CHECK(r.config.slack_api.scheme == "http");
    CHECK(r.config.slack_api.port == "9");
    CHECK(r.config.slack_api.path == "/api");
    REQUIRE(r.config.journey.rules.size() == 1);
    CHECK(r.config.journey.rules[0].keywords.size() == 3);
    CHECK(r.config.journey.rules[0].severities.size() == 1);
    CHECK(r.config.journey.owners.at("billing").slack_channel == "C0BILLING");
}

TEST_CASE("the example config in manifests/ is valid", "[config]") {
    auto r = load_config_file(std::string(CXOS_TEST_DATA) + "/../../manifests/cxos.example.yaml");
    for (const auto& e : r.errors) INFO(e.line << ": " << e.message);
    CHECK(r.ok());
}

TEST_CASE("each error names its line", "[config]") {
    auto r = load_config_text(R"(journey:
  stages: [onboard]
owners:
  billing: { slack: C0BILLING }
  silent: {}
routing:
  fallback: nobody
  rules:
    - name: empty
      route_to: billing
    - name: typo
      when: { stage: onbord, keyword: [x] }
      route_to: finance
)");
    CHECK(has_error(r, 5, "owner 'silent' has no channel"));
    CHECK(has_error(r, 7, "unknown owner 'nobody'"));
    CHECK(has_error(r, 9, "rule 'empty' is empty"));
    CHECK(has_error(r, 12, "unknown stage 'onbord'"));
    CHECK(has_error(r, 12, "unknown key 'keyword'"));
    CHECK(has_error(r, 13, "unknown owner 'finance'"));
    CHECK(r.errors.size() == 6);
}

TEST_CASE("remote URLs must be https unless loopback", "[config]") {
    endpoint_url e;
    CHECK(parse_endpoint_url("https://slack.com/api", e).empty());
    CHECK(e.port == "443");
    CHECK(parse_endpoint_url("http://localhost:8080/api", e).empty());
    CHECK_THAT(parse_endpoint_url("http://slack.com/api", e), Catch::Contains("https"));
    CHECK_FALSE(parse_endpoint_url("not a url", e).empty());
}

TEST_CASE("YAML syntax errors carry a line", "[config]") {
    auto r = load_config_text("journey:\n  stages: [a, b\nowners: {}\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].line > 0);
}

TEST_CASE("a council section sets channel and schedule and zone and votes", "[config][council]") {
    auto r = load_config_text(std::string(good) + R"(council:
  slack_channel: C0COUNCIL
  schedule: "WED 14:30"
  timezone: Europe/Berlin
  max_items: 7
  vote_reactions: { prioritise: [":heart:", "+1"], not_now: ":-1:" }
)");
    for (const auto& e : r.errors) INFO(e.line << ": " << e.message);
    REQUIRE(r.ok());
    const auto& c = r.config.council;
    CHECK(c.enabled());
    CHECK(c.slack_channel == "C0COUNCIL");
    CHECK(c.schedule.weekday == 3);
    CHECK(c.schedule.hour == 14);
    CHECK(c.schedule.minute == 30);
    CHECK(c.schedule.timezone == "Europe/Berlin");
    CHECK(c.max_items == 7);
    CHECK(c.prioritise_reactions == std::vector<std::string>{"heart", "+1"});
    CHECK(c.not_now_reactions == std::vector<std::string>{"-1"});
}

TEST_CASE("without a council section the council is off with its defaults", "[config][council]") {
    auto r = load_config_text(good);
    REQUIRE(r.ok());
    CHECK_FALSE(r.config.council.enabled());
    CHECK(r.config.council.max_items == 10);
    CHECK(r.config.council.schedule.weekday == 1);
    CHECK(r.config.council.schedule.timezone == "UTC");
}

TEST_CASE("council errors name their line", "[config][council]") {
    // `good` is 14 lines long: the council section starts on line 15.
    auto r = load_config_text(std::string(good) + R"(council:
  slack_channel: C0COUNCIL
  schedule: "WEDS 2pm"
  timezone: Mars/Olympus_Mons
  max_items: 0
  agenda_size: 5
)");
    for (const auto& e : r.errors) INFO(e.line << ": " << e.message);
    CHECK(has_error(r, 17, "council.schedule must look like"));
    CHECK(has_error(r, 18, "council.timezone 'Mars/Olympus_Mons'"));
    CHECK(has_error(r, 19, "council.max_items must be a number from 1 to 40"));
    CHECK(has_error(r, 20, "unknown key 'agenda_size' in council"));
    CHECK(r.errors.size() == 4);
    CHECK(load_config_text(std::string(good) + "council:\n  slack_channel: C0COUNCIL\n  max_items: 41\n").errors.size() == 1);
    CHECK(load_config_text(std::string(good) + "council:\n  slack_channel: C0COUNCIL\n  max_items: 7x\n").errors.size() == 1);
}

TEST_CASE("a council without a channel is an error", "[config][council]") {
    auto r = load_config_text(std::string(good) + "council:\n  schedule: \"MON 09:00\"\n");
    for (const auto& e : r.errors) INFO(e.line << ": " << e.message);
    CHECK(r.errors.size() == 1);
    // The error sits on the section's first key (yaml-cpp marks a block map there).
    CHECK(has_error(r, 16, "council.slack_channel is required"));
    CHECK_FALSE(r.config.council.enabled());
}

TEST_CASE("economics and the public URL are read and checked", "[config][economics]") {
    auto off = load_config_text(good);
    REQUIRE(off.ok());
    CHECK_FALSE(off.config.economics.enabled());
    CHECK(off.config.public_url.empty());

    auto on = load_config_text(std::string(good) + R"(economics: { cost_per_contact: 6.50, currency: CHF, sources: { zendesk: 9 }, channels: { C0VIP: 12 } }
public_url: "https://cx.example.com/"
)");
    REQUIRE(on.ok());
    CHECK(on.config.economics.cost_per_contact == 6.5);
    CHECK(on.config.economics.currency == "CHF");
    CHECK(on.config.economics.cost_for("zendesk") == 9);
    CHECK(on.config.economics.cost_for("slack", "C0VIP") == 12);
    CHECK(on.config.public_url == "https://cx.example.com");

    auto bad = load_config_text(std::string(good) + R"(economics:
  cost_per_contact: -1
  currency: euro
  sources: { zendesk: lots }
  budget: 3
public_url: "http://cx.example.com"
)");
    CHECK(has_error(bad, 16, "economics.cost_per_contact must be an amount of 0 or more"));
    CHECK(has_error(bad, 17, "three-letter ISO 4217"));
    CHECK(has_error(bad, 18, "economics.sources.zendesk must be an amount"));
    CHECK(has_error(bad, 19, "unknown key 'budget' in economics"));
    CHECK(has_error(bad, 20, "public_url"));
    auto missing = load_config_text(std::string(good) + "economics: { currency: EUR }\n");
    CHECK(has_error(missing, 15, "economics.cost_per_contact is required"));
}
