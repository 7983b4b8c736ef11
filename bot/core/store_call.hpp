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

template <class F>
auto store_call(storage::commit_queue& queue, F work)
    -> boost::asio::awaitable<std::invoke_result_t<F, storage::store&>> {
    using result_t = std::invoke_result_t<F, storage::store&>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr, result_t)>(
        [&queue](auto handler, F fn) {
            using handler_t = decltype(handler);
            auto slot = std::make_shared<handler_t>(std::move(handler));
            auto result = std::make_shared<result_t>();
            storage::store_job job{
                [result, fn = std::move(fn)](storage::store& s) mutable { *result = fn(s); },
                [slot, result](std::exception_ptr error) {
                    // On the caller's thread already (a server hands a batch's outcomes to its
                    // I/O thread), the coroutine resumes here rather than after another queueing.
                    auto ex = boost::asio::get_associated_executor(*slot);
                    boost::asio::dispatch(ex, [slot, result, error]() mutable {
                        std::move (*slot)(error, std::move(*result));
                    });
                }};
            if (!queue.submit(std::move(job))) {
                auto ex = boost::asio::get_associated_executor(*slot);
                boost::asio::post(ex, [slot]() mutable {
                    std::move (*slot)(std::make_exception_ptr(store_busy()), result_t{});
                });
            }
        },
        boost::asio::use_awaitable, std::move(work));
}

} // namespace cxos::bot
