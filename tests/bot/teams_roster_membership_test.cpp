// Whether a person who signed in with Microsoft is in a Teams channel, asked of the fake Bot
// Framework's rosters: at the regional service URL Teams gave for that channel, at
// teams.proactive_service_url only when no route is known, and never at a service URL the connector does
// not trust (the bot's token would go there).
#include "bot/core/clock.hpp"
#include "bot/teams/teams_membership.hpp"
#include "storage/commit_queue.hpp"
#include "storage/store.hpp"
#include "tests/support/fake_bot_framework.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <future>

using namespace cxos;
using namespace cxos::bot;
using cxos::test::fake_bot_framework;

namespace {

const std::string grace = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const std::string linus = "11111111-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const std::string other_tenant = "99999999-2222-4333-8444-555555555555";
const std::string emea_channel = "19:emea-support@thread.tacv2";
const std::string unseen_channel = "19:never-seen@thread.tacv2";

// cxos's Teams side as serve.cpp wires it for sign-in: the connector with the fake's token
// endpoint, a store behind its commit queue, and the roster membership over both. The allowlist
// names the fake's service URLs of `allowed_regions` ("" is the fake's plain /teams/).
struct roster_world {
    explicit roster_world(const std::vector<std::string>& allowed_regions)
        : queue(storage::open_store("sqlite://:memory:")),
          connector(io.get_executor(), client, config, {bf.registration().app_id, bf.registration().app_password,
                                                        bf.registration().tenant},
                    [] { return clock_source::system_now() / 1000; }) {
        config.token_url = bf.token_url_template();
        config.service_url_allowlist.clear();
        for (const auto& region : allowed_regions) config.service_url_allowlist.push_back(bf.service_url(region));
        // The fake's global endpoint, as Microsoft's is by default.
        config.proactive_service_url = bf.service_url("");
    }
    ~roster_world() { queue.stop(); }

    // What teams_bot_endpoint::remember_route stores when an activity arrives from there at `seen_at`.
    void remember(const std::string& conversation, const std::string& service_url, const std::string& tenant,
                  millis seen_at = clock_source::system_now()) {
        std::promise<void> stored;
        const storage::teams_route r{conversation, service_url, tenant, "", "", seen_at};
        REQUIRE(queue.submit({[r](storage::store& st) { st.save_teams_route(r); },
                              [&stored](std::exception_ptr) { stored.set_value(); }}));
        stored.get_future().wait();
    }

    membership_answer ask(const std::string& oid, const std::string& tenant, const std::string& channel) {
        const actor who{"teams", tenant, oid, "Grace Hopper", ""};
        auto answer = boost::asio::co_spawn(io, roster.is_member(who, channel), boost::asio::use_future);
        io.restart(); // the last question's work guard stopped it when it let go
        auto busy = boost::asio::make_work_guard(io); // the store answers from its own thread
        while (answer.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            io.run_one_for(std::chrono::milliseconds(50));
        return answer.get();
    }

    // The regions the roster was asked in, in order.
    std::vector<std::string> roster_regions() const {
        std::vector<std::string> regions;
        for (const auto& r : bf.state().requests)
            if (r.path.size() == 5 && r.path[3] == "members") regions.push_back(r.region);
        return regions;
    }

    fake_bot_framework bf;
    teams_config config;
    boost::asio::io_context io;
    http_client client{io.get_executor()};
    storage::commit_queue queue;
    teams_connector connector;
    teams_roster_membership roster{connector, config, queue};
};

} // namespace

TEST_CASE("a channel remembered on another regional Bot Connector is asked there and admits its member",
          "[teams][signin][roster]") {
    // The default allowlist is one prefix over every region, like https://smba.trafficmanager.net/.
    roster_world w({""});
    w.bf.set_roster(emea_channel, {grace}, "emea");
    w.remember(emea_channel, w.bf.service_url("emea"), w.bf.registration().tenant);

    auto member = w.ask(grace, w.bf.registration().tenant, emea_channel);
    CHECK(member.member);
    CHECK(member.error.empty());
    auto outsider = w.ask(linus, w.bf.registration().tenant, emea_channel);
    CHECK_FALSE(outsider.member);
    CHECK(outsider.error.empty());
    CHECK(w.roster_regions() == std::vector<std::string>{"emea", "emea"});
}

TEST_CASE("a channel with no remembered route is asked at teams.proactive_service_url, or nowhere",
          "[teams][signin][roster]") {
    roster_world w({"amer", ""});
    w.bf.set_roster(unseen_channel, {grace});

    // Not the first allowlist entry (AMER): the proactive endpoint.
    auto member = w.ask(grace, w.bf.registration().tenant, unseen_channel);
    CHECK(member.member);
    CHECK(member.error.empty());
    auto outsider = w.ask(linus, w.bf.registration().tenant, unseen_channel);
    CHECK_FALSE(outsider.member);
    CHECK(outsider.error.empty());
    CHECK(w.roster_regions() == std::vector<std::string>{"", ""});
    // With nowhere to ask, nothing is asked, and the person is told why.
    w.config.proactive_service_url.clear();
    auto nowhere = w.ask(grace, w.bf.registration().tenant, unseen_channel);
    CHECK_FALSE(nowhere.member);
    CHECK_THAT(nowhere.error, Catch::Contains("teams.proactive_service_url is empty"));
    CHECK(w.roster_regions().size() == 2);
}

TEST_CASE("a channel never seen is asked in the region of the person's own tenant, never another tenant's",
          "[teams][signin][roster]") {
    roster_world w({"amer", ""});
    // The only route cxos knows is another channel's, in the bot's tenant, on the EMEA connector.
    w.remember(emea_channel, w.bf.service_url("emea"), w.bf.registration().tenant);
    w.bf.set_roster(unseen_channel, {grace}, "emea");
    w.bf.set_roster(unseen_channel, {linus});

    // One tenant's serviceUrl serves all its teams: the bot tenant's person is asked in EMEA.
    auto same_tenant = w.ask(grace, w.bf.registration().tenant, unseen_channel);
    CHECK(same_tenant.member);
    // A person of another tenant is not asked in a region only the bot's tenant is known to use,
    // but at the proactive endpoint.
    auto other_tenant_person = w.ask(linus, other_tenant, unseen_channel);
    CHECK(other_tenant_person.member);
    CHECK(w.roster_regions() == std::vector<std::string>{"emea", ""});
}

TEST_CASE("a channel never seen is asked where the person's tenant was last seen, though another tenant was seen since",
          "[teams][signin][roster]") {
    roster_world w({"amer", ""});
    const std::string other_channel = "19:globex-support@thread.tacv2";
    const millis now = clock_source::system_now();
    // The person's tenant was last heard from an hour ago, on the EMEA connector; another
    // tenant, on the AMER one, a minute ago: the latest route of all is not the person's tenant's.
    w.remember(emea_channel, w.bf.service_url("emea"), w.bf.registration().tenant, now - 3600 * 1000);
    w.remember(other_channel, w.bf.service_url("amer"), other_tenant, now - 60 * 1000);
    w.bf.set_roster(unseen_channel, {grace}, "emea");
    w.bf.set_roster(unseen_channel, {}, "amer");

    auto member = w.ask(grace, w.bf.registration().tenant, unseen_channel);
    CHECK(member.member);
    CHECK(member.error.empty());
    CHECK(w.roster_regions() == std::vector<std::string>{"emea"});
}

TEST_CASE("a channel remembered before a restart is asked at its service URL though it is not allowlisted",
          "[teams][signin][roster]") {
    roster_world w({"amer"});
    w.bf.set_roster(emea_channel, {grace}, "emea");
    w.bf.set_roster(emea_channel, {}, "amer");
    // Stored from an activity whose JWT vouched for it, by a cxos that has since restarted: the
    // connector has not seen that serviceUrl since, and the allowlist names another region. The
    // outbox posts there on the same grounds, so the roster is asked there too, not in AMER.
    w.remember(emea_channel, w.bf.service_url("emea"), w.bf.registration().tenant);
    REQUIRE_FALSE(w.connector.trusted(w.bf.service_url("emea")));

    auto member = w.ask(grace, w.bf.registration().tenant, emea_channel);
    CHECK(member.member);
    CHECK(member.error.empty());
    CHECK(w.roster_regions() == std::vector<std::string>{"emea"});
}
