#pragma once
// The only sender. Claims due outbox rows (one head per channel), paces each channel on its
// own, records every attempt durably before and after it, and resolves posts left in doubt by a
// crash by asking Slack before posting again.
#include "bot/channel_pacer.hpp"
#include "bot/slack_sender.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <random>
#include <set>

namespace cxos::bot {

struct outbox_settings {
    millis poll_interval = 1000;
    millis base_backoff = 1000;
    millis max_backoff = 5 * 60 * 1000;
    int claim_limit = 256;
    double channel_rate = 1.0;
    double channel_burst = 5.0;
};

class outbox_worker {
  public:
    outbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, slack_sender& slack,
                  std::function<millis()> clock, outbox_settings settings = {});
    ~outbox_worker();
    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    void start();
    void notify(); // something new was committed: look now rather than at the next poll
    void stop();
    std::size_t in_flight() const { return in_flight_.size(); }

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> deliver(delivery d, signal s);
    boost::asio::awaitable<void> save(const delivery& d);
    millis backoff(int attempts);

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    slack_sender& slack_;
    std::function<millis()> clock_;
    outbox_settings settings_;
    boost::asio::steady_timer wake_;
    channel_pacer pacer_;
    std::set<std::int64_t> in_flight_;
    std::set<std::string> busy_channels_;
    std::mt19937 jitter_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool stopping_ = false;
    bool woken_ = false;
};

} // namespace cxos::bot
