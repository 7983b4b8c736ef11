#include "bot/workers/outbox_worker.hpp"

#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store_call.hpp"
#include "commands/council.hpp"
#include "commands/item_views.hpp"
#include "commands/message_json.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <limits>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

using due_row = outbox_row;

struct poll_result {
    std::vector<std::pair<std::string, std::string>> resumed; // open channels found at start
    std::vector<due_row> due;
    millis next_due = std::numeric_limits<millis>::max();
};

} // namespace

outbox_worker::outbox_worker(asio::any_io_executor ex, storage::commit_queue& queue, const journey_config& journey,
                             std::function<millis()> clock, delivery_holds& holds, outbox_settings settings)
    : executor_(ex), queue_(queue), holds_(holds), journey_(journey), clock_(std::move(clock)), settings_(settings),
      wake_(ex) {}

void outbox_worker::add_sender(platform_sender& sender) {
    const std::string platform(sender.platform());
    platforms_[platform] = platform_route{&sender, ""};
    senders_[platform] = &sender;
    pacers_.insert_or_assign(platform, channel_pacer(sender.rate(), sender.burst()));
}

void outbox_worker::add_unavailable(std::string platform, std::string why) {
    platforms_[std::move(platform)] = platform_route{nullptr, std::move(why)};
}

std::vector<std::string> outbox_worker::platforms() const {
    std::vector<std::string> out;
    for (const auto& [platform, sender] : senders_) out.push_back(platform);
    return out;
}

channel_pacer& outbox_worker::pacer_for(const std::string& platform) {
    // A platform without a sender never gets this far (its rows are dead letters); a default
    // bucket keeps the lookup total.
    return pacers_.try_emplace(platform).first->second;
}

outbox_worker::~outbox_worker() { *alive_ = false; }

void outbox_worker::start() {
    asio::co_spawn(executor_, check_credentials_at_start(), asio::detached);
    asio::co_spawn(executor_, loop(), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log_error("outbox worker stopped", {{"error", ex.what()}});
        }
    });
}

void outbox_worker::notify(const std::string& platform, const std::string& channel) {
    channels_.emplace(platform, channel);
    notify();
}

void outbox_worker::notify(const queued_channels& channels) {
    channels_.insert(channels.begin(), channels.end());
    notify();
}

void outbox_worker::notify() {
    woken_ = true;
    wake_.cancel();
}

void outbox_worker::stop() {
    stopping_ = true;
    wake_.cancel();
}

millis outbox_worker::backoff(int attempts) {
    // Exponential with full jitter in its upper half: retries from many rows do not align.
    millis ceiling = settings_.base_backoff;
    for (int i = 1; i < attempts && ceiling < settings_.max_backoff; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, settings_.max_backoff);
    std::uniform_int_distribution<millis> spread(ceiling / 2, ceiling);
    return spread(jitter_);
}

asio::awaitable<void> outbox_worker::loop() {
    while (!stopping_) {
        if (millis since = clock_() - last_poll_; since < settings_.min_poll_gap) {
            wake_.expires_after(std::chrono::milliseconds(settings_.min_poll_gap - since));
            co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        woken_ = false;
        const millis now = clock_();
        last_poll_ = now;
        millis next_wake = now + settings_.poll_interval;

        // Only channels that could send now are looked up: busy or paced ones wait their turn.
        std::vector<std::pair<std::string, std::string>> candidates;
        bool paced = false;
        for (const auto& ch : channels_) {
            if (busy_channels_.count(ch.second) || holds_.held(ch.first)) continue;
            if (millis wait = pacer_for(ch.first).available_in(ch.second, now); wait > 0) {
                next_wake = std::min(next_wake, now + wait);
                paced = true;
                continue;
            }
            candidates.push_back(ch);
        }
        poll_result polled;
        // At start, and now and then after it, channels with open rows the worker does not know
        // yet are looked up: rows an operator requeued (`cxos outbox retry --dead`) among them.
        const auto steady_now = std::chrono::steady_clock::now();
        const bool scan = !resumed_ || steady_now - last_scan_ >= settings_.rescan_interval;
        if (scan || !candidates.empty()) {
            std::set<std::pair<std::string, std::string>> known;
            std::set<std::string> held;
            if (scan) {
                known = channels_;
                for (const auto& [platform, hold] : holds_.all()) held.insert(platform);
            }
            polling_ = true;
            try {
                auto poll = store_call(queue_, [now, candidates, scan, known = std::move(known), held = std::move(held),
                                                journey = &journey_, platforms = &platforms_](storage::store& st) {
                    poll_result r;
                    auto look = candidates;
                    if (scan) {
                        for (auto& ch : st.open_channels())
                            if (!known.count(ch) && !held.count(ch.first)) r.resumed.push_back(std::move(ch));
                        look.insert(look.end(), r.resumed.begin(), r.resumed.end());
                    }
                    for (const auto& [platform, channel] : look) {
                        auto head = st.channel_head(platform, channel);
                        if (!head) continue;
                        if (head->next_attempt_at > now) {
                            r.next_due = std::min(r.next_due, head->next_attempt_at);
                            continue;
                        }
                        if (auto row = prepare_isolated(st, *journey, std::move(*head), now, *platforms))
                            r.due.push_back(std::move(*row));
                        else r.next_due = now; // the next row of that channel is up now
                    }
                    return r;
                });
                polled = co_await std::move(poll);
                resumed_ = true;
                if (scan) last_scan_ = steady_now;
            } catch (const std::exception& e) {
                log_warn("outbox poll failed", {{"error", e.what()}});
            }
            polling_ = false;
        }
        // A paced channel may hold a due row this poll did not look at: not idle until it is seen.
        found_due_ = paced || !polled.due.empty() || polled.next_due <= now;
        for (auto& ch : polled.resumed) channels_.insert(ch);
        next_wake = std::min(next_wake, polled.next_due);
        for (auto& row : polled.due) {
            if (busy_channels_.count(row.d.channel)) continue; // listed twice when resuming
            if (millis wait = pacer_for(row.d.platform).reserve(row.d.channel, now); wait > 0) {
                next_wake = std::min(next_wake, now + wait);
                continue;
            }
            busy_channels_.insert(row.d.channel);
            asio::co_spawn(executor_, deliver(std::move(row)), asio::detached);
        }
        if (stopping_ || woken_) continue;
        wake_.expires_after(std::chrono::milliseconds(std::max<millis>(next_wake - clock_(), 1)));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<bool> outbox_worker::save(const delivery& d) {
    try {
        auto write = store_call(queue_, [d](storage::store& st) {
            st.update_delivery(d);
            // The item reaches its owner when its post does: that is its time to route.
            if (d.kind == delivery_kind::routed_item && d.state == delivery_state::sent) {
                if (auto it = st.find_item(d.item_id); it && it->routed_at == 0) {
                    it->routed_at = d.updated_at;
                    if (it->status == item_status::fresh) it->status = item_status::routed;
                    st.update_item(*it);
                }
            }
            return true;
        });
        co_return co_await std::move(write);
    } catch (const std::exception& e) {
        // The row keeps its last durable state; a `sending` row is re-checked before any resend.
        log_error("outbox could not record a delivery", {{"delivery", d.id}, {"error", e.what()}});
        co_return false;
    }
}

asio::awaitable<void> outbox_worker::deliver(due_row row) {
    delivery& d = row.d;
    // Frees the channel however this ends; at shutdown the frame may outlive the worker.
    struct release {
        outbox_worker* w;
        std::shared_ptr<bool> alive;
        std::string channel;
        ~release() {
            if (!*alive) return;
            w->busy_channels_.erase(channel);
            w->notify();
        }
    } guard{this, alive_, d.channel};

    platform_sender& sender = *senders_.at(d.platform); // prepared rows have a sender
    const bool is_post = d.kind == delivery_kind::routed_item || d.kind == delivery_kind::notice ||
                         d.kind == delivery_kind::council_item || d.kind == delivery_kind::thread_reply;
    if (d.state == delivery_state::sending && is_post) {
        // Edits and ephemerals are safe to repeat; a post is not. Its last attempt's outcome is
        // unknown (a crash, a lost answer, a 5xx): the sender's policy says whether it arrived
        // (Slack reads the channel) or that it cannot tell (Teams: post again, at least once);
        // while it cannot tell *yet*, wait rather than risk a duplicate.
        auto found = co_await sender.find_posted(d);
        switch (found.outcome) {
        case posted_check::kind::found:
            d.state = delivery_state::sent;
            d.platform_ref = found.ref;
            d.last_error.clear();
            d.updated_at = clock_();
            log_info("in-doubt delivery was already posted", {{"delivery", d.id}, {"channel", d.channel}});
            co_await save(d);
            co_return;
        case posted_check::kind::unauthorized:
            hold(d.platform, found.error); // still in doubt: asked again once a token works
            co_return;
        case posted_check::kind::unknown:
            d.next_attempt_at = clock_() + backoff(d.attempts + 1);
            d.last_error = "checking whether " + d.platform + " already posted it: " + found.error;
            log_warn("in-doubt delivery not yet confirmed", {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error}});
            co_await save(d);
            co_return;
        case posted_check::kind::not_found: break;
        }
    }

    const bool was_in_doubt = d.state == delivery_state::sending;
    d.state = delivery_state::sending;
    d.attempts += 1;
    d.updated_at = clock_();
    // Durable before the request leaves, so a crash leaves it "in doubt", never "pending".
    if (!co_await save(d)) co_return;

    auto result = co_await sender.deliver(row);
    const millis now = clock_();
    d.updated_at = now;
    switch (result.outcome) {
    case send_outcome::kind::sent:
        d.state = delivery_state::sent;
        if (d.kind != delivery_kind::item_update && d.kind != delivery_kind::reaction) d.platform_ref = result.ref;
        d.last_error.clear();
        metrics().count_outbox_sent();
        log_debug("delivered", {{"delivery", d.id}, {"channel", d.channel}});
        break;
    case send_outcome::kind::rate_limited: {
        const millis until = now + result.retry_after_seconds * 1000;
        pacer_for(d.platform).pause(d.channel, until);
        d.state = delivery_state::pending;
        d.next_attempt_at = until;
        d.last_error = result.error;
        log_warn("channel rate limited", {{"channel", d.channel}, {"retry_after_s", result.retry_after_seconds}});
        break;
    }
    case send_outcome::kind::retry:
        d.state = result.maybe_posted ? delivery_state::sending : delivery_state::pending;
        d.next_attempt_at = now + backoff(d.attempts);
        d.last_error = result.error;
        metrics().count_outbox_retry();
        log_warn("delivery failed, will retry",
                 {{"delivery", d.id}, {"channel", d.channel}, {"attempts", d.attempts}, {"error", d.last_error}});
        break;
    case send_outcome::kind::dead:
        d.state = delivery_state::dead;
        d.last_error = result.error;
        metrics().count_outbox_dead_letter();
        log_error("delivery dead-lettered", {{"delivery", d.id}, {"signal", d.signal_id}, {"item", d.item_id},
                                             {"channel", d.channel}, {"error", d.last_error}});
        break;
    case send_outcome::kind::unauthorized:
        // Refused before anything was posted: the row waits as it was for a working token.
        d.state = was_in_doubt ? delivery_state::sending : delivery_state::pending;
        d.next_attempt_at = now;
        d.last_error = "on hold: " + d.platform + " refused cxos's token (" + result.error + ")";
        hold(d.platform, result.error);
        break;
    }
    co_await save(d);
}

void outbox_worker::hold(const std::string& platform, const std::string& error) {
    if (!holds_.hold_platform(platform, error, clock_())) return;
    log_error("deliveries on hold: the platform refused cxos's token",
              {{"platform", platform}, {"error", error},
               {"hint", "set working credentials (a new token, or reinstall the app if it was revoked); nothing is "
                        "lost, posts resume by themselves"}});
    asio::co_spawn(executor_, recheck_credentials(platform), asio::detached);
}

asio::awaitable<void> outbox_worker::recheck_credentials(std::string platform) {
    const auto alive = alive_;
    asio::steady_timer wait(executor_);
    for (int attempt = 1; *alive && !stopping_; ++attempt) {
        wait.expires_after(std::chrono::milliseconds(backoff(attempt)));
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!*alive || stopping_) co_return;
        auto answer = co_await senders_.at(platform)->check_credentials();
        if (!*alive) co_return;
        if (answer.error.empty()) {
            holds_.release(platform);
            log_info("deliveries resumed: the platform accepts cxos's token again", {{"platform", platform}});
            notify();
            co_return;
        }
    }
}

asio::awaitable<void> outbox_worker::check_credentials_at_start() {
    const auto alive = alive_;
    for (auto [platform, sender] : senders_) {
        auto answer = co_await sender->check_credentials();
        if (!*alive) co_return;
        if (answer.refused) hold(platform, answer.error);
        else if (!answer.error.empty())
            log_warn("could not check the platform's credentials at start; posts will tell",
                     {{"platform", platform}, {"error", answer.error}});
    }
}

} // namespace cxos::bot
