#include "bot/workers/spike_monitor.hpp"

#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/services/service_deps.hpp"
#include "bot/core/store_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <set>

namespace cxos::bot {

namespace asio = boost::asio;

std::vector<std::pair<std::string, std::string>> check_spikes(storage::store& st, const journey_config& journey,
                                                              const spike_settings& settings, millis now) {
    std::vector<std::pair<std::string, std::string>> queued;
    const millis recent_since = now - day_ms;
    const auto alerted_list = st.alerted_spikes();
    std::set<std::int64_t> still_alerted(alerted_list.begin(), alerted_list.end());
    for (const auto& a : st.item_activity_since(recent_since, recent_since - settings.baseline_days * day_ms)) {
        const auto reading = assess_spike(a.recent_reports, a.baseline_reports, a.first_seen, now, settings);
        const bool alerted = still_alerted.erase(a.item_id) > 0;
        if (!reading.spike) {
            if (alerted) st.set_spike_alerted(a.item_id, false, now); // fell back: the next spike alerts again
            continue;
        }
        if (alerted) continue; // this spike was announced already
        auto it = st.find_item_summary(a.item_id);
        if (!it) continue;
        delivery alert;
        try {
            alert = spike_alert_for(*it, journey, reading, now);
        } catch (const std::exception& e) {
            // One item that cannot be rendered must not cost every other item its alert.
            log_error("spike alert skipped: the item could not be rendered", {{"item", it->id}, {"error", e.what()}});
            continue;
        }
        if (alert.channel.empty()) continue; // an owner removed from the config has no channel
        queue_delivery(st, alert, queued);
        st.set_spike_alerted(a.item_id, true, now);
        metrics().count_spike_alert();
        log_info("spike alert queued", {{"item", it->id}, {"owner", it->owner}, {"reports_24h", reading.recent_reports},
                                        {"baseline_per_day", reading.baseline_per_day}});
    }
    // Alerted items without a report in the last 24 h (or closed since) are no longer spiking.
    for (auto id : still_alerted) st.set_spike_alerted(id, false, now);
    return queued;
}

spike_monitor::spike_monitor(asio::any_io_executor ex, storage::commit_queue& queue, outbox_doorbell& outbox,
                             const live_config& config, std::function<millis()> clock)
    : executor_(ex), queue_(queue), outbox_(outbox), config_(config), clock_(std::move(clock)), wake_(ex) {}

void spike_monitor::start() { asio::co_spawn(executor_, loop(), asio::detached); }

void spike_monitor::stop() {
    stopping_ = true;
    wake_.cancel();
}

void spike_monitor::poke() {
    poked_ = true;
    wake_.cancel();
}

asio::awaitable<void> spike_monitor::loop() {
    while (!stopping_) {
        poked_ = false;
        running_ = true;
        try {
            auto check = store_call(queue_, [config = config_.get(), now = clock_()](storage::store& st) {
                // One instance checks, or every instance would alert the same spike.
                if (!st.try_lead("spikes")) return std::vector<std::pair<std::string, std::string>>{};
                return check_spikes(st, config->journey, config->spikes, now);
            });
            auto queued = co_await std::move(check);
            if (!queued.empty()) outbox_.notify(queued);
        } catch (const std::exception& e) {
            log_warn("spike check failed", {{"error", e.what()}});
        }
        running_ = false;
        if (stopping_ || poked_) continue;
        wake_.expires_after(std::chrono::milliseconds(check_interval));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

} // namespace cxos::bot
