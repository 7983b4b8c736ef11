// Dashboard sessions on every backend: found by the hash of their id, ended by idleness, by their
// absolute end, by signing out, by a person signing out everywhere and by an operator's revoke.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::storage;

namespace {

constexpr millis minute = 60 * 1000, hour = 60 * minute;

dashboard_session signed_in(std::string hash, std::string user, millis at) {
    return dashboard_session{std::move(hash), "slack", "T0ACME001", std::move(user), "Ada", at, at, at + 7 * 24 * hour};
}

void sign_in_ada_twice_and_bob(store& st) {
    st.insert_dashboard_session(signed_in("ada-laptop", "U0ADA0001", 0));
    st.insert_dashboard_session(signed_in("ada-phone", "U0ADA0001", 0));
    st.insert_dashboard_session(signed_in("bob-laptop", "U0BOB0001", 0));
}

// The same user id string, signed in with Microsoft: another person as far as sessions go.
void sign_in_ada_on_teams(store& st) {
    auto teams_ada = signed_in("ada-teams", "U0ADA0001", 0);
    teams_ada.platform = "teams";
    st.insert_dashboard_session(teams_ada);
}

} // namespace

TEST_CASE("a session is found by its hash while it is used, and ends after being idle too long", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->insert_dashboard_session(signed_in("hash-ada", "U0ADA0001", 0));

    auto found = st->use_dashboard_session("hash-ada", 11 * hour, 12 * hour);
    REQUIRE(found);
    CHECK(found->user_id == "U0ADA0001");
    CHECK(found->team_id == "T0ACME001");
    CHECK(found->last_seen_at == 11 * hour);
    // Used at 11 h, so still alive at 22 h; then idle past 12 h it is gone, for good.
    CHECK(st->use_dashboard_session("hash-ada", 22 * hour, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("hash-ada", 34 * hour + minute, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("hash-ada", 35 * hour, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("no-such-hash", 0, 12 * hour));
}

TEST_CASE("a session ends at its absolute end however often it is used", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->insert_dashboard_session(signed_in("hash-ada", "U0ADA0001", 0));
    for (millis at = 0; at <= 7 * 24 * hour; at += 10 * hour) REQUIRE(st->use_dashboard_session("hash-ada", at, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("hash-ada", 7 * 24 * hour + minute, 12 * hour));
}

TEST_CASE("signing out ends one session and a revoke ends every session of that person", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    sign_in_ada_twice_and_bob(*st);

    CHECK(st->delete_dashboard_session("ada-phone"));
    CHECK_FALSE(st->delete_dashboard_session("ada-phone"));
    CHECK_FALSE(st->use_dashboard_session("ada-phone", minute, 12 * hour));

    st->insert_dashboard_session(signed_in("ada-tablet", "U0ADA0001", 0));
    CHECK(st->revoke_dashboard_sessions("U0ADA0001") == 2);
    CHECK_FALSE(st->use_dashboard_session("ada-laptop", minute, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("ada-tablet", minute, 12 * hour));
    CHECK(st->use_dashboard_session("bob-laptop", minute, 12 * hour));
    CHECK(st->revoke_dashboard_sessions("U0ADA0001") == 0);
}

TEST_CASE("a person's sign-out everywhere ends their sessions on that platform only", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    sign_in_ada_twice_and_bob(*st);
    sign_in_ada_on_teams(*st);

    CHECK(st->end_dashboard_sessions_of("slack", "U0ADA0001") == 2);
    CHECK_FALSE(st->use_dashboard_session("ada-laptop", minute, 12 * hour));
    CHECK_FALSE(st->use_dashboard_session("ada-phone", minute, 12 * hour));
    CHECK(st->use_dashboard_session("bob-laptop", minute, 12 * hour));
    CHECK(st->use_dashboard_session("ada-teams", minute, 12 * hour));
    CHECK(st->end_dashboard_sessions_of("slack", "U0ADA0001") == 0);
}

TEST_CASE("a person's live sessions on one platform are counted without ending any", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    sign_in_ada_twice_and_bob(*st);
    sign_in_ada_on_teams(*st);
    REQUIRE(st->use_dashboard_session("ada-laptop", 11 * hour, 12 * hour));

    CHECK(st->live_dashboard_sessions_of("slack", "U0ADA0001", 11 * hour, 12 * hour) == 2);
    CHECK(st->live_dashboard_sessions_of("slack", "U0ADA0001", 11 * hour, 12 * hour) == 2); // nothing ended
    CHECK(st->live_dashboard_sessions_of("teams", "U0ADA0001", 11 * hour, 12 * hour) == 1);
    // The phone has been idle past 12 h, the laptop was used at 11 h.
    CHECK(st->live_dashboard_sessions_of("slack", "U0ADA0001", 13 * hour, 12 * hour) == 1);
    CHECK(st->live_dashboard_sessions_of("slack", "U0NOBODY1", 11 * hour, 12 * hour) == 0);
}

TEST_CASE("starting a session forgets sessions past their end", "[store][sessions]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->insert_dashboard_session(signed_in("old", "U0OLD0001", 0));
    st->insert_dashboard_session(signed_in("new", "U0NEW0001", 8 * 24 * hour));
    CHECK(st->revoke_dashboard_sessions("U0OLD0001") == 0);
}
