// Slack Socket Mode end to end: the real cxos dials a fake Slack (Web API + TLS WebSocket with a
// test CA) instead of being called on /slack/events, and must answer exactly as it does over HTTP.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

// The fields of `/friction <text>` typed by U0AGENT in C0SUPPORT, as Socket Mode sends them.
json slash_payload(const std::string& text) {
    return {{"token", "legacy-unused"}, {"team_id", "T0TEAM"},       {"team_domain", "acme"},
            {"channel_id", "C0SUPPORT"}, {"channel_name", "support"}, {"user_id", "U0AGENT"},
            {"user_name", "agent"},      {"command", "/friction"},    {"text", text},
            {"api_app_id", "A0CXOS"},    {"is_enterprise_install", "false"},
            {"response_url", "https://hooks.slack.com/commands/T0TEAM/1/abc"},
            {"trigger_id", "7.1700000000.5f3e2a1b9c"}};
}

// cxos in Socket Mode against the fakes: no signing secret, the test CA as its trust store.
struct socket_world {
    fake_slack slack;
    fake_socket_mode sockets{slack};
    cxos_process cxos{slack.api_url(), e2e_routing, "mode: socket"};

    void start() {
        cxos.start({{"SLACK_APP_TOKEN", sockets.app_token()},
                    {"SSL_CERT_FILE", sockets.ca_file()},
                    {"SLACK_SIGNING_SECRET", unset_env}});
        REQUIRE(sockets.wait_for([](const socket_mode_state& s) { return s.open_connections() == 2; }));
    }

    // The ack of `envelope_id`, once cxos sent it.
    socket_ack ack_of(const std::string& envelope_id) {
        REQUIRE(sockets.wait_for([&](const socket_mode_state& s) { return s.ack_for(envelope_id) != nullptr; }));
        return *sockets.state().ack_for(envelope_id);
    }

    json command(const std::string& text, int connection = 0) {
        return ack_of(sockets.push("slash_commands", slash_payload(text), connection)).payload;
    }
};

std::string blocks_of(const json& body) { return body.contains("blocks") ? body["blocks"].dump() : ""; }

} // namespace

TEST_CASE("Socket Mode: /friction is acked over the socket and posted to the owner's channel", "[e2e][socket_mode]") {
    socket_world w;
    w.start();
    CHECK(eventually([&] { return w.cxos.log().find("Slack: Socket Mode, 2 connections, no public URL needed") != std::string::npos; }));
    const auto log = w.cxos.log();
    CHECK(log.find(w.sockets.app_token()) == std::string::npos);
    CHECK(log.find("ticket=") == std::string::npos);

    auto ack = w.command("the invoice shows the wrong currency #renew !high");
    CHECK(ack["response_type"] == "ephemeral");
    CHECK_THAT(ack["text"].get<std::string>(), Catch::Contains("Logged: item 1"));
    CHECK_THAT(blocks_of(ack), Catch::Contains("rule `invoices` matched 'invoice'"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(w.slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(blocks_of(w.slack.posts()[0].body), Catch::Contains("the invoice shows the wrong currency"));

    // Acknowledged means stored: the signal is there for the next command.
    CHECK_THAT(blocks_of(w.command("status 1")), Catch::Contains("rule `invoices`"));
    // Nothing arrives over HTTP in Socket Mode: the Request URL is closed.
    CHECK(slash(w.cxos.port(), "the refund failed").status == 404);

    // SIGTERM closes every connection with a WebSocket close, after the acks.
    CHECK(w.cxos.stop() == 0);
    auto s = w.sockets.state();
    for (const auto& c : s.connections) CHECK(c.closed_by_cxos);
}

TEST_CASE("Socket Mode: a form's errors come back as response_action errors", "[e2e][socket_mode]") {
    socket_world w;
    w.start();
    auto opened = w.command(""); // no text: the capture form, opened with views.open
    CHECK(opened.is_null());     // acknowledged with no payload, as the HTTP answer has no body
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return !s.views.empty(); }));
    auto view = w.slack.opened_views()[0].view;
    CHECK(w.slack.opened_views()[0].trigger_id == "7.1700000000.5f3e2a1b9c");

    auto errors = w.ack_of(w.sockets.push("interactive", view_submission_payload("U0AGENT", view, {{"link", "not a url"}})));
    CHECK(errors.payload["response_action"] == "errors");
    CHECK(errors.payload["errors"].contains("description"));
    CHECK(errors.payload["errors"].contains("link"));

    auto done = w.ack_of(w.sockets.push("interactive", view_submission_payload("U0AGENT", view,
        {{"description", "refund form rejects IBANs"}, {"stage", "renew"}, {"severity", "high"}})));
    CHECK(done.payload["response_action"] == "update");
    CHECK_THAT(done.payload.dump(), Catch::Contains("Logged: item 1"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(w.slack.posts()[0].channel == "C0BILLING");
    CHECK(w.slack.post_attempts() == 1); // the refused submission posted nothing
}

TEST_CASE("Socket Mode: an event redelivered with a retry number logs one signal", "[e2e][socket_mode]") {
    socket_world w;
    w.slack.seed_message("C0SUPPORT", "1700000200.000100", "U0CUSTOMERCARE", "the refund page times out");
    w.start();
    auto event = reaction_envelope("Ev0001", "U0AGENT", "triangular_flag_on_post", "C0SUPPORT", "1700000200.000100");
    auto first = w.ack_of(w.sockets.push("events_api", event));
    CHECK(first.payload.is_null()); // events take no response payload
    w.ack_of(w.sockets.push("events_api", event, 0, {1, "timeout", std::nullopt}));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(w.slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(blocks_of(w.slack.posts()[0].body), Catch::Contains("the refund page times out"));
    CHECK_THAT(w.command("status 2")["text"].get<std::string>(), Catch::Contains("No item 2"));
    CHECK(w.slack.posts().size() == 1);
}

TEST_CASE("Socket Mode: a refresh opens the new connection before the old one closes", "[e2e][socket_mode]") {
    socket_world w;
    w.start();
    // Slack asks connection 1 to refresh and still delivers one more envelope on it.
    w.sockets.disconnect(1, "refresh_requested");
    auto late = w.sockets.push("slash_commands", slash_payload("the invoice total is wrong"), 1);

    REQUIRE(w.sockets.wait_for([](const socket_mode_state& s) {
        auto* old = s.connection(1);
        return old && !old->open && s.open_connections() == 2;
    }));
    auto after = w.sockets.state();
    const auto* old = after.connection(1);
    const auto* replacement = after.connection(3);
    REQUIRE(replacement);
    CHECK(old->closed_by_cxos);
    CHECK(replacement->opened_at < old->closed_at); // the new one said hello before the old one closed
    CHECK(after.connection(2)->open); // the other connection was never touched
    CHECK(after.urls_issued == 3);
    REQUIRE(after.ack_for(late));
    CHECK(after.ack_for(late)->connection == 1); // answered on the old connection, before it closed
    CHECK_THAT(after.ack_for(late)->payload["text"].get<std::string>(), Catch::Contains("Logged: item 1"));

    // Slack's other reason for a refresh, on the new connection: served the same way.
    w.sockets.disconnect(3, "warning");
    REQUIRE(w.sockets.wait_for([](const socket_mode_state& s) {
        return s.connection(4) && s.connection(4)->open && !s.connection(3)->open;
    }));
    CHECK_THAT(w.command("the refund is late")["text"].get<std::string>(), Catch::Contains("Logged: item 2"));
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
    CHECK(w.sockets.state().refused_handshakes == 0); // each ticket was used once
}

TEST_CASE("Socket Mode: a dropped connection is redialled and a redelivered envelope counts once", "[e2e][socket_mode]") {
    socket_world w;
    w.slack.seed_message("C0SUPPORT", "1700000200.000100", "U0CUSTOMERCARE", "the refund page times out");
    w.start();
    auto event = reaction_envelope("Ev0009", "U0AGENT", "triangular_flag_on_post", "C0SUPPORT", "1700000200.000100");
    w.sockets.push("events_api", event, 1);
    w.sockets.drop(1); // the network fails right after the frame: its ack cannot arrive

    REQUIRE(w.sockets.wait_for([](const socket_mode_state& s) {
        return s.connection(1) && !s.connection(1)->open && s.connection(3) && s.connection(3)->open;
    }));
    CHECK_FALSE(w.sockets.state().connection(1)->closed_by_cxos);
    CHECK(w.sockets.state().open_connections() == 2);

    // Slack delivers what was never acknowledged again, with a retry number.
    auto again = w.sockets.redeliver_unacked(1);
    REQUIRE(again.size() == 1);
    w.ack_of(again[0]);
    REQUIRE(w.slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK_THAT(w.command("status 2")["text"].get<std::string>(), Catch::Contains("No item 2"));
    CHECK(w.slack.posts().size() == 1);
    CHECK(eventually([&] { return w.cxos.log().find("Socket Mode connection lost") != std::string::npos; }));
}

TEST_CASE("Socket Mode refuses to start without an app-level token, and needs no signing secret", "[e2e][socket_mode]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing, "mode: socket");
    std::string out;
    auto config = cxos.config_path();
    CHECK(cxos_process::run("serve --config " + config, out,
                            {{"SLACK_BOT_TOKEN", test_bot_token}, {"SLACK_SIGNING_SECRET", test_signing_secret}}) == 1);
    CHECK_THAT(out, Catch::Contains("SLACK_APP_TOKEN"));
    CHECK(cxos_process::run("serve --config " + config, out,
                            {{"SLACK_BOT_TOKEN", test_bot_token}, {"SLACK_APP_TOKEN", "xoxb-not-an-app-token"}}) == 1);
    CHECK_THAT(out, Catch::Contains("starts with xapp-"));
}

TEST_CASE("Socket Mode: link_disabled stops Socket Mode and says why", "[e2e][socket_mode]") {
    socket_world w;
    w.start();
    w.sockets.disconnect(1, "link_disabled");
    // Both connections close from cxos's side, and no new one is dialled.
    REQUIRE(w.sockets.wait_for([](const socket_mode_state& s) {
        return s.connections.size() == 2 && s.open_connections() == 0 && s.connection(1)->closed_by_cxos &&
               s.connection(2)->closed_by_cxos;
    }));
    CHECK(eventually([&] { return w.cxos.log().find("Slack disabled Socket Mode for this app (link_disabled)") != std::string::npos; }));
    CHECK(w.sockets.state().urls_issued == 2);
    // The rest of cxos keeps serving.
    CHECK(http_call(w.cxos.port(), "GET", "/healthz", "").status == 200);
    CHECK(w.cxos.stop() == 0);
}
