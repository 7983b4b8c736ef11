// Where Teams conversations live (their serviceUrl), as remembered from activities, on every backend.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::storage;

namespace {

const std::string contoso = "aaaaaaaa-1111-4222-8333-444444444444";
const std::string fabrikam = "bbbbbbbb-1111-4222-8333-444444444444";
const std::string emea = "https://smba.trafficmanager.net/emea/";
const std::string amer = "https://smba.trafficmanager.net/amer/";

teams_route seen(std::string conversation, std::string service_url, std::string tenant, millis at) {
    return teams_route{std::move(conversation), std::move(service_url), std::move(tenant), "19:team", "Support", at};
}

} // namespace

TEST_CASE("a tenant's route is its latest conversation's, however recently another tenant was seen",
          "[store][teams]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->save_teams_route(seen("19:contoso-old@thread.tacv2", emea, contoso, 1000));
    st->save_teams_route(seen("19:contoso-new@thread.tacv2", emea, contoso, 2000));
    st->save_teams_route(seen("19:fabrikam@thread.tacv2", amer, fabrikam, 3000));

    // The lookup by conversation falls back to the latest of any tenant: Fabrikam's.
    auto any = st->teams_route_for("19:never-seen@thread.tacv2");
    REQUIRE(any);
    CHECK(any->tenant_id == fabrikam);

    auto own = st->teams_route_in_tenant(contoso);
    REQUIRE(own);
    CHECK(own->conversation == "19:contoso-new@thread.tacv2");
    CHECK(own->service_url == emea);
    CHECK(own->updated_at == 2000);
    CHECK(st->teams_route_in_tenant(fabrikam)->service_url == amer);
    CHECK_FALSE(st->teams_route_in_tenant("cccccccc-1111-4222-8333-444444444444"));
}

TEST_CASE("a conversation seen again moves to the tenant it was seen in", "[store][teams]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->save_teams_route(seen("19:shared@thread.tacv2", emea, contoso, 1000));
    st->save_teams_route(seen("19:shared@thread.tacv2", amer, fabrikam, 2000));

    CHECK_FALSE(st->teams_route_in_tenant(contoso));
    auto moved = st->teams_route_in_tenant(fabrikam);
    REQUIRE(moved);
    CHECK(moved->service_url == amer);
}

TEST_CASE("routes from activities that named no tenant are no tenant's", "[store][teams]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->save_teams_route(seen("a:personal-chat", amer, "", 1000));

    CHECK_FALSE(st->teams_route_in_tenant(""));
    CHECK(st->teams_route_for("a:personal-chat")); // still the chat's own route
}
