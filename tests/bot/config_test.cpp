#include "bot/core/config.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>

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

// The good config with one of its lines (or the start of one) replaced: the usual way to vary one
// key against an otherwise valid file.
std::string good_with(std::string_view part, std::string_view replacement) {
    std::string text(good);
    const auto at = text.find(part);
    REQUIRE(at != std::string::npos);
    return text.replace(at, part.size(), replacement);
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

TEST_CASE("slack.hooks_url defaults to hooks.slack.com and is an https URL", "[config]") {
    auto defaults = load_config_text(good);
    REQUIRE(defaults.ok());
    CHECK(defaults.config.slack_hooks == endpoint_url{"https", "hooks.slack.com", "443", ""});
    std::string gov = good;
    gov.replace(gov.find("api_url"), 0, "hooks_url: \"https://hooks.slack-gov.com/\", ");
    auto set = load_config_text(gov);
    REQUIRE(set.ok());
    CHECK(set.config.slack_hooks == endpoint_url{"https", "hooks.slack-gov.com", "443", ""});
    std::string plain = good;
    plain.replace(plain.find("api_url"), 0, "hooks_url: \"http://hooks.slack.com\", ");
    CHECK(has_error(load_config_text(plain), 3, "slack.hooks_url"));
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
    CHECK(has_error(r, 16, "council.slack_channel (or council.teams_channel) is required"));
    CHECK_FALSE(r.config.council.enabled());
}

TEST_CASE("owners may have a Teams channel, or only one, the teams section names its peers", "[config][teams]") {
    const std::string text = R"(journey: { stages: [support] }
owners:
  billing: { slack: C0BILLING, teams: "19:billing@thread.tacv2" }
  docs:    { teams: "19:docs@thread.tacv2" }
routing: { fallback: billing }
teams:
  openid_metadata_url: http://127.0.0.1:7001/v1/.well-known/openidconfiguration
  token_url: "http://127.0.0.1:7001/{tenant}/oauth2/v2.0/token"
  service_url_allowlist: [http://127.0.0.1:7001/teams]
)";
    auto r = load_config_text(text);
    REQUIRE(r.ok());
    const auto* docs = r.config.journey.find_owner("docs");
    REQUIRE(docs);
    CHECK(docs->home_platform() == "teams");
    CHECK(docs->home_channel() == "19:docs@thread.tacv2");
    CHECK(r.config.journey.find_owner("billing")->home_platform() == "slack");
    CHECK(r.config.teams.openid_metadata.port == "7001");
    CHECK(r.config.teams.token_url == "http://127.0.0.1:7001/{tenant}/oauth2/v2.0/token");
    CHECK(r.config.teams.service_url_allowlist == std::vector<std::string>{"http://127.0.0.1:7001/teams/"});
    // Microsoft's global endpoint is not allowlisted here: channels never heard from are asked
    // at the first entry's /teams/ (here the entry itself, which already ends so).
    CHECK(r.config.teams.proactive_service_url == "http://127.0.0.1:7001/teams/");
}

TEST_CASE("Teams defaults are Microsoft's endpoints, bad Teams values are errors with lines", "[config][teams]") {
    auto defaults = load_config_text(good);
    CHECK(defaults.config.teams.openid_metadata.host == "login.botframework.com");
    CHECK(defaults.config.teams.service_url_allowlist == std::vector<std::string>{"https://smba.trafficmanager.net/"});
    CHECK(defaults.config.teams.proactive_service_url == "https://smba.trafficmanager.net/teams/");
    const std::string text = R"(journey: { stages: [support] }
owners:
  billing: { teams: "general" }
routing: { fallback: billing }
teams:
  token_url: http://login.example.com/token
  service_url_allowlist: [ftp://x]
)";
    auto r = load_config_text(text);
    CHECK(has_error(r, 3, "must be a Teams channel id"));
    CHECK(has_error(r, 6, "teams.token_url"));
    CHECK(has_error(r, 7, "teams.service_url_allowlist"));
    // The bot's token goes to the proactive endpoint: it must be allowlisted.
    auto outside = load_config_text(std::string(good) + "teams:\n  service_url_allowlist: [https://smba.infra.gcc.teams.microsoft.com/]\n"
                                                        "  proactive_service_url: https://smba.trafficmanager.net/teams/\n");
    CHECK_FALSE(outside.ok());
    CHECK(std::any_of(outside.errors.begin(), outside.errors.end(), [](const auto& e) {
        return e.message.find("teams.proactive_service_url must start with") != std::string::npos;
    }));
    // Unset, it is Microsoft's global endpoint when allowlisted, else the first entry's /teams/
    // (a government cloud's).
    auto proactive_with = [](const std::string& allowlist) {
        auto loaded = load_config_text(std::string(good) + "teams:\n  service_url_allowlist: " + allowlist + "\n");
        REQUIRE(loaded.ok());
        return loaded.config.teams.proactive_service_url;
    };
    CHECK(proactive_with("[https://smba.infra.gcc.teams.microsoft.com/, https://smba.trafficmanager.net/]") ==
          "https://smba.trafficmanager.net/teams/");
    CHECK(proactive_with("[https://smba.infra.gcc.teams.microsoft.com/]") == "https://smba.infra.gcc.teams.microsoft.com/teams/");
}

TEST_CASE("ingest sources name the environment variable of their secret", "[config][ingest]") {
    auto r = load_config_text(std::string(good) + "sources:\n  zendesk: { secret_env: ZENDESK_SECRET }\n"
                                                  "  product-analytics: { secret_env: PA_SECRET }\n");
    REQUIRE(r.ok());
    REQUIRE(r.config.sources.size() == 2);
    CHECK(r.config.sources[0].name == "zendesk");
    CHECK(r.config.sources[0].secret_env == "ZENDESK_SECRET");
    CHECK(r.config.sources[1].name == "product-analytics");

    auto bad = load_config_text(std::string(good) + "sources:\n"
                                                    "  slack: { secret_env: X }\n"
                                                    "  Zen Desk: { secret_env: Y }\n"
                                                    "  jira: {}\n"
                                                    "  discourse: { secret_env: \"abc123!\" }\n"
                                                    "  intercom: { secret_env: Z, secret: oops }\n");
    CHECK(has_error(bad, 16, "source 'slack' is a chat platform name"));
    CHECK(has_error(bad, 17, "source 'Zen Desk': use lower-case letters, digits, - and _"));
    CHECK(has_error(bad, 18, "source 'jira' needs secret_env"));
    CHECK(has_error(bad, 19, "secret_env must name an environment variable"));
    CHECK(has_error(bad, 20, "unknown key 'secret' in source 'intercom'"));
}

TEST_CASE("spike settings default to 3x, 5 reports and 7 days and are validated", "[config][spike]") {
    auto plain = load_config_text(good);
    REQUIRE(plain.ok());
    CHECK(plain.config.spikes.factor == 3.0);
    CHECK(plain.config.spikes.min_reports == 5);
    CHECK(plain.config.spikes.baseline_days == 7);

    auto tuned = load_config_text(std::string(good) + "spikes: { factor: 2.5, min_reports: 10, baseline_days: 14 }\n");
    REQUIRE(tuned.ok());
    CHECK(tuned.config.spikes.factor == 2.5);
    CHECK(tuned.config.spikes.min_reports == 10);
    CHECK(tuned.config.spikes.baseline_days == 14);

    auto bad = load_config_text(std::string(good) + "spikes:\n  factor: 0.5\n  min_reports: lots\n  baseline_days: 365\n  window: 3\n");
    CHECK(has_error(bad, 16, "spikes.factor must be a number from 1 to 100"));
    CHECK(has_error(bad, 17, "spikes.min_reports must be a whole number from 1 to 100000"));
    CHECK(has_error(bad, 18, "spikes.baseline_days must be a whole number from 1 to 90"));
    CHECK(has_error(bad, 19, "unknown key 'window' in spikes"));
}

TEST_CASE("items set the regression window and the share under which a fix holds", "[config][golden]") {
    auto plain = load_config_text(good);
    REQUIRE(plain.ok());
    CHECK(plain.config.items.regression_window_days == 60);
    CHECK(plain.config.items.fix_holds_share == 0.2);

    auto tuned = load_config_text(std::string(good) + "items: { regression_window_days: 30, fix_holds_share: 0.1 }\n");
    REQUIRE(tuned.ok());
    // Intake and the council read their own copies: all three must agree.
    CHECK(tuned.config.journey.items.regression_window_days == 30);
    CHECK(tuned.config.council.items.fix_holds_share == 0.1);

    auto bad = load_config_text(std::string(good) + "items:\n  fix_holds_share: 1\n  regression_window_days: 0\n  window: 3\n");
    CHECK(has_error(bad, 16, "items.fix_holds_share must be a share from 0 up to (not including) 1"));
    CHECK(has_error(bad, 17, "items.regression_window_days must be a whole number from 1 to 3650"));
    CHECK(has_error(bad, 18, "unknown key 'window' in items"));
}

TEST_CASE("grouping thresholds and language default, are read and checked, and the CX lead's channel is read", "[config][grouping]") {
    auto plain = load_config_text(good);
    REQUIRE(plain.ok());
    CHECK(plain.config.grouping.thresholds.auto_join == Approx(0.46));
    CHECK(plain.config.grouping.thresholds.suggest == Approx(0.12));
    CHECK(plain.config.routing_suggestions_channel.empty());

    const auto routed = good_with("  fallback: triage\n", "  fallback: triage\n  suggestions_channel: C0CXLEAD\n");
    auto tuned = load_config_text(routed + "grouping: { auto_join: 0.6, suggest: 0.2, language: en }\n");
    REQUIRE(tuned.ok());
    CHECK(tuned.config.grouping.thresholds.auto_join == Approx(0.6));
    CHECK(tuned.config.grouping.thresholds.suggest == Approx(0.2));
    CHECK(tuned.config.routing_suggestions_channel == "C0CXLEAD");

    auto bad = load_config_text(std::string(good) + "grouping:\n  auto_join: 1.5\n  suggest: 0\n  language: xx\n  window: 3\n");
    CHECK(has_error(bad, 16, "grouping.auto_join must be a number above 0 and at most 1"));
    CHECK(has_error(bad, 17, "grouping.suggest must be a number above 0 and at most 1"));
    CHECK(has_error(bad, 18, "'xx' is not supported"));
    CHECK(has_error(bad, 19, "unknown key 'window' in grouping"));
    auto crossed = load_config_text(std::string(good) + "grouping: { auto_join: 0.3, suggest: 0.4 }\n");
    CHECK_FALSE(crossed.ok());
    CHECK(has_error(crossed, 15, "grouping.suggest must be below grouping.auto_join"));
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

TEST_CASE("a config that is not UTF-8 text is refused at the line where it stops being text", "[config]") {
    // yaml-cpp took the bytes into an owner's name and the error about it; renders of either failed.
    auto r = load_config_text(std::string(good) + "  caf\xC3\xA9:  { slack: C0CAFE }\n  bar\xFF: { slack: C0BAR }\n");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, 16, "not valid UTF-8"));
    // yaml-cpp read a NUL as a lone 0x85 byte in the owner's channel.
    r = load_config_text(std::string(good) + "  docs: { slack: \"C0DO" + std::string(1, '\0') + "NE\" }\n");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, 15, "not valid UTF-8 text"));
}

TEST_CASE("the outbox claim lease defaults to 30 seconds and is bounded", "[config]") {
    auto defaults = load_config_text(good);
    REQUIRE(defaults.ok());
    CHECK(defaults.config.storage_claim_lease_seconds == 30);
    const auto with_lease = [](const std::string& value) {
        return load_config_text(good_with("storage:  { url: \"sqlite:///tmp/x.db\" }",
                                          "storage:  { url: \"sqlite:///tmp/x.db\", claim_lease_seconds: " + value + " }"));
    };
    auto two = with_lease("2");
    REQUIRE(two.ok());
    CHECK(two.config.storage_claim_lease_seconds == 2);
    CHECK(has_error(with_lease("0"), 2, "storage.claim_lease_seconds"));
    CHECK(has_error(with_lease("3601"), 2, "storage.claim_lease_seconds"));
}

TEST_CASE("the I/O thread's busy poll is off by default, can be turned on and is bounded", "[config]") {
    CHECK(load_config_text(good).config.busy_poll_us == 0);
    const auto with_poll = [](const std::string& value) {
        return load_config_text(good_with("server:   { listen: \"127.0.0.1:3999\" }",
                                          "server:   { listen: \"127.0.0.1:3999\", busy_poll_us: " + value + " }"));
    };
    auto on = with_poll("50");
    REQUIRE(on.ok());
    CHECK(on.config.busy_poll_us == 50);
    CHECK(on.config.listen_port == 3999);
    CHECK(with_poll("0").config.busy_poll_us == 0);
    CHECK(has_error(with_poll("-1"), 1, "server.busy_poll_us"));
    CHECK(has_error(with_poll("1001"), 1, "server.busy_poll_us"));
}

TEST_CASE("routing.suggest_after_reroutes defaults to 3 and is checked", "[config][routing]") {
    CHECK(load_config_text(good).config.routing_suggest_after_reroutes == 3);
    auto five = load_config_text(good_with("  fallback: triage\n", "  fallback: triage\n  suggest_after_reroutes: 5\n"));
    REQUIRE(five.ok());
    CHECK(five.config.routing_suggest_after_reroutes == 5);

    auto refused = load_config_text(good_with("  fallback: triage\n", "  fallback: triage\n  suggest_after_reroutes: 1\n"));
    CHECK_FALSE(refused.ok());
    CHECK(std::any_of(refused.errors.begin(), refused.errors.end(), [](const auto& e) {
        return e.message.find("routing.suggest_after_reroutes must be a whole number from 2 to 1000") != std::string::npos;
    }));
}
