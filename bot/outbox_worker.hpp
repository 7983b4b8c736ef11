#pragma once
// The only sender. Claims due outbox rows (one head per channel), paces each channel on its
// own, records every attempt durably before and after it, and resolves posts left in doubt by a
// crash by asking Slack before posting again.
#include "bot/channel_pacer.hpp"
#include "bot/slack_sender.hpp"
#include "commands/journey.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <random>
#include <set>

namespace cxos::bot {

struct outbox_settings {
    millis poll_interval = 1000;
    millis min_poll_gap = 20; // under load, many notifications share one look at the store
    millis base_backoff = 1000;
    millis max_backoff = 5 * 60 * 1000;
    double channel_rate = 1.0;
    double channel_burst = 5.0;
};

class outbox_worker {
  public:
    outbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, slack_sender& slack,
                  const journey_config& journey, std::function<millis()> clock, outbox_settings settings = {});
    ~outbox_worker();
    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    void start();
    // Something new was committed for this channel: look now rather than at the next poll.
    void notify(const std::string& platform, const std::string& channel);
    void notify(const std::vector<std::pair<std::string, std::string>>& channels);
    void notify();
    void stop();

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> deliver(delivery d, neutral_message message, std::string parent_ts);
    boost::asio::awaitable<bool> save(const delivery& d); // false: not recorded
    millis backoff(int attempts);

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    slack_sender& slack_;
    const journey_config& journey_;
    std::function<millis()> clock_;
    outbox_settings settings_;
    boost::asio::steady_timer wake_;
    channel_pacer pacer_;
    // Every channel the outbox serves: config owners, new deliveries, and whatever was still
    // open in the store at start. Small (one per owner), so it is never pruned.
    std::set<std::pair<std::string, std::string>> channels_;
    bool resumed_ = false;
    millis last_poll_ = 0;
    std::set<std::string> busy_channels_;
    std::mt19937 jitter_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool stopping_ = false;
    bool woken_ = false;
};

} // namespace cxos::bot
