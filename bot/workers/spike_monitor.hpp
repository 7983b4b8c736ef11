#pragma once
// Looks for spiking items every few minutes and posts one alert per spike in the owner's
// channel, before the council meets. The store remembers which spikes were alerted, so restarts
// never repeat an alert; an item's alert is re-armed once its rate falls back below the threshold.
#include "bot/core/live_config.hpp"
#include "bot/services/service_deps.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>

namespace cxos::bot {


// One look: alerts new spikes, re-arms ended ones; returns the channels that got alerts.
// Runs on the storage thread inside a commit.
std::vector<std::pair<std::string, std::string>> check_spikes(storage::store& st, const journey_config& journey,
                                                              const spike_settings& settings, millis now);

class spike_monitor {
  public:
    // Alerts arrive at most this long after the report that made the spike.
    static constexpr millis check_interval = 5 * 60 * 1000;

    spike_monitor(boost::asio::any_io_executor ex, storage::commit_queue& queue, outbox_doorbell& outbox,
                  const live_config& config, std::function<millis()> clock);

    void start();
    void stop();
    // The clock moved (a test clock was set): look again now.
    void poke();
    // Nothing to do until its next timer: no check running, none asked for (tests wait for this).
    bool idle() const { return !poked_ && !running_; }

  private:
    boost::asio::awaitable<void> loop();

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    outbox_doorbell& outbox_;
    const live_config& config_; // one snapshot per look
    std::function<millis()> clock_;
    boost::asio::steady_timer wake_;
    bool stopping_ = false;
    bool poked_ = false;
    bool running_ = false;
};

} // namespace cxos::bot
