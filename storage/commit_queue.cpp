#include "storage/commit_queue.hpp"

#include <vector>

#include <pthread.h>

namespace cxos::storage {

namespace {

struct function_task final : store_task {
    std::function<void(store&)> work;
    std::function<void(std::exception_ptr)> done;

    function_task(std::function<void(store&)> w, std::function<void(std::exception_ptr)> d)
        : work(std::move(w)), done(std::move(d)) {}
    void run(store& s) override { work(s); }
    void finish(std::exception_ptr error) override {
        std::unique_ptr<function_task> self(this);
        if (done) done(std::move(error));
    }
    bool reports_outcome() const override { return static_cast<bool>(done); }
};

} // namespace

store_job::store_job(std::function<void(store&)> work, std::function<void(std::exception_ptr)> done)
    : task_(std::make_unique<function_task>(std::move(work), std::move(done))) {}

commit_queue::commit_queue(std::unique_ptr<store> s, std::size_t max_batch, std::size_t max_queued)
    : store_(std::move(s)), max_batch_(max_batch), max_queued_(max_queued),
      thread_([this] { run(); }) {}

commit_queue::~commit_queue() { stop(); }

bool commit_queue::submit(store_job&& job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= max_queued_) return false;
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

commit_queue::deferred commit_queue::submit_deferred(store_job&& job) {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return deferred::refused;
    queue_.push_back(std::move(job));
    if (wake_owed_) return deferred::queued;
    wake_owed_ = true;
    return deferred::wake_needed;
}

void commit_queue::wake() {
    {
        std::lock_guard lock(mutex_);
        wake_owed_ = false;
    }
    wake_.notify_one();
}

bool commit_queue::idle() const {
    std::lock_guard lock(mutex_);
    return idle_;
}

void commit_queue::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void commit_queue::run() {
    // Named, so that top -H, perf and bench/run.sh tell it from the I/O thread.
    pthread_setname_np(pthread_self(), "cxos-storage");
    std::deque<store_job> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            idle_ = true;
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            idle_ = false;
            if (queue_.empty()) return; // stopping and drained
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        run_batch(batch);
        batch.clear();
    }
}

void commit_queue::run_batch(std::deque<store_job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    try {
        store_->begin();
        // A finished job's savepoint stays open until the next job's opens (one statement or
        // round trip for both) or the commit ends it with the transaction.
        bool finished_job_open = false;
        for (std::size_t i = 0; i < batch.size() && !batch_error; ++i) {
            if (finished_job_open) store_->release_and_savepoint();
            else store_->savepoint();
            finished_job_open = false;
            try {
                batch[i].run(*store_);
                finished_job_open = true;
            } catch (...) {
                errors[i] = std::current_exception();
                try {
                    store_->rollback_to_savepoint();
                } catch (...) {
                    // The store rolled the whole transaction back on its own (SQLite does on a
                    // full disk or an I/O error): nothing in this batch survives, and the job's
                    // own error is the one worth reporting.
                    batch_error = errors[i];
                }
            }
        }
        if (!batch_error) commit_timed();
        else
            try {
                store_->rollback(); // usually there is nothing left to roll back
            } catch (...) {
            }
    } catch (...) {
        // Begin or commit failed: nothing in this batch is durable, so every job hears it.
        batch_error = std::current_exception();
        try {
            store_->rollback();
        } catch (...) {
        }
    }
    if (batch_error) note_failure(batch_error);
    else
        for (const auto& e : errors)
            if (e) note_failure(e);
    batches_.fetch_add(1, std::memory_order_relaxed);
    jobs_.fetch_add(batch.size(), std::memory_order_relaxed);
    if (runner_) {
        // Shared, as the runner takes a copyable function and the jobs are move-only.
        auto outcomes = std::make_shared<std::vector<std::pair<store_job, std::exception_ptr>>>();
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto& error = batch_error ? batch_error : errors[i];
            if (batch[i].reports_outcome()) outcomes->emplace_back(std::move(batch[i]), error);
            else std::move(batch[i]).finish(error);
        }
        if (!outcomes->empty())
            runner_([outcomes] {
                for (auto& [job, error] : *outcomes) std::move(job).finish(error);
            });
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) std::move(batch[i]).finish(batch_error ? batch_error : errors[i]);
}

void commit_queue::commit_timed() {
    if (!observer_) return store_->commit();
    // A commit that fails is timed too: a sync that hangs for seconds before its I/O error is
    // the slow disk an operator is looking for.
    struct timer {
        const commit_observer& observer;
        const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
        ~timer() {
            try {
                observer(std::chrono::steady_clock::now() - started);
            } catch (...) {
                // Timing is a metric: it must not end the process nor hide the commit's own error.
            }
        }
    } timed{observer_};
    store_->commit();
}

void commit_queue::note_failure(const std::exception_ptr& error) {
    // Only the store's own failures say anything about the disk; a job's logic error does not.
    try {
        std::rethrow_exception(error);
    } catch (const store_error& e) {
        std::lock_guard lock(failure_mutex_);
        last_failure_ = write_failure{std::chrono::steady_clock::now(), e.what()};
    } catch (...) {
    }
}

std::optional<commit_queue::write_failure> commit_queue::last_write_failure() const {
    std::lock_guard lock(failure_mutex_);
    return last_failure_;
}

} // namespace cxos::storage
