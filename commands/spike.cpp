#include "commands/spike.hpp"
#include "commands/json_text.hpp"

#include "commands/item_views.hpp"
#include "commands/message_json.hpp"

#include <algorithm>
#include <cstdio>

namespace cxos {

namespace {

std::string one_decimal(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string days_text(double days) {
    const auto whole = static_cast<int>(days + 0.5);
    return whole == 1 ? "day" : std::to_string(whole) + " days";
}

} // namespace

spike_reading assess_spike(int recent_reports, int baseline_reports, millis first_seen, millis now,
                           const spike_settings& settings) {
    spike_reading r;
    r.recent_reports = recent_reports;
    const millis recent_start = now - day_ms;
    const millis window_start = recent_start - settings.baseline_days * day_ms;
    const millis observed_from = std::max(window_start, first_seen);
    r.baseline_days = std::clamp(static_cast<double>(recent_start - observed_from) / day_ms, 1.0,
                                 static_cast<double>(settings.baseline_days));
    r.baseline_per_day = baseline_reports / r.baseline_days;
    if (r.baseline_per_day > 0) r.ratio = recent_reports / r.baseline_per_day;
    r.spike = recent_reports >= settings.min_reports &&
              recent_reports > settings.factor * std::max(r.baseline_per_day, baseline_floor_per_day);
    return r;
}

spike_reading assess_report_times(const std::vector<millis>& reports, millis now, const spike_settings& settings) {
    const millis recent_start = now - day_ms;
    const millis window_start = recent_start - settings.baseline_days * day_ms;
    int recent = 0, baseline = 0;
    millis first_seen = now;
    for (millis at : reports) {
        if (at > now) continue; // not reported yet, as far as `now` knows
        first_seen = std::min(first_seen, at);
        if (at >= recent_start) ++recent;
        else if (at >= window_start) ++baseline;
    }
    return assess_spike(recent, baseline, first_seen, now, settings);
}

neutral_message render_spike_alert(const item& it, const spike_reading& r) {
    neutral_message m;
    m.title = "Spike";
    std::string text = "*" + it.title + "* — " + plural(r.recent_reports, "report") + " in the last 24 h vs ";
    if (r.baseline_per_day > 0)
        text += one_decimal(r.baseline_per_day) + "/day over the previous " + days_text(r.baseline_days) + " (" +
                one_decimal(r.ratio) + "×)";
    else
        text += "none over the previous " + days_text(r.baseline_days);
    m.text = std::move(text);
    const std::string id = std::to_string(it.id);
    m.context = "Item " + id + ", owned by #" + it.owner + " (" + std::string(to_label(it.status)) +
                "). cxos alerts once per spike: again only after the rate has fallen back.";
    return m;
}

delivery spike_alert_for(const item& it, const journey_config& journey, const spike_reading& r, millis now) {
    delivery d = owner_row(delivery_kind::notice, it, journey, now);
    d.payload = json_text(nlohmann::json(render_spike_alert(it, r)));
    return d;
}

} // namespace cxos
