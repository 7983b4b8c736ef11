#pragma once
// Spike detection: an item whose reports in the last 24 h exceed its trailing baseline by a
// factor is worth telling its owner about before the council meets. Pure: the bot counts the
// reports in the store and asks here.
#include "commands/items.hpp"
#include "commands/message.hpp"

#include <vector>

namespace cxos {

inline constexpr millis day_ms = 24LL * 3600 * 1000;

struct spike_settings {
    double factor = 3.0;  // last 24 h must exceed factor × the baseline per day…
    int min_reports = 5;  // …and reach this many reports
    int baseline_days = 7; // the baseline: reports per day over this many days before the last 24 h
};

// A baseline below this many reports a day counts as this, so one report after a quiet week
// (or a brand-new item's first few) is not a "spike" of infinite size.
inline constexpr double baseline_floor_per_day = 1.0;

struct spike_reading {
    int recent_reports = 0;      // in the last 24 h
    double baseline_per_day = 0; // over the observed part of the baseline window
    double baseline_days = 0;    // how much of the window the item existed (at most baseline_days)
    double ratio = 0;            // recent / baseline_per_day; 0 when there was no baseline
    bool spike = false;
};

// `baseline_reports` fell in the `baseline_days` before the last 24 h; `first_seen` is the item's
// first report, so a young item's baseline is averaged over the days it existed (at least one).
spike_reading assess_spike(int recent_reports, int baseline_reports, millis first_seen, millis now,
                           const spike_settings& settings);

// The same from report times (any order; reports older than the baseline window are ignored).
spike_reading assess_report_times(const std::vector<millis>& reports, millis now, const spike_settings& settings);

// "Spike: *title* — 12 reports in the last 24 h vs 1.4/day over the previous 7 days (8.6×)".
neutral_message render_spike_alert(const item& it, const spike_reading& r);

// The outbox row that posts the alert in the owner's channel.
delivery spike_alert_for(const item& it, const journey_config& journey, const spike_reading& r, millis now);

} // namespace cxos
