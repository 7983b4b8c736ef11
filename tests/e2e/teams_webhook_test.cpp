// Teams outgoing-webhook mode against the real binary: a signed "@cxos …" is logged and routed
// to the owner's Slack channel, answered in the response; a bad signature changes nothing; a
// redelivered activity is logged once.
#include "adapters/teams/webhook.hpp"
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

const std::string webhook_token = "c2VjcmV0LXRva2VuLWZyb20tdGVhbXM=";

std::string activity(const std::string& id, const std::string& text) {
    return json{{"type", "message"},
                {"id", id},
                {"text", "<at>cxos</at> " + text},
                {"from", {{"id", "29:1abc"}, {"name", "Ada Agent"}, {"aadObjectId", "aad-ada"}}},
                {"conversation", {{"id", "19:general@thread.tacv2;messageid=" + id}, {"tenantId", "tenant-1"}}},
                {"channelData", {{"channel", {{"id", "19:general@thread.tacv2"}}}, {"tenant", {{"id", "tenant-1"}}}}},
                {"entities", json::array({{{"type", "mention"}, {"text", "<at>cxos</at>"}, {"mentioned", {{"id", "28:cxos"}}}}})}}
        .dump();
}

http_answer send_webhook(unsigned short port, const std::string& body, const std::string& auth) {
    return http_call(port, "POST", "/teams/webhook", body, {{"Content-Type", "application/json"}, {"Authorization", auth}});
}

} // namespace

TEST_CASE("a Teams webhook message is logged and routed to the Slack owner", "[e2e][teams]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start({{"TEAMS_WEBHOOK_SECRET", webhook_token}});
    cxos::teams::outgoing_webhook_verifier signer(webhook_token);

    const auto body = activity("1700000000001", "the refund page is blank !high");
    auto forged = send_webhook(cxos.port(), body, "HMAC " + std::string(44, 'A'));
    CHECK(forged.status == 401);
    cxos.settle();
    CHECK(slack.posts().empty());

    auto answer = send_webhook(cxos.port(), body, signer.sign(body));
    REQUIRE(answer.status == 200);
    auto reply = json::parse(answer.body);
    CHECK(reply["type"] == "message");
    CHECK_THAT(reply["text"].get<std::string>(), Catch::Contains("Logged: item 1") && Catch::Contains("billing"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 1; }));
    CHECK(slack.posts()[0].channel == "C0BILLING");
    CHECK_THAT(slack.posts()[0].body.dump(), Catch::Contains("the refund page is blank"));

    // Teams delivering the same activity again logs nothing new.
    auto again = json::parse(send_webhook(cxos.port(), body, signer.sign(body)).body);
    CHECK_THAT(again["text"].get<std::string>(), Catch::Contains("Already logged"));
    cxos.settle();
    CHECK(slack.posts().size() == 1);

    const auto help = activity("1700000000002", "help");
    CHECK_THAT(json::parse(send_webhook(cxos.port(), help, signer.sign(help)).body)["text"].get<std::string>(),
               Catch::Contains("@cxos <what the customer ran into>"));
    const auto stats = activity("1700000000003", "stats");
    CHECK_THAT(json::parse(send_webhook(cxos.port(), stats, signer.sign(stats)).body)["text"].get<std::string>(),
               Catch::Contains("outgoing webhook"));
}

TEST_CASE("over the webhook a reworded report joins its item and a typed split takes it out again", "[e2e][teams][grouping]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start({{"TEAMS_WEBHOOK_SECRET", webhook_token}});
    cxos::teams::outgoing_webhook_verifier signer(webhook_token);
    auto say = [&](const std::string& id, const std::string& text) {
        const auto body = activity(id, text);
        return json::parse(send_webhook(cxos.port(), body, signer.sign(body)).body)["text"].get<std::string>();
    };
    CHECK_THAT(say("1700000000011", "the invoice PDF is blank"), Catch::Contains("Logged: item 1"));
    // No buttons in this mode: the answer names the command instead.
    const auto joined = say("1700000000012", "customers say the invoice PDF is blank when downloaded");
    CHECK_THAT(joined, Catch::Contains("item 1"));
    CHECK_THAT(joined, Catch::Contains("@cxos split 2"));
    CHECK_THAT(say("1700000000013", "split 2"), Catch::Contains("Split out: item 2"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return s.posts.size() == 2; }));
}

TEST_CASE("without TEAMS_WEBHOOK_SECRET the webhook mode is off", "[e2e][teams]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    CHECK(send_webhook(cxos.port(), activity("1", "help"), "HMAC x").status == 404);
}
