// A Teams command on PostgreSQL, where several instances may share the database: a retry Teams
// sends while another live instance runs the command does not run it twice, and one whose
// instance died before answering is taken over, so no command is lost. Needs the test PostgreSQL
// server (CXOS_TEST_POSTGRES_URL).
#include "storage/store.hpp"
#include "tests/e2e/teams_world.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cxos::test;

namespace {

// The replies cxos made in the thread of `root` (none when it never answered there).
std::size_t replies_in(const fake_bot_framework& bf, const std::string& root) {
    const auto state = bf.state();
    const auto* t = state.thread(root);
    return t ? t->replies.size() : 0;
}

} // namespace

TEST_CASE("a Teams command is run by one instance at a time and taken over from one that died",
          "[e2e][teams_bot][multi][crash]") {
    if (test_postgres_url().empty()) {
        WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
        return;
    }
    postgres_database db("cxos_teams_multi");
    fake_slack slack;
    fake_bot_framework bf;
    cxos_process cxos(slack.api_url(), teams_routing(bf), shared_storage{db.url, ""});
    cxos.start(registration_env(bf));
    const teams_context ctx = context_for(bf);
    const auto send = [&](const nlohmann::json& activity) {
        return send_activity(cxos.port(), activity, bf.inbound_token());
    };

    REQUIRE(send(channel_mention(ctx, "1700000000510", "log the export button does nothing")).status == 200);
    CHECK_THAT(first_reply(bf, "1700000000510"), Catch::Contains("Logged: item 1"));

    // Another instance remembered "+1 1" and is running it: its database session holds the run.
    const auto plus_one = channel_mention(ctx, "1700000000511", "+1 1");
    const auto run_key = command_run_key(plus_one);
    auto other_instance = cxos::storage::open_store(db.url);
    REQUIRE(other_instance->remember_event(run_key, 1));
    REQUIRE(other_instance->try_lead(run_key));
    // Teams' retry reaches this instance meanwhile: it is not run a second time here.
    REQUIRE(send(plus_one).status == 200);
    cxos.settle();
    CHECK(replies_in(bf, "1700000000511") == 0);

    // That instance dies (kill -9: its connection, and with it the run's hold, ends) unanswered.
    // The server lets go of a closed session's locks on its own time: seen free before going on.
    other_instance.reset();
    auto probe = cxos::storage::open_store(db.url);
    REQUIRE(eventually([&] {
        if (!probe->try_lead(run_key)) return false;
        probe->release_lead(run_key);
        return true;
    }));
    probe.reset();
    // Teams delivers it again: this instance runs it, once.
    REQUIRE(send(plus_one).status == 200);
    CHECK_THAT(first_reply(bf, "1700000000511"), Catch::Contains("now has 2 reports"));
    REQUIRE(send(plus_one).status == 200);
    cxos.settle();
    CHECK(replies_in(bf, "1700000000511") == 1);
    // Counted once in all: the next report is the third.
    REQUIRE(send(channel_mention(ctx, "1700000000512", "+1 1")).status == 200);
    CHECK_THAT(first_reply(bf, "1700000000512"), Catch::Contains("now has 3 reports"));
}
