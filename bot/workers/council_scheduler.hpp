#pragma once
// Posts the Experience Council agenda once a week at the configured local time. The store
// remembers which weeks were posted, so restarts never post a week twice; a week whose time
// passed while cxos was down is posted late, once, and says so. A schedule changed by a reload
// applies from then on: a week whose new time is already past is not posted late for it, and a
// week posted under the old schedule is not posted again (the store has the week's key).
#include "bot/core/live_config.hpp"
#include "bot/services/service_deps.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>

namespace cxos::bot {


class council_scheduler {
  public:
    council_scheduler(boost::asio::any_io_executor ex, storage::commit_queue& queue, outbox_doorbell& outbox,
                      const live_config& config, std::function<millis()> clock);

    // Runs while a council is configured; called again after a reload, it starts one set up since.
    void start();
    void stop();
    // The clock moved (a test clock was set): look again now.
    void poke();
    // Nothing to do until its next timer: no check running, none asked for (tests wait for this).
    bool idle() const { return !started_ || (!poked_ && !running_); }

    // Posted later than this after its time, the agenda says it is late.
    static constexpr millis late_after = 10 * 60 * 1000;

  private:
    boost::asio::awaitable<void> loop();
    // False when a due week waits for another instance, the leader, to post it.
    boost::asio::awaitable<bool> tick();

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    outbox_doorbell& outbox_;
    const live_config& config_;
    std::function<millis()> clock_;
    boost::asio::steady_timer wake_;
    millis since_ = -1; // weeks due before the council was first scheduled are not posted
    council_schedule schedule_; // the schedule of the last look: a change moves since_ to now
    bool stopping_ = false;
    bool poked_ = false;
    bool running_ = false;
    bool started_ = false; // no council configured: never started, always idle
};

} // namespace cxos::bot
