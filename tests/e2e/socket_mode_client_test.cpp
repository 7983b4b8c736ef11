// The Socket Mode client in process, against the fake Slack, with timeouts short enough to watch
// it ping, give up on a silent peer, and refuse to ack an answer that is not a success.
#include "bot/slack/slack_socket_mode.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/slack_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <future>
#include <thread>

using namespace cxos::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace bot = cxos::bot;
using nlohmann::json;

namespace {

// What the handler answers: a command whose text is "fail" gets a 503 (a store that cannot write).
asio::awaitable<bot::http_response> answer(cxos::slack::inbound request, int) {
    auto* cmd = std::get_if<cxos::slack::slash_command>(&request);
    if (cmd && cmd->text == "fail") co_return bot::text_response(503, "nothing was stored\n");
    co_return bot::json_response(200, json{{"text", "ok"}}.dump());
}

// The client on its own io thread; the test talks to it only through posts.
class running_client {
  public:
    running_client(const fake_slack& slack, const fake_socket_mode& sockets) {
        // The client trusts "the system store"; here that is the test CA.
        ::setenv("SSL_CERT_FILE", sockets.ca_file().c_str(), 1);
        bot::socket_mode_settings settings;
        REQUIRE(bot::parse_endpoint_url(slack.api_url(), settings.api).empty());
        settings.app_token = sockets.app_token();
        settings.timeouts.idle = 600ms; // a ping after 300 ms of silence, given up after 600 ms
        settings.backoff_first = 20ms;
        client_ = std::make_unique<bot::slack_socket_mode>(io_.get_executor(), web_, settings, answer);
        client_->start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~running_client() {
        std::promise<void> stopped;
        asio::post(io_, [&] {
            client_->stop();
            stopped.set_value();
        });
        stopped.get_future().wait();
        work_.reset();
        io_.stop();
        thread_.join();
    }

  private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
    bot::http_client web_{io_.get_executor()};
    std::unique_ptr<bot::slack_socket_mode> client_;
    std::thread thread_;
};

json command(const std::string& text) {
    return {{"command", "/friction"}, {"text", text}, {"user_id", "U0AGENT"}, {"team_id", "T0TEAM"},
            {"channel_id", "C0SUPPORT"}, {"trigger_id", "1.2.3"}};
}

} // namespace

TEST_CASE("Socket Mode pings a quiet Slack and redials one that went silent", "[socket_mode]") {
    fake_slack slack;
    fake_socket_mode sockets(slack);
    running_client client(slack, sockets);
    REQUIRE(sockets.wait_for([](const socket_mode_state& s) { return s.open_connections() == 2; }));

    // Nothing to say for a while: cxos pings, Slack (the fake) pongs, the connection stays.
    REQUIRE(sockets.wait_for([](const socket_mode_state& s) { return s.connection(1)->pings >= 2; }));
    CHECK(sockets.state().connection(1)->open);

    // A peer that stops answering (pings included) without closing is given up and replaced.
    sockets.go_silent(1);
    REQUIRE(sockets.wait_for([](const socket_mode_state& s) {
        return s.connection(3) && s.connection(3)->open && s.open_connections() == 2;
    }));
    auto id = sockets.push("slash_commands", command("hello"));
    REQUIRE(sockets.wait_for([&](const socket_mode_state& s) { return s.ack_for(id) != nullptr; }));
}

TEST_CASE("Socket Mode acks only a successful answer, with a payload only where Slack takes one", "[socket_mode]") {
    fake_slack slack;
    fake_socket_mode sockets(slack);
    running_client client(slack, sockets);
    REQUIRE(sockets.wait_for([](const socket_mode_state& s) { return s.open_connections() == 2; }));

    auto failed = sockets.push("slash_commands", command("fail"), 1);
    auto command_ok = sockets.push("slash_commands", command("hello"), 1);
    auto event = sockets.push("events_api", reaction_envelope("Ev1", "U0AGENT", "eyes", "C0SUPPORT", "1.2"), 1);
    REQUIRE(sockets.wait_for([&](const socket_mode_state& s) { return s.ack_for(command_ok) && s.ack_for(event); }));
    auto s = sockets.state();
    CHECK(s.ack_for(command_ok)->payload == json{{"text", "ok"}});
    CHECK(s.ack_for(event)->payload.is_null()); // events_api envelopes take no response payload
    // The 503 is left unacknowledged, so Slack delivers it again; the frames after it were served.
    CHECK(s.ack_for(failed) == nullptr);

    // A frame cxos cannot use is still acknowledged when it names an envelope, so it stops coming.
    auto unknown = sockets.push("future_type", json::object(), 1);
    REQUIRE(sockets.wait_for([&](const socket_mode_state& st) { return st.ack_for(unknown) != nullptr; }));
    CHECK(sockets.state().ack_for(unknown)->payload.is_null());
}
