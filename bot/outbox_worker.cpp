#include "bot/outbox_worker.hpp"

#include "bot/log.hpp"
#include "bot/store_call.hpp"
#include "commands/handlers.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

struct due_row {
    delivery d;
    std::optional<signal> s;
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
        woken_ = false;
        const millis now = clock_();
        millis next_wake = now + settings_.poll_interval;
        std::vector<due_row> due;
        try {
            auto claim = store_call(queue_, [now, limit = settings_.claim_limit](storage::store& st) {
                std::vector<due_row> rows;
                for (auto& d : st.due_deliveries(now, limit)) rows.push_back({d, st.find_signal(d.signal_id)});
                return rows;
            });
            due = co_await std::move(claim);
        } catch (const std::exception& e) {
            log_warn("outbox poll failed", {{"error", e.what()}});
        }
        for (auto& row : due) {
            if (in_flight_.count(row.d.id) || busy_channels_.count(row.d.channel)) continue;
            if (!row.s) {
                log_error("outbox row without its signal", {{"delivery", row.d.id}});
                continue;
            }
            if (millis wait = pacer_.reserve(row.d.channel, now); wait > 0) {
                next_wake = std::min(next_wake, now + wait);
                continue;
            }
            in_flight_.insert(row.d.id);
            busy_channels_.insert(row.d.channel);
            asio::co_spawn(executor_, deliver(std::move(row.d), std::move(*row.s)), asio::detached);
        }
        if (stopping_ || woken_) continue;
        wake_.expires_after(std::chrono::milliseconds(std::max<millis>(next_wake - clock_(), 1)));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> outbox_worker::save(const delivery& d) {
    try {
        auto write = store_call(queue_, [d](storage::store& st) {
            st.update_delivery(d);
            return true;
        });
        co_await std::move(write);
    } catch (const std::exception& e) {
        // The row keeps its last durable state; a `sending` row is re-checked before any resend.
        log_error("outbox could not record a delivery", {{"delivery", d.id}, {"error", e.what()}});
    }
}

asio::awaitable<void> outbox_worker::deliver(delivery d, signal s) {
    // Frees the channel however this ends; at shutdown the frame may outlive the worker.
    struct release {
        outbox_worker* w;
        std::shared_ptr<bool> alive;
        std::int64_t id;
        std::string channel;
        ~release() {
            if (!*alive) return;
            w->in_flight_.erase(id);
            w->busy_channels_.erase(channel);
            w->notify();
        }
    } guard{this, alive_, d.id, d.channel};

    if (d.state == delivery_state::sending) {
        // The last attempt's outcome is unknown: a crash or a lost answer. Ask before posting.
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
        if (found.outcome == slack::lookup_outcome::failed)
            log_warn("cannot check an in-doubt delivery; posting again",
                     {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error}});
    }

    d.state = delivery_state::sending;
    d.attempts += 1;
    d.updated_at = clock_();
    co_await save(d); // durable before the request leaves, so a crash leaves it "in doubt"

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
        d.state = result.in_doubt ? delivery_state::sending : delivery_state::pending;
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
