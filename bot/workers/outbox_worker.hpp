#pragma once
// The only sender. Claims due outbox rows (one head per channel), paces each channel on its
// own, records every attempt durably before and after it, and resolves posts left in doubt by a
// crash by asking Slack before posting again.
#include "bot/workers/channel_pacer.hpp"
#include "bot/core/delivery_holds.hpp"
#include "bot/services/service_deps.hpp"
#include "bot/workers/outbox_rows.hpp"
#include "bot/workers/sender.hpp"
#include "commands/journey.hpp"
#include "storage/commit_queue.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <random>
#include <map>
#include <set>

namespace cxos::bot {

struct outbox_settings {
    millis poll_interval = 1000;
    millis min_poll_gap = 20; // under load, many notifications share one look at the store
    millis base_backoff = 1000;
    millis max_backoff = 5 * 60 * 1000;
    std::chrono::milliseconds rescan_interval{30'000}; // how often channels it does not know are looked for
};

class outbox_worker final : public outbox_doorbell {
  public:
    outbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, const journey_config& journey,
                  std::function<millis()> clock, delivery_holds& holds, outbox_settings settings = {});
    ~outbox_worker();
    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    // Before start: the sender of a platform's rows, or why that platform cannot be posted to
    // (its rows become dead letters saying so).
    void add_sender(platform_sender& sender);
    void add_unavailable(std::string platform, std::string why);
    // The platforms that have a sender.
    std::vector<std::string> platforms() const;

    void start();
    // Something new was committed for this channel: look now rather than at the next poll.
    void notify(const std::string& platform, const std::string& channel);
    void notify(const queued_channels& channels) override;
    void notify();
    void stop();
    // Nothing to send now: no delivery in flight, none asked for, and its last look at the store
    // found no row due (rows waiting for a backoff or a pace are not due). Tests wait for this.
    bool idle() const { return !woken_ && !polling_ && busy_channels_.empty() && !found_due_; }

    // Platforms whose rows wait for a working token.
    const delivery_holds& holds() const { return holds_; }

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> deliver(outbox_row row);
    channel_pacer& pacer_for(const std::string& platform);
    boost::asio::awaitable<bool> save(const delivery& d); // false: not recorded
    millis backoff(int attempts);
    // The platform refused cxos's credentials: hold its rows (once, loudly) and ask until it accepts them.
    void hold(const std::string& platform, const std::string& error);
    boost::asio::awaitable<void> recheck_credentials(std::string platform);
    // At start: is the Slack token accepted? A refused one holds Slack before any post is tried.
    boost::asio::awaitable<void> check_credentials_at_start();

    boost::asio::any_io_executor executor_;
    storage::commit_queue& queue_;
    delivery_holds& holds_;
    platform_table platforms_;
    std::map<std::string, platform_sender*, std::less<>> senders_;
    std::map<std::string, channel_pacer, std::less<>> pacers_;
    const journey_config& journey_;
    std::function<millis()> clock_;
    outbox_settings settings_;
    boost::asio::steady_timer wake_;
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
    bool polling_ = false;
    bool found_due_ = false;
};

} // namespace cxos::bot
