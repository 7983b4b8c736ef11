#include "bot/outbox_worker.hpp"

#include "bot/log.hpp"
#include "bot/store_call.hpp"
#include "commands/handlers.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <limits>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

struct poll_result {
    std::vector<std::pair<std::string, std::string>> resumed; // open channels found at start
    std::vector<std::pair<delivery, std::optional<signal>>> due;
    millis next_due = std::numeric_limits<millis>::max();
};

} // namespace

outbox_worker::outbox_worker(asio::any_io_executor ex, storage::commit_queue& queue,
                             slack_sender& slack, std::function<millis()> clock,
                             outbox_settings settings)
    : executor_(ex), queue_(queue), slack_(slack), clock_(std::move(clock)), settings_(settings),
      wake_(ex), pacer_(settings.channel_rate, settings.channel_burst) {}

outbox_worker::~outbox_worker() { *alive_ = false; }

void outbox_worker::start() {
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
        for (const auto& ch : channels_) {
            if (busy_channels_.count(ch.second)) continue;
            if (millis wait = pacer_.available_in(ch.second, now); wait > 0) {
                next_wake = std::min(next_wake, now + wait);
                continue;
            }
            candidates.push_back(ch);
        }
        poll_result polled;
        if (!resumed_ || !candidates.empty()) {
            try {
                auto poll = store_call(queue_, [now, candidates, resume = !resumed_](storage::store& st) {
                    poll_result r;
                    auto look = candidates;
                    if (resume) {
                        r.resumed = st.open_channels();
                        look.insert(look.end(), r.resumed.begin(), r.resumed.end());
                    }
                    for (const auto& [platform, channel] : look) {
                        auto head = st.channel_head(platform, channel);
                        if (!head) continue;
                        if (head->next_attempt_at > now) {
                            r.next_due = std::min(r.next_due, head->next_attempt_at);
                            continue;
                        }
                        auto sig = st.find_signal(head->signal_id);
                        r.due.emplace_back(std::move(*head), std::move(sig));
                    }
                    return r;
                });
                polled = co_await std::move(poll);
                resumed_ = true;
            } catch (const std::exception& e) {
                log_warn("outbox poll failed", {{"error", e.what()}});
            }
        }
        for (auto& ch : polled.resumed) channels_.insert(ch);
        next_wake = std::min(next_wake, polled.next_due);
        for (auto& [d, sig] : polled.due) {
            if (busy_channels_.count(d.channel)) continue; // listed twice when resuming
            if (!sig) {
                log_error("outbox row without its signal", {{"delivery", d.id}});
                continue;
            }
            if (millis wait = pacer_.reserve(d.channel, now); wait > 0) {
                next_wake = std::min(next_wake, now + wait);
                continue;
            }
            busy_channels_.insert(d.channel);
            asio::co_spawn(executor_, deliver(std::move(d), std::move(*sig)), asio::detached);
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
            return true;
        });
        co_return co_await std::move(write);
    } catch (const std::exception& e) {
        // The row keeps its last durable state; a `sending` row is re-checked before any resend.
        log_error("outbox could not record a delivery", {{"delivery", d.id}, {"error", e.what()}});
        co_return false;
    }
}

asio::awaitable<void> outbox_worker::deliver(delivery d, signal s) {
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

    if (d.state == delivery_state::sending) {
        // The last attempt's outcome is unknown: a crash, a lost answer, or a 5xx. Ask Slack
        // before posting again; while it cannot tell us, wait rather than risk a duplicate.
        auto found = co_await slack_.find_posted(d);
        if (found.outcome == slack::lookup_outcome::found) {
            d.state = delivery_state::sent;
            d.platform_ref = found.ts;
            d.last_error.clear();
            d.updated_at = clock_();
            log_info("in-doubt delivery was already posted", {{"delivery", d.id}, {"channel", d.channel}});
            co_await save(d);
            co_return;
        }
        if (found.outcome == slack::lookup_outcome::failed && !found.permanent) {
            d.next_attempt_at = clock_() + backoff(d.attempts + 1);
            d.last_error = "checking whether Slack already posted it: " + found.error;
            log_warn("in-doubt delivery not yet confirmed", {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error}});
            co_await save(d);
            co_return;
        }
        if (found.outcome == slack::lookup_outcome::failed)
            log_warn("cannot read the channel to confirm an in-doubt delivery; posting again",
                     {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error},
                      {"hint", "grant channels:history, groups:history and channels:join"}});
    }

    d.state = delivery_state::sending;
    d.attempts += 1;
    d.updated_at = clock_();
    // Durable before the request leaves, so a crash leaves it "in doubt", never "pending".
    if (!co_await save(d)) co_return;

    const auto message = render_routed_signal(s);
    auto result = co_await slack_.post(d, message);
    const millis now = clock_();
    d.updated_at = now;
    switch (result.post.outcome) {
    case slack::post_outcome::sent:
        d.state = delivery_state::sent;
        d.platform_ref = result.post.ts;
        d.last_error.clear();
        log_debug("delivered", {{"delivery", d.id}, {"channel", d.channel}});
        break;
    case slack::post_outcome::rate_limited: {
        const millis until = now + result.post.retry_after_seconds * 1000;
        pacer_.pause(d.channel, until);
        d.state = delivery_state::pending;
        d.next_attempt_at = until;
        d.last_error = result.post.error;
        log_warn("channel rate limited", {{"channel", d.channel}, {"retry_after_s", result.post.retry_after_seconds}});
        break;
    }
    case slack::post_outcome::retry:
        d.state = result.post.maybe_posted ? delivery_state::sending : delivery_state::pending;
        d.next_attempt_at = now + backoff(d.attempts);
        d.last_error = result.post.error;
        log_warn("delivery failed, will retry",
                 {{"delivery", d.id}, {"channel", d.channel}, {"attempts", d.attempts}, {"error", d.last_error}});
        break;
    case slack::post_outcome::dead:
        d.state = delivery_state::dead;
        d.last_error = result.post.error;
        log_error("delivery dead-lettered",
                  {{"delivery", d.id}, {"signal", d.signal_id}, {"channel", d.channel}, {"error", d.last_error}});
        break;
    }
    co_await save(d);
}

} // namespace cxos::bot
