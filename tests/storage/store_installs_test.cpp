// Slack installations and the states of started "Add to Slack" flows, on every backend.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::storage;

namespace {

slack_installation installed(std::string workspace, std::string token, millis at) {
    slack_installation i;
    i.workspace = i.team_id = std::move(workspace);
    i.team_name = "Acme";
    i.bot_user_id = "U0CXOSBOT";
    i.bot_token = std::move(token);
    i.scopes = "commands,chat:write";
    i.installed_by = "U0ADMIN";
    i.installed_at = i.updated_at = at;
    return i;
}

} // namespace

TEST_CASE("installing again replaces a workspace's token but keeps its first install time", "[store][install]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->save_slack_installation(installed("T0ACME001", "v1:first", 100));
    st->save_slack_installation(installed("T0GLOBEX1", "v1:globex", 150));
    st->save_slack_installation(installed("T0ACME001", "v1:second", 200));

    auto acme = st->find_slack_installation("T0ACME001");
    REQUIRE(acme);
    CHECK(acme->bot_token == "v1:second");
    CHECK(acme->installed_at == 100);
    CHECK(acme->updated_at == 200);
    CHECK(st->slack_installations().size() == 2);

    CHECK(st->remove_slack_installation("T0ACME001"));
    CHECK_FALSE(st->remove_slack_installation("T0ACME001")); // an uninstall retried finds nothing
    CHECK_FALSE(st->find_slack_installation("T0ACME001"));
    CHECK(st->slack_installations().size() == 1);
}

TEST_CASE("an install state is used once, and a replay is told apart from a forgery", "[store][install]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->insert_oauth_state(oauth_state{"statehash", "browserhash", "slack_install", 1000, 601000, 0});

    auto first = st->use_oauth_state("statehash", 2000);
    REQUIRE(first);
    CHECK(first->used_at == 0);
    CHECK(first->browser_hash == "browserhash");
    auto replay = st->use_oauth_state("statehash", 3000);
    REQUIRE(replay);
    CHECK(replay->used_at == 2000);
    CHECK_FALSE(st->use_oauth_state("forged", 3000));

    // Flows that ended more than a day before a new one starts are forgotten.
    const millis day = 24LL * 3600 * 1000;
    st->insert_oauth_state(oauth_state{"later", "b", "slack_install", 601000 + day + 1, 601000 + day + 600001, 0});
    CHECK_FALSE(st->use_oauth_state("statehash", 601000 + day + 2));
}
