#pragma once
// The only sender. Claims due outbox rows (one head per channel) with a lease, so several
// instances on one database never send a row twice and take over a dead one's claims; paces each
// channel through the store, so the pace holds across instances; records every attempt durably
// before and after it, and resolves posts left in doubt by a crash by asking before posting again.
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
    // Whose claims these are: unique per running process (a restarted instance is a new one).
    std::string instance = "cxos";
    // How long a claim lasts unrenewed; after it another instance takes the row over. A live
    // instance renews its claims every third of it while their attempt runs, however slow.
    millis claim_lease = 30'000;
    // The only server of its database (SQLite's lock file): claims left by a crashed run of it are
    // void at start instead of holding their channels until their leases end.
    bool sole_server = true;
    int max_in_flight = 32; // rows sent at once, each in its own channel
};

class outbox_worker final : public outbox_doorbell {
  public:
    outbox_worker(boost::asio::any_io_executor ex, storage::commit_queue& queue, const live_config& config,
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
    // Something new was committed: look now rather than at the next poll.
    void notify(const queued_channels& channels) override;
    void notify();
    void stop();
    // Nothing to send now: no delivery in flight, none asked for, and its last look at the store
    // found no row due (rows waiting for a backoff are not due; rows waiting for their channel's
    // pace or another instance's claim are). Tests wait for this.
    bool idle() const { return !woken_ && !polling_ && in_flight_.empty() && !found_due_; }
    // A poll or an attempt is still running: a graceful stop waits for them, so that every claim
    // is given back and every answer Slack or Teams already gave is recorded.
    bool sending() const { return polling_ || !in_flight_.empty(); }

    // Platforms whose rows wait for a working token.
    const delivery_holds& holds() const { return holds_; }

  private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> deliver(outbox_row row);
    // Records nothing when the row's claim was lost (another instance took the row over: it is
    // not this one's to send, nor its outcome this one's to write; the new owner checks for the
    // post as after a crash). Before the send it renews the claim; after it gives the claim back, and holds its channel on every instance until
    // `pause_until` (a 429) when that is not 0. False: not recorded.
    boost::asio::awaitable<bool> save(const delivery& d, bool before_send, millis pause_until);
    // Renews the row's claim every third of the lease until `attempt` is over: a send or an
    // in-doubt check slower than the lease must not let another instance take the row over and
    // post it a second time while this one's request is still on the wire.
    struct attempt_state;
    boost::asio::awaitable<void> keep_claim(std::int64_t id, std::shared_ptr<attempt_state> attempt);
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
    std::map<std::string, storage::pace_rule, std::less<>> paces_;
    const live_config& config_; // one snapshot per poll
    std::function<millis()> clock_;
    outbox_settings settings_;
    boost::asio::steady_timer wake_;
    bool resumed_ = false;
    millis last_poll_ = 0;
    std::set<std::int64_t> in_flight_; // delivery ids claimed and being sent
    std::mt19937 jitter_{std::random_device{}()};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool stopping_ = false;
    bool woken_ = false;
    bool polling_ = false;
    bool found_due_ = false;
};

} // namespace cxos::bot
