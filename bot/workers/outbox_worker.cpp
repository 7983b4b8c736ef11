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

#include <algorithm>
#include <cmath>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

struct poll_result {
    std::vector<outbox_row> due;
    bool next_row_up = false; // a head was dead-lettered or put off: its channel's next row may be due now
    storage::outbox_outlook outlook;
};

// A platform's posts per second and burst as the store's shared pace; rounded up so the pace
// never runs faster than the platform allows.
storage::pace_rule pace_of(const platform_sender& sender) {
    const auto interval = static_cast<millis>(std::ceil(1000.0 / sender.rate()));
    return storage::pace_rule{interval, std::max(1, static_cast<int>(sender.burst()))};
}

} // namespace

outbox_worker::outbox_worker(asio::any_io_executor ex, storage::commit_queue& queue, const live_config& config,
                             std::function<millis()> clock, delivery_holds& holds, outbox_settings settings)
    : executor_(ex), queue_(queue), holds_(holds), config_(config), clock_(std::move(clock)),
      settings_(std::move(settings)), wake_(ex) {}

void outbox_worker::add_sender(platform_sender& sender) {
    const std::string platform(sender.platform());
    platforms_[platform] = platform_route{&sender, ""};
    senders_[platform] = &sender;
    paces_[platform] = pace_of(sender);
}

void outbox_worker::add_unavailable(std::string platform, std::string why) {
    platforms_[std::move(platform)] = platform_route{nullptr, std::move(why)};
}

std::vector<std::string> outbox_worker::platforms() const {
    std::vector<std::string> out;
    for (const auto& [platform, sender] : senders_) out.push_back(platform);
    return out;
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

void outbox_worker::notify(const queued_channels&) { notify(); }

void outbox_worker::notify() {
    woken_ = true;
    wake_.cancel();
}

void outbox_worker::stop() {
    stopping_ = true;
    wake_.cancel();
}

millis send_outcome::pause(millis backoff) const {
    constexpr std::int64_t longest = 3600;
    if (retry_after_seconds <= 0) return backoff;
    return std::clamp<std::int64_t>(retry_after_seconds, 1, longest) * 1000;
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

        // Platforms on hold are left unclaimed, for another instance whose token may work.
        std::vector<std::string> held;
        for (const auto& [platform, hold] : holds_.all()) held.push_back(platform);
        const int room = settings_.max_in_flight - static_cast<int>(in_flight_.size());
        poll_result polled;
        polling_ = true;
        try {
            auto poll = store_call(queue_, [now, room, held, void_old_claims = settings_.sole_server && !resumed_,
                                            instance = settings_.instance, lease_until = now + settings_.claim_lease,
                                            config = config_.get(), platforms = &platforms_,
                                            paces = &paces_](storage::store& st) {
                poll_result r;
                if (void_old_claims) st.release_every_claim();
                if (room > 0) {
                    for (auto& head : st.claim_due_heads(instance, now, lease_until, room, held)) {
                        const auto id = head.id;
                        const std::string platform = head.platform, channel = head.channel;
                        auto row = prepare_isolated(st, config->journey, std::move(head), now, *platforms);
                        if (!row) {
                            st.release_claim(id, instance);
                            r.next_row_up = true;
                            continue;
                        }
                        // Claimed only when its channel had a slot, but another instance may have
                        // taken that slot since: then the row waits for the next one.
                        const auto pace = paces->find(platform);
                        if (pace != paces->end() && st.reserve_channel_slot(platform, channel, now, pace->second) > 0) {
                            st.release_claim(id, instance);
                            continue;
                        }
                        r.due.push_back(std::move(*row));
                    }
                }
                r.outlook = st.look_ahead(now, held);
                return r;
            });
            polled = co_await std::move(poll);
            resumed_ = true;
        } catch (const std::exception& e) {
            log_warn("outbox poll failed", {{"error", e.what()}});
        }
        polling_ = false;
        found_due_ = !polled.due.empty() || polled.next_row_up || polled.outlook.due_waiting;
        if (polled.outlook.next_claim_at) next_wake = std::min(next_wake, *polled.outlook.next_claim_at);
        if (polled.next_row_up || (room > 0 && static_cast<int>(polled.due.size()) == room)) next_wake = now;
        for (auto& row : polled.due) {
            in_flight_.insert(row.d.id);
            asio::co_spawn(executor_, deliver(std::move(row)), asio::detached);
        }
        if (stopping_ || woken_) continue;
        wake_.expires_after(std::chrono::milliseconds(std::max<millis>(next_wake - clock_(), 1)));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<bool> outbox_worker::save(const delivery& d, bool before_send, millis pause_until) {
    try {
        auto write = store_call(queue_, [d, before_send, pause_until, instance = settings_.instance,
                                         lease_until = clock_() + settings_.claim_lease](storage::store& st) {
            if (!st.renew_claim(d.id, instance, lease_until)) return false;
            st.update_delivery(d);
            // The item reaches its owner when its post does: that is its time to route.
            if (d.kind == delivery_kind::routed_item && d.state == delivery_state::sent) {
                if (auto it = st.find_item(d.item_id); it && it->routed_at == 0) {
                    it->routed_at = d.updated_at;
                    if (it->status == item_status::fresh) it->status = item_status::routed;
                    st.update_item(*it);
                }
            }
            // Given back after every attempt: a row left open is anyone's when due, and a dead
            // letter requeued by an operator is not held by a stale claim.
            if (!before_send) st.release_claim(d.id, instance);
            if (pause_until > 0) st.pause_channel(d.platform, d.channel, pause_until);
            return true;
        });
        const bool saved = co_await std::move(write);
        if (!saved)
            log_warn(before_send ? "outbox row taken over by another instance after its claim ran out; not sent here"
                                 : "outbox row taken over by another instance during its attempt; its outcome is "
                                   "left to the new owner",
                     {{"delivery", d.id}, {"channel", d.channel}});
        co_return saved;
    } catch (const std::exception& e) {
        // The row keeps its last durable state; a `sending` row is re-checked before any resend.
        log_error("outbox could not record a delivery", {{"delivery", d.id}, {"error", e.what()}});
        co_return false;
    }
}

struct outbox_worker::attempt_state {
    explicit attempt_state(asio::any_io_executor ex) : renew(ex) {}
    asio::steady_timer renew;
    bool over = false;
};

asio::awaitable<void> outbox_worker::keep_claim(std::int64_t id, std::shared_ptr<attempt_state> attempt) {
    const auto alive = alive_;
    const auto every = std::chrono::milliseconds(std::max<millis>(settings_.claim_lease / 3, 1));
    for (;;) {
        attempt->renew.expires_after(every);
        co_await attempt->renew.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!*alive || attempt->over || stopping_) co_return;
        try {
            auto renew = store_call(queue_, [id, instance = settings_.instance,
                                             lease_until = clock_() + settings_.claim_lease](storage::store& st) {
                return st.renew_claim(id, instance, lease_until);
            });
            if (!co_await std::move(renew)) co_return; // given back, or lost: the attempt's save will say
        } catch (const std::exception& e) {
            // Tried again at the next third: a lease outlives two failed renewals.
            log_warn("outbox claim not renewed", {{"delivery", id}, {"error", e.what()}});
        }
    }
}

asio::awaitable<void> outbox_worker::deliver(outbox_row row) {
    delivery& d = row.d;
    auto attempt = std::make_shared<attempt_state>(executor_);
    asio::co_spawn(executor_, keep_claim(d.id, attempt), asio::detached);
    // Frees the row however this ends; at shutdown the frame may outlive the worker.
    struct release {
        outbox_worker* w;
        std::shared_ptr<bool> alive;
        std::int64_t id;
        std::shared_ptr<attempt_state> attempt;
        ~release() {
            if (!*alive) return;
            attempt->over = true;
            attempt->renew.cancel();
            w->in_flight_.erase(id);
            w->notify();
        }
    } guard{this, alive_, d.id, attempt};
    const bool before_send = true, after_attempt = false;
    const millis no_pause = 0;

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
            co_await save(d, after_attempt, no_pause);
            co_return;
        case posted_check::kind::unauthorized:
            hold(d.platform, found.error); // still in doubt: asked again once a token works
            co_await save(d, after_attempt, no_pause);
            co_return;
        case posted_check::kind::unknown:
            d.next_attempt_at = clock_() + backoff(d.attempts + 1);
            d.last_error = "checking whether " + d.platform + " already posted it: " + found.error;
            log_warn("in-doubt delivery not yet confirmed", {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error}});
            co_await save(d, after_attempt, no_pause);
            co_return;
        case posted_check::kind::not_found: break;
        }
    }

    const bool was_in_doubt = d.state == delivery_state::sending;
    d.state = delivery_state::sending;
    d.attempts += 1;
    d.updated_at = clock_();
    // Durable before the request leaves, so a crash leaves it "in doubt", never "pending".
    if (!co_await save(d, before_send, no_pause)) co_return;

    auto result = co_await sender.deliver(row);
    const millis now = clock_();
    d.updated_at = now;
    millis pause_until = 0;
    switch (result.outcome) {
    case send_outcome::kind::sent:
        d.state = delivery_state::sent;
        if (d.kind != delivery_kind::item_update && d.kind != delivery_kind::reaction) d.platform_ref = result.ref;
        d.last_error.clear();
        metrics().count_outbox_sent();
        log_debug("delivered", {{"delivery", d.id}, {"channel", d.channel}});
        break;
    case send_outcome::kind::rate_limited: {
        const millis until = now + result.pause(backoff(d.attempts));
        pause_until = until;
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
    co_await save(d, after_attempt, pause_until);
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
