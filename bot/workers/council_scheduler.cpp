#include "bot/workers/council_scheduler.hpp"

#include "bot/services/council.hpp"
#include "bot/core/log.hpp"
#include "bot/services/service_deps.hpp"
#include "bot/core/store_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {
// Looked at least this often, so a clock that jumps (NTP, suspend) is noticed soon.
constexpr millis max_sleep = 60 * 1000;
constexpr millis retry_after_failure = 5 * 1000;
constexpr millis follower_retry = 2 * 1000;
} // namespace

council_scheduler::council_scheduler(asio::any_io_executor ex, storage::commit_queue& queue, outbox_doorbell& outbox,
                                     const live_config& config, std::function<millis()> clock)
    : executor_(ex), queue_(queue), outbox_(outbox), config_(config), clock_(std::move(clock)),
      wake_(ex), schedule_(config.get()->council.schedule) {}

void council_scheduler::start() {
    if (started_ || !config_.get()->council.enabled()) return;
    started_ = true;
    asio::co_spawn(executor_, loop(), asio::detached);
}

void council_scheduler::stop() {
    stopping_ = true;
    wake_.cancel();
}

void council_scheduler::poke() {
    poked_ = true;
    wake_.cancel();
}

asio::awaitable<bool> council_scheduler::tick() {
    const auto config = config_.get();
    const auto& council = config->council;
    if (!council.enabled()) co_return true; // turned off by a reload
    const millis now = clock_();
    if (since_ < 0) {
        // The first start with a council remembers when; older weeks were never this server's to post.
        auto first = store_call(queue_, [now](storage::store& st) {
            auto since = st.setting("council.since");
            if (since) return std::stoll(*since);
            st.set_setting("council.since", std::to_string(now));
            return static_cast<long long>(now);
        });
        since_ = co_await std::move(first);
    }
    if (council.schedule != schedule_) {
        schedule_ = council.schedule;
        since_ = std::max(since_, now);
        log_info("council schedule changed", {{"weekday", schedule_.weekday}, {"hour", schedule_.hour},
                                              {"minute", schedule_.minute}, {"timezone", schedule_.timezone}});
    }
    const auto due = last_due_week(council.schedule, now);
    if (due.scheduled_at < since_) co_return true;
    council_request req{"scheduled", "", due, now - due.scheduled_at > late_after};
    auto post = store_call(queue_, [req, config, now](storage::store& st) {
        // The leader posts; another instance takes over (and posts the week, late if need be,
        // never twice) once the leader's connection is gone.
        if (st.council_week_posted(req.week.key)) return std::pair{true, council_posted{}};
        if (!st.try_lead("council")) return std::pair{false, council_posted{}};
        return std::pair{true, post_council(st, config->council, req, now)};
    });
    auto [led, posted] = co_await std::move(post);
    if (!posted.posted) co_return led;
    outbox_.notify(posted.queued);
    log_info("council agenda posted", {{"week", due.key}, {"items", posted.items}, {"late", req.late},
                                       {"channel", council.slack_channel}});
    co_return true;
}

asio::awaitable<void> council_scheduler::loop() {
    while (!stopping_) {
        poked_ = false;
        running_ = true;
        millis sleep = max_sleep;
        try {
            const bool led = co_await tick();
            const millis now = clock_();
            sleep = std::clamp<millis>(next_run_after(config_.get()->council.schedule, now) - now, 1, max_sleep);
            // Another instance leads: look again soon, to take over a due week if it died.
            if (!led) sleep = std::min(sleep, follower_retry);
        } catch (const std::exception& e) {
            log_warn("council schedule check failed", {{"error", e.what()}});
            sleep = retry_after_failure;
        }
        running_ = false;
        if (stopping_ || poked_) continue;
        wake_.expires_after(std::chrono::milliseconds(sleep));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

} // namespace cxos::bot
