#include "adapters/slack/form.hpp"
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/socket_mode.hpp"

#include <catch2/catch.hpp>
#include <tuple>
#include <nlohmann/json.hpp>

using namespace cxos::slack;
using nlohmann::json;

namespace {

socket_envelope envelope_of(const json& frame) {
    auto decoded = decode_socket_frame(frame.dump());
    REQUIRE(std::holds_alternative<socket_envelope>(decoded));
    return std::get<socket_envelope>(decoded);
}

} // namespace

TEST_CASE("hello and disconnect frames decode with what cxos logs", "[socket_mode]") {
    auto hello = decode_socket_frame(R"({"type":"hello","num_connections":2,
        "debug_info":{"host":"applink-7","build_number":10,"approximate_connection_time":18060},
        "connection_info":{"app_id":"A0CXOS"}})");
    REQUIRE(std::holds_alternative<socket_hello>(hello));
    CHECK(std::get<socket_hello>(hello).num_connections == 2);
    CHECK(std::get<socket_hello>(hello).approximate_connection_time_s == 18060);
    CHECK(std::get<socket_hello>(hello).host == "applink-7");

    for (auto [text, reason] : {std::pair{"warning", disconnect_reason::warning},
                                std::pair{"refresh_requested", disconnect_reason::refresh_requested},
                                std::pair{"link_disabled", disconnect_reason::link_disabled},
                                std::pair{"too_many_websockets", disconnect_reason::other}}) {
        auto frame = decode_socket_frame(json{{"type", "disconnect"}, {"reason", text},
                                              {"debug_info", {{"host", "applink-7"}}}}.dump());
        REQUIRE(std::holds_alternative<socket_disconnect>(frame));
        CHECK(std::get<socket_disconnect>(frame).reason == reason);
        CHECK(std::get<socket_disconnect>(frame).reason_text == text);
    }
}

TEST_CASE("a slash command envelope is the same value the HTTP form decodes to", "[socket_mode]") {
    json fields = {{"token", "legacy"},          {"team_id", "T1"},       {"team_domain", "acme"},
                   {"channel_id", "C1"},         {"channel_name", "x"},   {"user_id", "U1"},
                   {"user_name", "ana"},         {"command", "/friction"}, {"text", "the invoice &lt;= €5 !high"},
                   {"api_app_id", "A1"},         {"is_enterprise_install", "false"},
                   {"response_url", "https://hooks.slack.com/commands/1"}, {"trigger_id", "1.2.3"}};
    auto e = envelope_of({{"envelope_id", "e-1"}, {"type", "slash_commands"}, {"payload", fields},
                          {"accepts_response_payload", true}});
    CHECK(e.envelope_id == "e-1");
    CHECK(e.accepts_response_payload);
    auto* cmd = std::get_if<slash_command>(&e.request);
    REQUIRE(cmd);

    auto over_http = decode("application/x-www-form-urlencoded",
                            "command=%2Ffriction&text=the+invoice+%26lt%3B%3D+%E2%82%AC5+%21high&user_id=U1"
                            "&user_name=ana&channel_id=C1&team_id=T1&trigger_id=1.2.3"
                            "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1");
    auto* same = std::get_if<slash_command>(&over_http);
    REQUIRE(same);
    CHECK(cmd->text == "the invoice <= €5 !high");
    CHECK(std::tie(cmd->command, cmd->text, cmd->team_id, cmd->channel_id, cmd->user_id, cmd->user_name,
                   cmd->response_url, cmd->trigger_id) ==
          std::tie(same->command, same->text, same->team_id, same->channel_id, same->user_id, same->user_name,
                   same->response_url, same->trigger_id));
}

TEST_CASE("interactive and events_api envelopes carry the HTTP payloads", "[socket_mode]") {
    json view_submission = {{"type", "view_submission"}, {"view", {{"callback_id", "capture"}}}};
    auto i = envelope_of({{"envelope_id", "e-2"}, {"type", "interactive"}, {"payload", view_submission},
                          {"accepts_response_payload", true}});
    REQUIRE(std::holds_alternative<interaction>(i.request));
    CHECK(std::get<interaction>(i.request).type == "view_submission");
    CHECK(std::get<interaction>(i.request).payload == view_submission);

    json body = {{"type", "event_callback"}, {"event_id", "Ev1"}, {"event", {{"type", "reaction_added"}}}};
    auto e = envelope_of({{"envelope_id", "e-3"}, {"type", "events_api"}, {"payload", body},
                          {"accepts_response_payload", false}, {"retry_attempt", 1}, {"retry_reason", "timeout"}});
    CHECK_FALSE(e.accepts_response_payload);
    CHECK(e.retry_attempt == 1);
    CHECK(e.retry_reason == "timeout");
    auto over_http = decode("application/json", body.dump());
    REQUIRE(std::holds_alternative<event_callback>(e.request));
    REQUIRE(std::holds_alternative<event_callback>(over_http));
    CHECK(std::get<event_callback>(e.request).event_id == std::get<event_callback>(over_http).event_id);
    CHECK(std::get<event_callback>(e.request).payload == std::get<event_callback>(over_http).payload);
}

TEST_CASE("bad frames are values that say what is wrong", "[socket_mode]") {
    CHECK(std::holds_alternative<socket_bad_frame>(decode_socket_frame("{nope")));
    CHECK(std::holds_alternative<socket_bad_frame>(decode_socket_frame("[1,2]")));
    CHECK(std::holds_alternative<socket_bad_frame>(decode_socket_frame(R"({"type":5})")));

    // An envelope type this version does not know is still acknowledged, so Slack stops sending it.
    auto unknown = decode_socket_frame(R"({"type":"future_thing","envelope_id":"e-9","payload":{}})");
    REQUIRE(std::holds_alternative<socket_bad_frame>(unknown));
    CHECK(std::get<socket_bad_frame>(unknown).envelope_id == "e-9");
    CHECK_THAT(std::get<socket_bad_frame>(unknown).message, Catch::Contains("future_thing"));

    auto no_id = decode_socket_frame(R"({"type":"events_api","payload":{"type":"event_callback"}})");
    REQUIRE(std::holds_alternative<socket_bad_frame>(no_id));

    // A known envelope with a payload that is not what its type promises: the core refuses it.
    auto empty = envelope_of({{"envelope_id", "e-4"}, {"type", "slash_commands"}, {"payload", {{"text", "hi"}}}});
    CHECK(std::holds_alternative<malformed_request>(empty.request));
    auto missing = envelope_of({{"envelope_id", "e-5"}, {"type", "interactive"}});
    CHECK(std::holds_alternative<malformed_request>(missing.request));
    auto wrong_type = envelope_of({{"envelope_id", "e-6"}, {"type", "events_api"}, {"payload", "text"},
                                   {"retry_attempt", "1"}});
    CHECK(std::holds_alternative<malformed_request>(wrong_type.request));
    CHECK(wrong_type.retry_attempt == 0); // a wrong type reads as absent
}

TEST_CASE("the ack carries the HTTP answer's body as its payload", "[socket_mode]") {
    CHECK(json::parse(encode_socket_ack("e-1", json())) == json{{"envelope_id", "e-1"}});
    CHECK(json::parse(encode_socket_ack("e-1", json::object())) == json{{"envelope_id", "e-1"}});
    json errors = {{"response_action", "errors"}, {"errors", {{"description", "Say what happened."}}}};
    CHECK(json::parse(encode_socket_ack("e-2", errors)) == json{{"envelope_id", "e-2"}, {"payload", errors}});
    // Text cxos writes never throws, even when it is not UTF-8.
    auto odd = encode_socket_ack("e-3", json{{"text", std::string("caf\xe9")}});
    CHECK_THAT(odd, Catch::Contains("e-3"));
}

TEST_CASE("wss URLs split into host, port and the target with its ticket", "[socket_mode]") {
    auto u = parse_socket_url("wss://wss-primary.slack.com/link/?ticket=abc&app_id=A1");
    REQUIRE(u);
    CHECK(u->host == "wss-primary.slack.com");
    CHECK(u->port == "443");
    CHECK(u->target == "/link/?ticket=abc&app_id=A1");
    auto local = parse_socket_url("wss://127.0.0.1:4433/link?ticket=t-1");
    REQUIRE(local);
    CHECK(local->port == "4433");
    CHECK(local->target == "/link?ticket=t-1");
    // A colon with no digits is the scheme's port, not an empty one to connect to.
    auto bare_colon = parse_socket_url("wss://wss-primary.slack.com:/link");
    REQUIRE(bare_colon);
    CHECK(bare_colon->port == "443");
    CHECK_FALSE(parse_socket_url("wss://wss-primary.slack.com:link/x")); // no port, no path
    CHECK_FALSE(parse_socket_url("ws://127.0.0.1/link"));
    CHECK_FALSE(parse_socket_url("https://slack.com/link"));
    CHECK_FALSE(parse_socket_url("not a url"));
}

TEST_CASE("apps.connections.open answers: a url, a pause, or a token an operator must fix", "[socket_mode]") {
    auto ok = classify_connections_open(200, "", R"({"ok":true,"url":"wss://wss-primary.slack.com/link/?ticket=t"})");
    CHECK(ok.error.empty());
    CHECK(ok.url == "wss://wss-primary.slack.com/link/?ticket=t");

    auto limited = classify_connections_open(429, "30", "");
    CHECK(limited.url.empty());
    CHECK(limited.retry_after_seconds == 30);

    auto revoked = classify_connections_open(200, "", R"({"ok":false,"error":"invalid_auth"})");
    CHECK(revoked.credential_problem);
    CHECK(revoked.error == "invalid_auth");
    auto bot_token = classify_connections_open(200, "", R"({"ok":false,"error":"not_allowed_token_type"})");
    CHECK(bot_token.credential_problem);

    auto down = classify_connections_open(503, "", "");
    CHECK_FALSE(down.credential_problem);
    CHECK(down.error == "HTTP 503");
    auto garbage = classify_connections_open(200, "", "<html>");
    CHECK_FALSE(garbage.error.empty());
    auto no_url = classify_connections_open(200, "", R"({"ok":true,"url":"https://example.com"})");
    CHECK(no_url.url.empty());
    CHECK_FALSE(no_url.error.empty());
}
