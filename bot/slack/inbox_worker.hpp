#pragma once
// Processes events Slack was already told "200 OK" about: each is in the store before the ack,
// so none is lost, and is worked on here with the Web API calls it needs (reading the flagged
// message, its permalink), retried with back-off.
#include "bot/core/live_config.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/services/service_deps.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>

namespace cxos::bot {


class inbox_worker {
  public:
    inbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, slack_sender& slack,
                 outbox_doorbell& outbox, const delivery_holds& holds, const live_config& config,
                 std::function<millis()> clock, grouping_index* grouping = nullptr);

    void start();
    void notify();
    void stop();
    // Nothing due: its last look at the store found no event to work on now, and none is running.
    bool idle() const { return !woken_ && !running_ && !found_work_; }

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> process(const storage::inbox_row& row_in);
    // Records a failed attempt: back off exponentially, dead after max_attempts.
    boost::asio::awaitable<void> retry_later(storage::inbox_row row, millis now, std::string why);
    // A vote reaction on a council reply: counted for members, refused with a note otherwise.
    boost::asio::awaitable<void> process_vote(const storage::inbox_row& row);

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    slack_sender& slack_;
    outbox_doorbell& outbox_;
    const delivery_holds& holds_;
    const live_config& config_; // one snapshot per event worked on
    std::function<millis()> clock_;
    grouping_index* grouping_; // a flagged message is grouped like any report (storage thread only)
    boost::asio::steady_timer wake_;
    bool stopping_ = false;
    bool woken_ = false;
    bool running_ = false;
    bool found_work_ = false;
};

} // namespace cxos::bot
