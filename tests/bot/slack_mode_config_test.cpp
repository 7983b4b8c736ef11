// slack.mode and slack.connections: Socket Mode is chosen in the config, its token in the environment.
#include "bot/core/config.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <string>

using namespace cxos::bot;

namespace {

config_result with_slack(const std::string& slack) {
    return load_config_text("slack: " + slack + R"(
journey:
  stages: [discover]
owners:
  triage: { slack: C0TRIAGE }
routing:
  fallback: triage
)");
}

bool has_error(const config_result& r, const std::string& text) {
    for (const auto& e : r.errors)
        if (e.message.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("Slack runs over HTTP unless the config asks for Socket Mode", "[config][socket_mode]") {
    auto plain = with_slack("{ command: /friction }");
    REQUIRE(plain.ok());
    CHECK(plain.config.slack_mode == app_config::slack_transport::http);

    auto socket = with_slack("{ mode: socket }");
    REQUIRE(socket.ok());
    CHECK(socket.config.slack_mode == app_config::slack_transport::socket);
    CHECK(socket.config.slack_socket_connections == 2); // Slack recommends more than one

    auto three = with_slack("{ mode: socket, connections: 3 }");
    REQUIRE(three.ok());
    CHECK(three.config.slack_socket_connections == 3);
}

TEST_CASE("a wrong Slack mode or connection count names the fix", "[config][socket_mode]") {
    CHECK(has_error(with_slack("{ mode: websocket }"), "slack.mode must be http"));
    CHECK(has_error(with_slack("{ mode: socket, connections: 11 }"), "slack.connections must be a whole number from 1 to 10"));
    CHECK(has_error(with_slack("{ mode: socket, connections: 0 }"), "slack.connections"));
    CHECK(has_error(with_slack("{ mode: socket, app_token: xapp-1 }"), "unknown key 'app_token'"));
}

TEST_CASE("the Socket Mode manifest is the HTTP one without its URLs", "[config][socket_mode]") {
    const std::string dir = std::string(CXOS_TEST_DATA) + "/../../manifests/";
    const auto http = YAML::LoadFile(dir + "slack-app.yaml");
    const auto socket = YAML::LoadFile(dir + "slack-app-socket.yaml");
    auto text = [](const YAML::Node& n) { return YAML::Dump(n); };
    CHECK(socket["settings"]["socket_mode_enabled"].as<bool>());
    CHECK_FALSE(http["settings"]["socket_mode_enabled"].as<bool>());
    // The same scopes, events, shortcut and command: only the transport differs.
    CHECK(text(socket["oauth_config"]) == text(http["oauth_config"]));
    CHECK(text(socket["features"]["shortcuts"]) == text(http["features"]["shortcuts"]));
    CHECK(text(socket["settings"]["event_subscriptions"]["bot_events"]) ==
          text(http["settings"]["event_subscriptions"]["bot_events"]));
    auto command = http["features"]["slash_commands"][0];
    command.remove("url");
    CHECK(text(socket["features"]["slash_commands"][0]) == text(command));
    CHECK(text(socket).find("url") == std::string::npos); // no Request URL anywhere
}
