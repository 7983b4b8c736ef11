// POST /ingest/v1/signals against the real binary: a signed batch is stored and routed to the
// owners' channels; a replay answers the original ids and posts nothing; a bad signature or an
// invalid signal stores nothing; a source without its secret stops start-up.
#include "adapters/ingest/signature.hpp"
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string zendesk_secret = "zd-e2e-secret";
const std::string with_sources = std::string(e2e_routing) + "sources:\n  zendesk: { secret_env: CXOS_E2E_ZENDESK_SECRET }\n";

std::string now_seconds() {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count());
}

http_answer ingest(unsigned short port, const std::string& body, const std::string& source = "zendesk",
                   std::string signature = "") {
    const auto ts = now_seconds();
    if (signature.empty())
        signature = cxos::ingest::ingest_signature_verifier({{"zendesk", zendesk_secret}}).sign("zendesk", ts, body);
    return http_call(port, "POST", "/ingest/v1/signals", body,
                     {{"Content-Type", "application/json"}, {"X-Cxos-Source", source},
                      {"X-Cxos-Timestamp", ts}, {"X-Cxos-Signature", signature}});
}

const std::string batch = json{{"signals", {{{"external_id", "ZD-1"}, {"description", "the refund never arrived"},
                                             {"customer", "Acme"}, {"contact_count", 4}},
                                            {{"external_id", "ZD-2"}, {"description", "the docs article is outdated"},
                                             {"stage", "support"}}}}}.dump();

} // namespace

TEST_CASE("signed ingested signals are stored, routed and replay-safe", "[e2e][ingest]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), with_sources);
    cxos.start({{"CXOS_E2E_ZENDESK_SECRET", zendesk_secret}});

    auto first = ingest(cxos.port(), batch);
    REQUIRE(first.status == 200);
    auto answer = json::parse(first.body);
    REQUIRE(answer["signals"].size() == 2);
    CHECK(answer["signals"][0]["external_id"] == "ZD-1");
    CHECK(answer["signals"][0]["owner"] == "billing");
    CHECK(answer["signals"][0]["duplicate"] == false);
    CHECK(answer["signals"][1]["owner"] == "docs");
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
    std::set<std::string> channels;
    for (const auto& p : slack.posts()) channels.insert(p.channel);
    CHECK(channels == std::set<std::string>{"C0BILLING", "C0DOCS"});

    // The tool retries the same batch: same ids, nothing new anywhere.
    auto replay = ingest(cxos.port(), batch);
    REQUIRE(replay.status == 200);
    auto again = json::parse(replay.body);
    for (int i = 0; i < 2; ++i) {
        CHECK(again["signals"][i]["duplicate"] == true);
        CHECK(again["signals"][i]["signal_id"] == answer["signals"][i]["signal_id"]);
        CHECK(again["signals"][i]["item_id"] == answer["signals"][i]["item_id"]);
    }
    // The same id twice in one body is one signal.
    auto twice = ingest(cxos.port(), json{{"signals", {{{"external_id", "ZD-3"}, {"description", "login loops"}},
                                                       {{"external_id", "ZD-3"}, {"description", "login loops"}}}}}.dump());
    REQUIRE(twice.status == 200);
    auto both = json::parse(twice.body);
    CHECK(both["signals"][0]["duplicate"] == false);
    CHECK(both["signals"][1]["duplicate"] == true);
    CHECK(both["signals"][1]["signal_id"] == both["signals"][0]["signal_id"]);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 3; }));
    cxos.settle();
    CHECK(slack.posts().size() == 3);
    CHECK_THAT(http_call(cxos.port(), "GET", "/metrics", "").body,
               Catch::Contains("cxos_ingested_signals_total{result=\"duplicate\"} 3\n"));
}

TEST_CASE("concurrent deliveries of one external id store one signal", "[e2e][ingest]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), with_sources);
    cxos.start({{"CXOS_E2E_ZENDESK_SECRET", zendesk_secret}});

    const auto body = json{{"external_id", "ZD-77"}, {"description", "the export button does nothing"}}.dump();
    std::vector<json> answers(6);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < answers.size(); ++i)
        senders.emplace_back([&, i] { answers[i] = json::parse(ingest(cxos.port(), body).body, nullptr, false); });
    for (auto& t : senders) t.join();
    int created = 0;
    for (const auto& a : answers) {
        REQUIRE(a.is_object());
        CHECK(a["signals"][0]["signal_id"] == 1);
        if (a["signals"][0]["duplicate"] == false) ++created;
    }
    CHECK(created == 1);
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    cxos.settle();
    CHECK(slack.posts().size() == 1);
}

TEST_CASE("ingest refuses bad signatures and invalid signals and stores nothing", "[e2e][ingest]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), with_sources);
    cxos.start({{"CXOS_E2E_ZENDESK_SECRET", zendesk_secret}});

    CHECK(ingest(cxos.port(), batch, "zendesk", "v1=" + std::string(64, '0')).status == 401);
    CHECK(ingest(cxos.port(), batch, "zendesk", "v1=nothex").status == 401);
    CHECK(ingest(cxos.port(), batch, "jira").status == 401);
    CHECK(http_call(cxos.port(), "POST", "/ingest/v1/signals", batch, {{"Content-Type", "application/json"}}).status == 401);

    const auto invalid = json{{"signals", {{{"external_id", "ZD-9"}, {"description", "fine"}},
                                           {{"external_id", "ZD-10"}, {"description", "bad"}, {"stage", "churn"}}}}}.dump();
    auto refused = ingest(cxos.port(), invalid);
    REQUIRE(refused.status == 400);
    CHECK_THAT(refused.body, Catch::Contains("signals[1]: stage 'churn' is not a journey stage"));
    CHECK(ingest(cxos.port(), "{not json").status == 400);
    cxos.settle();
    CHECK(slack.posts().empty());
    // Nothing was stored: the valid first signal of the refused body is new when sent alone.
    auto alone = ingest(cxos.port(), json{{"external_id", "ZD-9"}, {"description", "fine"}}.dump());
    REQUIRE(alone.status == 200);
    CHECK(json::parse(alone.body)["signals"][0]["duplicate"] == false);
    CHECK(json::parse(alone.body)["signals"][0]["signal_id"] == 1);
    CHECK_THAT(http_call(cxos.port(), "GET", "/metrics", "").body,
               Catch::Contains("cxos_verification_failures_total{endpoint=\"/ingest/v1/signals\"} 4\n"));
}

TEST_CASE("a source whose secret is not in the environment stops start-up", "[e2e][ingest][startup]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), with_sources);
    std::string out;
    CHECK(cxos_process::run("serve --config " + cxos.config_path(), out,
                            {{"SLACK_SIGNING_SECRET", test_signing_secret}, {"SLACK_BOT_TOKEN", test_bot_token}}) == 1);
    CHECK_THAT(out, Catch::Contains("source 'zendesk' takes its secret from CXOS_E2E_ZENDESK_SECRET, which is not set"));
    CHECK(out.find(zendesk_secret) == std::string::npos);
}

TEST_CASE("without sources the ingest endpoint is off", "[e2e][ingest]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    CHECK(ingest(cxos.port(), batch).status == 404);
}
