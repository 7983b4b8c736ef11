// The durable outbox against a misbehaving Slack: rate limits, outages, dead letters, crashes.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <set>
#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string text_of(const posted_message& p) { return p.body["blocks"].dump(); }

// Every signal number in the posts, to check each arrived exactly once.
std::multiset<std::string> signal_titles(const std::vector<posted_message>& posts) {
    std::multiset<std::string> out;
    for (auto& p : posts) out.insert(p.body["blocks"][0]["text"]["text"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("a 429 on one channel does not stall the others, and Retry-After is honoured", "[e2e][outbox]") {
    fake_slack slack;
    slack.script_for("C0BILLING", {429, R"({"ok":false,"error":"ratelimited"})", "2"});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();

    auto started = std::chrono::steady_clock::now();
    slash(cxos.port(), "refund for acme");     // billing: rate limited first
    slash(cxos.port(), "dark mode is broken");  // triage: unaffected
    REQUIRE(slack.wait_until([](auto& p) {
        return std::any_of(p.begin(), p.end(), [](auto& m) { return m.channel == "C0TRIAGE"; });
    }));
    CHECK(std::chrono::steady_clock::now() - started < 1500ms);
    CHECK(slack.posts_in("C0BILLING").empty());

    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 2; }));
    CHECK(std::chrono::steady_clock::now() - started >= 2s);
    CHECK(slack.posts_in("C0BILLING").size() == 1);
}

TEST_CASE("5xx and timeouts are retried until Slack takes the post, once", "[e2e][outbox]") {
    fake_slack slack;
    slack.script({503, "", ""});
    slack.script({500, R"({"ok":false,"error":"internal_error"})", ""});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "refund for globex");
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 1; }));
    CHECK(slack.post_attempts() == 3);
    cxos.settle();
    CHECK(slack.posts().size() == 1);
}

TEST_CASE("errors retrying cannot fix are dead-lettered and shown by status", "[e2e][outbox]") {
    fake_slack slack;
    slack.script_for("C0GONE", {200, R"({"ok":false,"error":"channel_not_found"})", ""});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "archived project page 404s");
    slash(cxos.port(), "refund is missing");
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 1; }));
    std::string status;
    CHECK(eventually([&] {
        status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
        return status.find("dead") != std::string::npos;
    }));
    CHECK_THAT(status, Catch::Contains("dead to C0GONE"));
    CHECK_THAT(status, Catch::Contains("channel_not_found"));
    CHECK_THAT(cxos.log(), Catch::Contains("delivery dead-lettered"));
    cxos.settle();
    CHECK(slack.post_attempts() == 2); // never retried
}

TEST_CASE("kill -9 with posts pending: after restart each arrives exactly once", "[e2e][outbox][crash]") {
    fake_slack slack;
    for (int i = 0; i < 200; ++i) slack.script({503, "", ""}); // Slack is down
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    // Five frictions that read nothing alike: five items, five posts.
    const std::vector<std::string> texts = {"refund missing for acme", "charge appears twice on the card",
                                            "docs article search returns nothing", "the export button is hidden",
                                            "invoice PDF is blank"};
    for (auto& t : texts) {
        auto ack = json::parse(slash(cxos.port(), t).body);
        REQUIRE_THAT(ack["text"].get<std::string>(), Catch::Contains("Logged: item"));
    }
    REQUIRE(slack.wait_for_attempts(3));
    cxos.kill_hard();

    slack.clear_script(); // Slack is back
    cxos.start();
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 5; }));
    auto titles = signal_titles(slack.posts());
    for (int id = 1; id <= 5; ++id) CHECK(titles.count("Item " + std::to_string(id) + " · New") == 1);

    // Once Slack said ok, a further crash and restart posts nothing again.
    cxos.kill_hard();
    cxos.start();
    cxos.settle();
    CHECK(slack.posts().size() == 5);
}

TEST_CASE("a post whose answer was lost is checked in history, not posted twice", "[e2e][outbox][crash]") {
    fake_slack slack;
    scripted_answer lost;
    lost.post_then_drop = true;
    slack.script(lost);
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "refund lost in transit");
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 1; }));
    // Crash before cxos can learn anything: the row is left "in doubt".
    cxos.kill_hard();
    cxos.start();
    CHECK(slack.wait_for([](const fake_state& s) { return s.history_calls >= 1; }));
    cxos.settle();
    const auto status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
    CHECK_THAT(status, Catch::Contains("sent to C0BILLING (message " + slack.posts()[0].ts + ")"));
    CHECK(slack.posts().size() == 1);
    CHECK(text_of(slack.posts()[0]).find("refund lost in transit") != std::string::npos);
}

namespace {

// `count` messages of other people in `channel`, from `first_second` on, `per_second` to a second.
void seed_chatter(fake_slack& slack, const std::string& channel, long first_second, int count, int per_second) {
    for (int i = 0; i < count; ++i) {
        const std::string micros = std::to_string(100000 + (i % per_second) * 1000);
        slack.seed_message(channel, std::to_string(first_second + i / per_second) + "." + micros, "U0SOMEONE",
                           "chatter " + std::to_string(i));
    }
}

long seconds_of(const std::string& ts) { return std::stol(ts.substr(0, ts.find('.'))); }

// A routed post whose answer is lost, cxos killed before it learns anything, `count` messages of
// others from `chatter_after` seconds after the post on (2,100: more than the ten pages of 200 one
// check of the row reads), and cxos started again to find the row in doubt.
void lose_post_under_chatter(fake_slack& slack, cxos_process& cxos, const std::string& text, long chatter_after,
                             int count = 2100, int per_second = 40) {
    scripted_answer lost;
    lost.post_then_drop = true;
    slack.script(lost);
    cxos.start();
    slash(cxos.port(), text);
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 1; }));
    cxos.kill_hard();
    seed_chatter(slack, "C0BILLING", seconds_of(slack.posts()[0].ts) + chatter_after, count, per_second);
    cxos.start();
}

// Once cxos is idle: the first attempt was the only one (nothing posted twice), and what
// `status 1` says of the item's post.
std::string status_after_one_attempt(fake_slack& slack, cxos_process& cxos) {
    cxos.settle();
    CHECK(slack.post_attempts() == 1);
    return json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
}

} // namespace

TEST_CASE("a lost post is found under a busy channel's later messages, not posted twice", "[e2e][outbox][crash]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    // As if cxos came back hours later: only the minutes around the attempt are read, so the post
    // is on the first page.
    lose_post_under_chatter(slack, cxos, "refund lost under chatter", 600);
    CHECK(slack.wait_for([](const fake_state& s) { return s.history_calls >= 1; }));
    CHECK_THAT(status_after_one_attempt(slack, cxos), Catch::Contains("sent to C0BILLING (message " + slack.posts()[0].ts + ")"));
}

TEST_CASE("a lost post under a flood of later messages is found by reading on, not posted twice", "[e2e][outbox][crash]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    // All within a minute after the post: one check's ten pages of 200 do not reach it.
    lose_post_under_chatter(slack, cxos, "refund lost in a flood", 1);
    CHECK(slack.wait_for([](const fake_state& s) { return s.history_calls >= 11; }, std::chrono::seconds(60)));
    CHECK_THAT(status_after_one_attempt(slack, cxos), Catch::Contains("sent to C0BILLING (message " + slack.posts()[0].ts + ")"));
}

TEST_CASE("a lookup that cannot read to the post posts again rather than hold the channel", "[e2e][outbox][crash]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    // 6,100 messages in the 77 seconds after the post: three checks of ten pages do not reach it.
    lose_post_under_chatter(slack, cxos, "refund lost in a flood", 1, 6100, 80);
    // Three checks, the outbox's backoff (up to 2 s, then 4 s) between them, 30 pages of a
    // 6,100-message channel: 9 s in a sanitized build, so a minute rather than the default.
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 2; }, std::chrono::seconds(60)));
    CHECK(slack.history_calls() == 30);
    // The channel is not held: a later report's post follows.
    slash(cxos.port(), "invoice emailed to the wrong address");
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 3; }));
    CHECK(text_of(slack.posts()[1]).find("refund lost in a flood") != std::string::npos);
    CHECK(text_of(slack.posts()[2]).find("invoice emailed to the wrong address") != std::string::npos);
    cxos.settle();
    const auto status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
    CHECK_THAT(status, Catch::Contains("sent to C0BILLING (message " + slack.posts()[1].ts + ")"));
}

TEST_CASE("while Slack cannot say whether it posted, cxos waits instead of posting again", "[e2e][outbox]") {
    fake_slack slack;
    scripted_answer lost;
    lost.post_then_drop = true;
    slack.script(lost);
    slack.fail_history(2);
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "refund answer lost");
    // two failed reads, then one that finds the post
    CHECK(slack.wait_for([](const fake_state& s) { return s.history_calls >= 3; }));
    CHECK_THAT(status_after_one_attempt(slack, cxos), Catch::Contains("sent to C0BILLING"));
    CHECK(slack.posts().size() == 1);
}

TEST_CASE("an HTTPS peer whose certificate is not trusted gets no post and no token", "[e2e][outbox][tls]") {
    auto slack = fake_slack::untrusted_tls();
    // https to a loopback host is allowed by config, so only certificate checks can stop it.
    cxos_process cxos(slack->api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "refund over tls");
    std::string status;
    CHECK(eventually([&] {
        status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
        return status.find("certificate verify failed") != std::string::npos;
    }));
    CHECK_THAT(status, Catch::Contains("certificate verify failed"));
    CHECK_THAT(status, Catch::Contains("pending to C0BILLING")); // kept to retry, not dropped
    CHECK(slack->tls_handshakes() == 0);
    CHECK(slack->post_attempts() == 0);
}

TEST_CASE("dead letters are requeued by `cxos outbox retry --dead` once their cause is fixed, once", "[e2e][outbox]") {
    fake_slack slack;
    slack.script_for("C0GONE", {200, R"({"ok":false,"error":"channel_not_found"})", ""});
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "archived project page 404s");
    REQUIRE(eventually([&] { return cxos.log().find("delivery dead-lettered") != std::string::npos; }));
    // The dead-letter line names the report it failed to announce.
    CHECK_THAT(cxos.log(), Catch::Contains("\"signal\":1"));

    std::string out;
    const std::string config = "--config '" + cxos.config_path() + "'";
    REQUIRE(cxos_process::run("outbox dead " + config, out) == 0);
    CHECK_THAT(out, Catch::Contains("slack:C0GONE") && Catch::Contains("channel_not_found"));
    // The channel exists again (the script is used up): the replay is delivered by the running server.
    REQUIRE(cxos_process::run("outbox retry --dead --channel C0GONE --since 1h " + config, out) == 0);
    CHECK_THAT(out, Catch::Contains("requeued 1 dead letter"));
    REQUIRE(slack.wait_until([](auto& p) { return p.size() == 1 && p[0].channel == "C0GONE"; }));
    REQUIRE(cxos_process::run("outbox retry --dead " + config, out) == 0);
    CHECK_THAT(out, Catch::Contains("no dead letters"));
    CHECK(cxos_process::run("outbox retry " + config, out) == 2); // --dead is required: nothing else is retried
}

TEST_CASE("a stop lets a post already on the wire finish and records Slack's answer", "[e2e][outbox]") {
    fake_slack slack;
    slack.hold_posts(true); // the post reaches Slack and waits there for its answer
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    slash(cxos.port(), "refund for initech");
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.held_posts == 1; }));
    cxos.send_signal(SIGTERM);
    REQUIRE(eventually([&] { return cxos.log().find("\"msg\":\"shutting down\"") != std::string::npos; }));
    slack.hold_posts(false); // Slack answers while cxos is stopping
    CHECK(cxos.wait_exit() == 0);
    REQUIRE(slack.posts().size() == 1);

    // The answer was recorded before the exit: the restart has nothing in doubt to look up in
    // the channel's history, and nothing to post again.
    cxos.start();
    cxos.settle();
    CHECK(slack.state().history_calls == 0);
    CHECK(slack.posts().size() == 1);
    const auto status = json::parse(slash(cxos.port(), "status 1").body)["blocks"].dump();
    CHECK_THAT(status, Catch::Contains("sent to C0BILLING (message " + slack.posts()[0].ts + ")"));
}
