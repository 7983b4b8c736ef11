#pragma once
// Runs a function on the storage thread inside the next group commit and resumes the calling
// coroutine on its own executor once that commit is durable.
//
// Keep the returned awaitable in a named variable and `co_await std::move(it)`: GCC 12 can
// destroy a lambda temporary inside a co_await expression twice.
#include "storage/commit_queue.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <stdexcept>
#include <type_traits>

namespace cxos::bot {

// The queue refused the job (full or shutting down): answer "busy", nothing was stored.
struct store_busy : std::runtime_error {
    store_busy() : std::runtime_error("the store queue is full") {}
};

namespace detail {

// A call's work, result and waiting caller in one allocation.
template <class F, class Handler>
class store_call_task final : public storage::store_task {
  public:
    using result_t = std::invoke_result_t<F, storage::store&>;

    store_call_task(F fn, Handler handler) : fn_(std::move(fn)), handler_(std::move(handler)) {}

    void run(storage::store& s) override { result_ = fn_(s); }

    void finish(std::exception_ptr error) override {
        // On the caller's thread already (a server hands a batch's outcomes to its I/O thread),
        // the coroutine resumes here rather than after another queueing.
        resume(std::unique_ptr<store_call_task>(this), std::move(error), false);
    }

    // Posted, not resumed in place: the caller is still inside its co_await.
    static void refuse(std::unique_ptr<store_call_task> self) {
        resume(std::move(self), std::make_exception_ptr(store_busy()), true);
    }

  private:
    static void resume(std::unique_ptr<store_call_task> self, std::exception_ptr error, bool posted) {
        auto ex = boost::asio::get_associated_executor(self->handler_);
        auto complete = [self = std::move(self), error = std::move(error)]() mutable {
            std::move(self->handler_)(error, std::move(self->result_));
        };
        if (posted) boost::asio::post(ex, std::move(complete));
        else boost::asio::dispatch(ex, std::move(complete));
    }

    F fn_;
    Handler handler_;
    result_t result_{};
};

} // namespace detail

template <class F>
auto store_call(storage::commit_queue& queue, F work)
    -> boost::asio::awaitable<std::invoke_result_t<F, storage::store&>> {
    using result_t = std::invoke_result_t<F, storage::store&>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, result_t)>(
        [&queue](auto handler, F fn) {
            using task_t = detail::store_call_task<F, decltype(handler)>;
            auto ex = boost::asio::get_associated_executor(handler);
            storage::store_job job(std::make_unique<task_t>(std::move(fn), std::move(handler)));
            switch (queue.submit_deferred(std::move(job))) {
            case storage::commit_queue::deferred::refused:
                task_t::refuse(std::unique_ptr<task_t>(static_cast<task_t*>(std::move(job).release().release())));
                break;
            case storage::commit_queue::deferred::wake_needed:
                boost::asio::post(ex, [&queue] { queue.wake(); });
                break;
            case storage::commit_queue::deferred::queued: break;
            }
        },
        boost::asio::use_awaitable, std::move(work));
}

} // namespace cxos::bot
