// An endpoint served in-process through the one route table: no binary, no sockets. The ingest
// endpoint stands for every surface: verified before anything is read, decoded by its adapter,
// committed by a service, its store failures turned into "send it again" by the router.
#include "bot/ingest/ingest_endpoint.hpp"
#include "bot/server/router.hpp"

#include "bot/core/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace cxos;
using namespace cxos::bot;
namespace http = boost::beast::http;

namespace {

struct recording_doorbell final : outbox_doorbell {
    queued_channels rung;
    void notify(const queued_channels& channels) override { rung.insert(rung.end(), channels.begin(), channels.end()); }
};

app_config billing_journey() {
    app_config c;
    c.journey.stages = {"onboard", "renew"};
    c.journey.owners["billing"] = owner{"billing", "C0BILLING", "19:billing@thread.tacv2"};
    c.journey.fallback = "billing";
    return c;
}

// The wiring's job for one surface, done by hand: a store behind its commit queue, the service,
// the endpoint, and the route that serves it.
struct ingest_surface {
    explicit ingest_surface(std::size_t max_queued = 65536)
        : queue(storage::open_store("sqlite://:memory:"), 1024, max_queued) {
        routes.add({"/ingest/v1/signals", false, {http::verb::post}, &endpoint, true, true, ""});
    }
    ~ingest_surface() { queue.stop(); }

    http_response post(const std::string& body, const std::string& secret = "zendesk-secret") {
        const ingest::ingest_signature_verifier signer({{"zendesk", secret}});
        const auto ts = std::to_string(clock_source::system_now() / 1000);
        http_request req{http::verb::post, "/ingest/v1/signals", 11};
        req.set(ingest::source_header, "zendesk");
        req.set(ingest::timestamp_header, ts);
        req.set(ingest::signature_header, signer.sign("zendesk", ts, body));
        req.body() = body;
        return serve(req);
    }
    http_response serve(http_request& req) {
        boost::asio::io_context io;
        auto answer = boost::asio::co_spawn(io, routes.handle(req), boost::asio::use_future);
        io.run();
        return answer.get();
    }

    live_config config{billing_journey()};
    storage::commit_queue queue;
    recording_doorbell bell;
    delivery_holds holds;
    capture_service capture{service_deps{queue, config, bell, holds, [] { return millis{1'700'000'000'000}; }}};
    ingest::ingest_signature_verifier verifier{{{"zendesk", "zendesk-secret"}}};
    ingest_endpoint endpoint{config, verifier, capture, [] { return millis{1'700'000'000'000}; }};
    router routes;
};

std::string ticket(const std::string& id) {
    return nlohmann::json{{"external_id", id}, {"description", "the invoice PDF is blank"}, {"stage", "renew"}}.dump();
}

} // namespace

TEST_CASE("a signed ticket served in-process is committed, routed and rings the outbox", "[endpoint][ingest]") {
    ingest_surface surface;
    auto res = surface.post(ticket("ZD-1"));
    REQUIRE(res.result_int() == 200);
    const auto answer = nlohmann::json::parse(res.body());
    CHECK(answer["signals"][0]["signal_id"] == 1);
    CHECK(answer["signals"][0]["item_id"] == 1);
    CHECK(answer["signals"][0]["owner"] == "billing");
    CHECK(answer["signals"][0]["duplicate"] == false);
    // The owner's card goes to its channels on both platforms, through the outbox only.
    CHECK(std::count(surface.bell.rung.begin(), surface.bell.rung.end(),
                     std::pair<std::string, std::string>{"slack", "C0BILLING"}) == 1);
    CHECK(std::count(surface.bell.rung.begin(), surface.bell.rung.end(),
                     std::pair<std::string, std::string>{"teams", "19:billing@thread.tacv2"}) == 1);

    // The tool retries: the same ticket answers with the first ids and stores nothing new.
    auto again = surface.post(ticket("ZD-1"));
    REQUIRE(again.result_int() == 200);
    const auto repeated = nlohmann::json::parse(again.body());
    CHECK(repeated["signals"][0]["signal_id"] == 1);
    CHECK(repeated["signals"][0]["duplicate"] == true);
}

TEST_CASE("a request that fails verification changes nothing", "[endpoint][ingest]") {
    ingest_surface surface;
    auto forged = surface.post(ticket("ZD-1"), "not-the-secret");
    CHECK(forged.result_int() == 401);
    CHECK(surface.bell.rung.empty());
    // Nothing was stored: the first real ticket is signal 1, not a duplicate.
    auto real = surface.post(ticket("ZD-1"));
    REQUIRE(real.result_int() == 200);
    const auto answer = nlohmann::json::parse(real.body());
    CHECK(answer["signals"][0]["signal_id"] == 1);
    CHECK(answer["signals"][0]["duplicate"] == false);
}

TEST_CASE("a busy store becomes the surface's send-it-again answer in the router", "[endpoint][ingest]") {
    ingest_surface full(0); // a commit queue that takes nothing
    auto res = full.post(ticket("ZD-1"));
    CHECK(res.result_int() == 503);
    CHECK(res[http::field::retry_after] == "1");
    CHECK(full.bell.rung.empty());
}

TEST_CASE("the route table answers wrong methods and unknown paths itself", "[endpoint][router]") {
    ingest_surface surface;
    surface.routes.add_off("/teams/messages", "the Teams bot is off: set CXOS_TEAMS_APP_ID");
    http_request get{http::verb::get, "/ingest/v1/signals", 11};
    auto wrong = surface.serve(get);
    CHECK(wrong.result_int() == 405);
    CHECK(wrong.body() == "use POST\n");
    CHECK(wrong[http::field::allow] == "POST");
    http_request teams{http::verb::post, "/teams/messages", 11};
    auto off = surface.serve(teams);
    CHECK(off.result_int() == 404);
    CHECK_THAT(off.body(), Catch::Contains("CXOS_TEAMS_APP_ID"));
    http_request nowhere{http::verb::get, "/nowhere", 11};
    CHECK(surface.serve(nowhere).result_int() == 404);
}
