// The spike detector on synthetic report series: steady, slow growth, a spike, noise, new items.
#include "commands/spike.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace cxos;

namespace {

constexpr millis hour = 3600 * 1000;
constexpr millis now = 100 * day_ms; // far from the epoch: every window is in the past

// `per_day[i]` reports spread evenly over day i, counted back from now (0 = the last 24 h).
std::vector<millis> series(const std::vector<int>& per_day) {
    std::vector<millis> out;
    for (std::size_t d = 0; d < per_day.size(); ++d)
        for (int k = 0; k < per_day[d]; ++k)
            out.push_back(now - static_cast<millis>(d) * day_ms - (k + 1) * (day_ms / (per_day[d] + 1)));
    return out;
}

const spike_settings defaults{};

} // namespace

TEST_CASE("a steady item does not spike", "[spike]") {
    auto r = assess_report_times(series(std::vector<int>(30, 6)), now, defaults);
    CHECK(r.recent_reports == 6);
    CHECK(r.baseline_per_day == Approx(6.0));
    CHECK(r.baseline_days == Approx(7.0));
    CHECK(r.ratio == Approx(1.0));
    CHECK_FALSE(r.spike);
}

TEST_CASE("slow growth does not spike", "[spike]") {
    // 20 % more each day for two weeks: the last day is ~2.2× the week's average, under 3×.
    std::vector<int> per_day;
    double v = 40;
    for (int d = 0; d < 14; ++d, v /= 1.2) per_day.push_back(static_cast<int>(v));
    auto r = assess_report_times(series(per_day), now, defaults);
    CHECK(r.recent_reports == 40);
    CHECK(r.ratio < 3.0);
    CHECK_FALSE(r.spike);
}

TEST_CASE("a spike over a quiet baseline is detected with its numbers", "[spike]") {
    // 10 reports over the previous week (1.4/day), then 12 in the last 24 h.
    auto r = assess_report_times(series({12, 2, 1, 2, 1, 2, 1, 1, 5, 5}), now, defaults);
    CHECK(r.recent_reports == 12);
    CHECK(r.baseline_per_day == Approx(10.0 / 7));
    CHECK(r.ratio == Approx(8.4));
    CHECK(r.spike);
}

TEST_CASE("a spike needs the minimum number of reports", "[spike]") {
    // 4 reports after a week of none is 4× the floor but under min_reports.
    CHECK_FALSE(assess_report_times(series({4, 0, 0, 0, 0, 0, 0, 0, 1}), now, defaults).spike);
    CHECK(assess_report_times(series({5, 0, 0, 0, 0, 0, 0, 0, 1}), now, defaults).spike);
    // Exactly factor × baseline is not above it.
    CHECK_FALSE(assess_report_times(series({6, 2, 2, 2, 2, 2, 2, 2, 1}), now, defaults).spike);
    CHECK(assess_report_times(series({7, 2, 2, 2, 2, 2, 2, 2, 1}), now, defaults).spike);
}

TEST_CASE("noise around a steady rate does not spike", "[spike]") {
    std::mt19937 random(42);
    std::poisson_distribution<int> daily(8.0);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<int> per_day;
        for (int d = 0; d < 10; ++d) per_day.push_back(daily(random));
        INFO("trial " << trial);
        CHECK_FALSE(assess_report_times(series(per_day), now, defaults).spike);
    }
}

TEST_CASE("a brand-new item spikes only with enough reports", "[spike]") {
    // Everything within the last few hours: no baseline, so the floor of one a day applies.
    std::vector<millis> few = {now - 3 * hour, now - 2 * hour};
    auto quiet = assess_report_times(few, now, defaults);
    CHECK(quiet.baseline_per_day == 0);
    CHECK(quiet.ratio == 0);
    CHECK_FALSE(quiet.spike);
    std::vector<millis> burst;
    for (int i = 0; i < 6; ++i) burst.push_back(now - i * hour);
    CHECK(assess_report_times(burst, now, defaults).spike);
}

TEST_CASE("a young item's baseline is averaged over the days it existed", "[spike]") {
    // First seen 3 days ago: 6 reports in the 2 days before the last 24 h are 3/day, not 6/7.
    auto r = assess_spike(8, 6, now - 3 * day_ms, now, defaults);
    CHECK(r.baseline_days == Approx(2.0));
    CHECK(r.baseline_per_day == Approx(3.0));
    CHECK_FALSE(r.spike);
}

TEST_CASE("the spike settings are honoured", "[spike]") {
    spike_settings strict{2.0, 3, 3};
    auto r = assess_report_times(series({3, 1, 1, 1, 50}), now, strict); // the 50 is outside 3 days
    CHECK(r.baseline_per_day == Approx(1.0));
    CHECK(r.spike);
}

TEST_CASE("the spike alert says the numbers and goes to the owner's channel", "[spike]") {
    item it;
    it.id = 3;
    it.title = "the refund page is blank";
    it.owner = "billing";
    auto r = assess_report_times(series({12, 2, 1, 2, 1, 2, 1, 1, 5}), now, defaults);
    auto m = render_spike_alert(it, r);
    CHECK(m.fallback_text() == "Spike: *the refund page is blank* — 12 reports in the last 24 h vs 1.4/day over the "
                               "previous 7 days (8.4×)");
    CHECK_THAT(m.context, Catch::Contains("Item 3"));

    auto fresh = render_spike_alert(it, assess_report_times(std::vector<millis>(6, now - hour), now, defaults));
    CHECK(fresh.text == "*the refund page is blank* — 6 reports in the last 24 h vs none over the previous day");

    journey_config j;
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    auto d = spike_alert_for(it, j, r, now);
    CHECK(d.kind == delivery_kind::notice);
    CHECK(d.channel == "C0BILLING");
    CHECK(d.thread_ts.empty());
    CHECK(d.item_id == 3);
}
