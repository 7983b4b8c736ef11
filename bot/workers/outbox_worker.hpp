#pragma once
// The only sender. Claims due outbox rows (one head per channel), paces each channel on its
// own, records every attempt durably before and after it, and resolves posts left in doubt by a
// crash by asking Slack before posting again.
#include "bot/workers/channel_pacer.hpp"
#include "bot/core/delivery_holds.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/teams/teams_sender.hpp"
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
    // Teams allows 7 posts a second and 60 per 30 s per conversation: a burst of 5 then 55 per
    // 30 s keeps every 1 s window under 7 and every 30 s window at 60.
    double teams_rate = 55.0 / 30.0;
    double teams_burst = 5.0;
    bool slack_enabled = true; // false in a Teams-only deployment: Slack rows are dead letters
    std::chrono::milliseconds rescan_interval{30'000}; // how often channels it does not know are looked for
};

class outbox_worker {
  public:
    outbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, slack_sender& slack,
                  const journey_config& journey, std::function<millis()> clock, delivery_holds& holds,
                  outbox_settings settings = {}, teams_sender* teams = nullptr);
    ~outbox_worker();
    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    void start();
    // Something new was committed for this channel: look now rather than at the next poll.
    void notify(const std::string& platform, const std::string& channel);
    void notify(const std::vector<std::pair<std::string, std::string>>& channels);
    void notify();
    void stop();

    // Platforms whose rows wait for a working token.
    const delivery_holds& holds() const { return holds_; }

    struct due_row; // a row ready to send, with what it needs (outbox_worker.cpp)

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> deliver(due_row row);
    boost::asio::awaitable<send_result> send(const due_row& row);
    channel_pacer& pacer_for(const std::string& platform) { return platform == "teams" ? teams_pacer_ : pacer_; }
    boost::asio::awaitable<bool> save(const delivery& d); // false: not recorded
    millis backoff(int attempts);
    // The platform refused cxos's credentials: hold its rows (once, loudly) and ask until it accepts them.
    void hold(const std::string& platform, const std::string& error);
    boost::asio::awaitable<void> recheck_credentials(std::string platform);
    // At start: is the Slack token accepted? A refused one holds Slack before any post is tried.
    boost::asio::awaitable<void> check_credentials_at_start();

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    slack_sender& slack_;
    teams_sender* teams_;
    delivery_holds& holds_;
    const journey_config& journey_;
    std::function<millis()> clock_;
    outbox_settings settings_;
    boost::asio::steady_timer wake_;
    channel_pacer pacer_;
    channel_pacer teams_pacer_;
    // Every channel the outbox serves: config owners, new deliveries, and whatever was still
    // open in the store at start. Small (one per owner), so it is never pruned.
    std::set<std::pair<std::string, std::string>> channels_;
    bool resumed_ = false;
    std::chrono::steady_clock::time_point last_scan_{};
    millis last_poll_ = 0;
    std::set<std::string> busy_channels_;
    std::mt19937 jitter_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool stopping_ = false;
    bool woken_ = false;
};

} // namespace cxos::bot
