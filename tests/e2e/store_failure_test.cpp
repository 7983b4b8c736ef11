// When the store cannot commit (here: the database at its configured size cap, which fails writes
// exactly as a full disk does), cxos says so honestly: the reporter hears nothing was stored,
// /healthz answers 503 with the reason so a load balancer or systemd can act, and an ingesting
// tool gets 503 with Retry-After so it sends again later.
#include "adapters/ingest/signature.hpp"
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace cxos::test;
using nlohmann::json;

namespace {

const std::string zendesk_secret = "zd-store-secret";

// The config as written, on a SQLite database capped at the size the migrations leave it (the
// cap is SQLite's: this test stays on SQLite when the others run on PostgreSQL).
void cap_database(const cxos_process& cxos) {
    std::ifstream in(cxos.config_path());
    std::stringstream text;
    text << in.rdbuf();
    auto yaml = text.str();
    const auto begin = yaml.find("storage: {");
    REQUIRE(begin != std::string::npos);
    const auto end = yaml.find('\n', begin);
    yaml.replace(begin, end - begin,
                 "storage: { url: \"sqlite://" + (cxos.dir() / "data" / "cxos.db").string() + "\", max_size_mb: 0.001 }");
    std::ofstream(cxos.config_path()) << yaml;
}

http_answer ingest_one(unsigned short port, const std::string& id) {
    // Long enough that it needs pages the capped database no longer has.
    const auto body = json{{"external_id", id}, {"description", "the refund never arrived " + id + std::string(2500, 'x')}}.dump();
    const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch()).count());
    const auto signature = cxos::ingest::ingest_signature_verifier({{"zendesk", zendesk_secret}}).sign("zendesk", ts, body);
    return http_call(port, "POST", "/ingest/v1/signals", body,
                     {{"Content-Type", "application/json"}, {"X-Cxos-Source", "zendesk"},
                      {"X-Cxos-Timestamp", ts}, {"X-Cxos-Signature", signature}});
}

} // namespace

TEST_CASE("a store that cannot commit fails health with the reason and ingest answers 503 with Retry-After", "[e2e][store]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(),
                      std::string(e2e_routing) + "sources:\n  zendesk: { secret_env: CXOS_E2E_ZENDESK_SECRET }\n");
    cap_database(cxos);
    cxos.start({{"CXOS_E2E_ZENDESK_SECRET", zendesk_secret}});
    REQUIRE(http_call(cxos.port(), "GET", "/healthz", "").status == 200);

    // Reports fill the last free space; the first that needs a new page is refused and told so.
    std::string refused;
    for (int i = 0; i < 400 && refused.empty(); ++i) {
        auto ack = slash(cxos.port(), "report " + std::to_string(i) + " of a friction with a long description to fill pages");
        REQUIRE(ack.status == 200);
        if (ack.body.find("logged nothing") != std::string::npos) refused = ack.body;
    }
    REQUIRE_FALSE(refused.empty());

    auto health = http_call(cxos.port(), "GET", "/healthz", "");
    CHECK(health.status == 503);
    auto body = json::parse(health.body);
    CHECK(body["status"] == "unavailable");
    CHECK(body["store"] == false);
    CHECK_THAT(body["problems"].dump(), Catch::Contains("full"));

    auto ingested = ingest_one(cxos.port(), "ZD-FULL-1");
    CHECK(ingested.status == 503);
    CHECK(ingested.headers["retry-after"] == "30");
    CHECK_THAT(ingested.body, Catch::Contains("nothing was stored"));
}
