// What installing into many workspaces adds to config and start-up: channels qualified with their
// workspace, slack.install, and the box that seals stored tokens.
#include "bot/core/config.hpp"
#include "bot/core/secret_box.hpp"
#include "bot/slack/slack_workspaces.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace cxos::bot;

namespace {

const std::string key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=";

config_result with(const std::string& owners, const std::string& slack = "{}") {
    return load_config_text("slack: " + slack + "\njourney:\n  stages: [discover]\nowners:\n" + owners +
                            "routing:\n  fallback: billing\n");
}

bool has_error(const config_result& r, const std::string& text) {
    for (const auto& e : r.errors)
        if (e.message.find(text) != std::string::npos) return true;
    return false;
}

secret_box box(const std::string& base64) {
    std::string problem;
    auto b = secret_box::from_base64(base64, problem);
    REQUIRE(b);
    return *b;
}

} // namespace

TEST_CASE("an owner's Slack channel may name its workspace", "[config][install]") {
    auto r = with("  billing: { slack: \"T0ACME001:C0BILLING\" }\n  docs: { slack: C0DOCS }\n");
    REQUIRE(r.ok());
    const auto* billing = r.config.journey.find_owner("billing");
    REQUIRE(billing);
    CHECK(billing->slack_workspace == "T0ACME001");
    CHECK(billing->slack_channel == "C0BILLING");
    CHECK(r.config.journey.find_owner("docs")->slack_workspace.empty());

    CHECK(has_error(with("  billing: { slack: \"acme:C0BILLING\" }\n"), "T0123ABCD:C0BILLING"));
    CHECK(has_error(with("  billing: { slack: \"T0ACME001:billing\" }\n"), "owners.billing.slack"));
}

TEST_CASE("slack.install narrows the scopes asked for and refuses what is not a scope", "[config][install]") {
    auto r = with("  billing: { slack: C0BILLING }\n", "{ install: { scopes: [commands, chat:write] } }");
    REQUIRE(r.ok());
    CHECK(r.config.slack_install.scopes == std::vector<std::string>{"commands", "chat:write"});
    CHECK(has_error(with("  billing: { slack: C0BILLING }\n", "{ install: { scopes: [\"chat:write&x=1\"] } }"),
                    "not a Slack scope"));
    CHECK(has_error(with("  billing: { slack: C0BILLING }\n", "{ install: { token: x } }"), "unknown key 'token'"));
}

TEST_CASE("slack.install.allowed_teams lists workspaces and orgs, and an install is allowed by either", "[config][install]") {
    auto r = with("  billing: { slack: C0BILLING }\n", "{ install: { allowed_teams: [T0ACME001, E0GRID001] } }");
    REQUIRE(r.ok());
    const auto& allowed = r.config.slack_install.allowed_teams;
    CHECK(allowed == std::vector<std::string>{"T0ACME001", "E0GRID001"});
    CHECK(has_error(with("  billing: { slack: C0BILLING }\n", "{ install: { allowed_teams: [C0BILLING] } }"),
                    "not a workspace id"));

    cxos::slack::installed_bot acme, globex, grid_member;
    acme.team_id = "T0ACME001";
    globex.team_id = "T0GLOBEX1";
    grid_member.team_id = "T0OTHER01";
    grid_member.enterprise_id = "E0GRID001";
    CHECK(install_allowed(acme, allowed));
    CHECK_FALSE(install_allowed(globex, allowed));
    CHECK(install_allowed(grid_member, allowed));
    CHECK(install_allowed(globex, {})); // no list: any workspace
}

TEST_CASE("a sealed token opens only with its key, for its workspace, unchanged", "[install][crypto]") {
    auto sealer = box(key);
    const auto sealed = sealer.seal("xoxb-acme-token", "slack bot token T0ACME001");
    CHECK(sealed.rfind("v1:", 0) == 0);
    CHECK(sealed.find("xoxb") == std::string::npos);
    CHECK(sealer.seal("xoxb-acme-token", "slack bot token T0ACME001") != sealed); // a fresh nonce each time
    CHECK(sealer.open(sealed, "slack bot token T0ACME001") == std::optional<std::string>("xoxb-acme-token"));

    CHECK_FALSE(sealer.open(sealed, "slack bot token T0GLOBEX1")); // moved to another workspace's row
    CHECK_FALSE(box("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").open(sealed, "slack bot token T0ACME001"));
    auto changed = sealed;
    changed[10] = changed[10] == 'A' ? 'B' : 'A';
    CHECK_FALSE(sealer.open(changed, "slack bot token T0ACME001"));
    CHECK_FALSE(sealer.open("xoxb-acme-token", "slack bot token T0ACME001"));
}

TEST_CASE("CXOS_ENCRYPTION_KEY must be 32 bytes of base64", "[install][crypto]") {
    std::string problem;
    CHECK_FALSE(secret_box::from_base64("c2hvcnQ=", problem));
    CHECK_THAT(problem, Catch::Contains("32 bytes") && Catch::Contains("openssl rand -base64 32"));
    CHECK_FALSE(secret_box::from_base64("not base64 at all!", problem));
    CHECK(random_token().size() == 43);
    CHECK(random_token() != random_token());
}
