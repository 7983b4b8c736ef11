// check_spikes against a real (in-memory) store: one alert per spike, re-armed when it ends.
#include "bot/services/intake.hpp"
#include "bot/workers/spike_monitor.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::bot;

namespace {

constexpr millis hour = 3600 * 1000;
constexpr millis start = 100 * day_ms;

journey_config journey() {
    journey_config j;
    j.stages = {"renew"};
    j.owners["billing"] = owner{"billing", "C0BILLING", "", ""};
    j.fallback = "billing";
    return j;
}

void report(storage::store& st, const journey_config& j, millis at) {
    cxos::signal s;
    s.source = {"slack", "T1", "C0SUPPORT", "U1", "", "", "", ""};
    s.description = "the refund page is blank";
    s.route = {"billing", "", "no rule matched"};
    s.created_at = at;
    record_signal(st, j, s, at);
}

} // namespace

TEST_CASE("a spike is alerted once and again only after it ended", "[spike][store]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    const spike_settings settings{};

    for (int i = 0; i < 4; ++i) report(*st, j, start + i * hour);
    CHECK(check_spikes(*st, j, settings, start + 4 * hour).empty()); // 4 < min_reports
    report(*st, j, start + 5 * hour);
    auto first = check_spikes(*st, j, settings, start + 5 * hour);
    REQUIRE(first.size() == 1);
    CHECK(first[0] == std::pair<std::string, std::string>{"slack", "C0BILLING"});
    CHECK(st->alerted_spikes().size() == 1);

    // More reports in the same spike: no second alert.
    report(*st, j, start + 6 * hour);
    CHECK(check_spikes(*st, j, settings, start + 6 * hour).empty());

    // Two quiet days: the rate fell back, the alert is re-armed, nothing is posted.
    const millis later = start + 3 * day_ms;
    CHECK(check_spikes(*st, j, settings, later).empty());
    CHECK(st->alerted_spikes().empty());

    // A new burst above 3× the baseline (6 reports over the 2.3 days before the last 24 h) alerts again.
    for (int i = 0; i < 9; ++i) report(*st, j, later + i * hour);
    CHECK(check_spikes(*st, j, settings, later + 9 * hour).size() == 1);
}
