#pragma once
// The storage thread. Jobs queued from any thread run in one transaction per batch (group
// commit): under load many requests share one fsync, and no I/O thread ever waits on the disk.
#include "storage/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cxos::storage {

// One job's two halves in one object: what runs inside the batch and who hears how it ended.
// store_call puts its work, its result and its waiting caller in one of these, one allocation a
// call rather than a function object, a shared result and a shared handler each.
class store_task {
  public:
    virtual ~store_task() = default;
    // Runs on the storage thread inside the batch transaction, in its own savepoint.
    virtual void run(store& s) = 0;
    // Runs once, after the batch committed (null) or failed: on the storage thread, or wherever
    // the completion runner puts it (a server's I/O thread, where store_call resumes the waiting
    // coroutine in place). Keep it to handing the result back to its caller. The task owns itself
    // from here on: it deletes itself, now or once its caller has the result.
    virtual void finish(std::exception_ptr error) = 0;
    // False when nobody waits for the outcome: the job ends on the storage thread, and a batch of
    // such jobs alone is never handed to the completion runner (a server's serve() relies on
    // that while its I/O context is still being built or already gone).
    virtual bool reports_outcome() const { return true; }
};

class store_job {
  public:
    // A job as two functions; `done` may be empty when nobody waits for the outcome.
    store_job(std::function<void(store&)> work, std::function<void(std::exception_ptr)> done);
    explicit store_job(std::unique_ptr<store_task> task) : task_(std::move(task)) {}

    void run(store& s) { task_->run(s); }
    bool reports_outcome() const { return task_->reports_outcome(); }
    void finish(std::exception_ptr error) && { task_.release()->finish(std::move(error)); }
    // The task back, unrun: for a caller whose job the queue refused.
    std::unique_ptr<store_task> release() && { return std::move(task_); }

  private:
    std::unique_ptr<store_task> task_;
};

class commit_queue {
  public:
    explicit commit_queue(std::unique_ptr<store> s, std::size_t max_batch = 1024,
                          std::size_t max_queued = 65536);
    ~commit_queue();
    commit_queue(const commit_queue&) = delete;
    commit_queue& operator=(const commit_queue&) = delete;

    // False when the queue is full or stopping: the job is left with the caller, who answers
    // "busy" and keeps nothing.
    bool submit(store_job&& job);
    // For a submitter that works in bursts (a server's I/O thread reads many requests in one pass
    // of its event loop): the job is queued without waking an idle storage thread, so that the
    // burst commits as one batch instead of its first few jobs alone at the price of a whole
    // commit. A storage thread coming back from a batch takes what is queued, as ever.
    // `wake_needed`: this call queued the first job since the last wake(); the caller must see
    // that wake() runs once its burst is queued (a server posts it behind the pass's handlers).
    // Until it runs, deferred jobs wait for a storage thread back from a batch, a submit() or
    // stop(): post it where the job's own outcome will be heard, which has to keep running for
    // that anyway. The price: a job waits for the rest of its pass (a long handler in it delays
    // the commit it could have overlapped).
    enum class deferred { refused, queued, wake_needed };
    deferred submit_deferred(store_job&& job);
    void wake();
    // Whether the storage thread is waiting for work (tests use it to start from a known state).
    bool idle() const;
    // Finishes every job already queued, then joins the thread.
    void stop();

    // Where jobs hear their outcome (`store_task::finish`). By default each on the storage thread as
    // its batch ends; with a runner, all of a batch's outcomes go to it as one call, so that a
    // server's I/O thread is woken once per batch rather than once per job. Set before the first
    // job is submitted.
    using completion_runner = std::function<void(std::function<void()>)>;
    void run_completions_with(completion_runner runner) { runner_ = std::move(runner); }

    // Told, on the storage thread, how long each batch's commit took, whether it succeeded or
    // failed: the store's last writes, then for SQLite mostly the WAL's write and its sync (now
    // and then a checkpoint), for PostgreSQL the round trip and the server's flush. Every ack of
    // the batch waits for it, so a disk that stalls shows here. Set before the first job; it
    // must not throw.
    using commit_observer = std::function<void(std::chrono::nanoseconds)>;
    void observe_commits_with(commit_observer observer) { observer_ = std::move(observer); }

    // The last time the store refused a write (a job or a commit failed with store_error: a full
    // disk, an I/O error), so health checks can say the store cannot commit. Nothing when never.
    struct write_failure {
        std::chrono::steady_clock::time_point at;
        std::string error;
    };
    std::optional<write_failure> last_write_failure() const;

    std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
    std::uint64_t jobs() const { return jobs_.load(std::memory_order_relaxed); }

  private:
    void run();
    void run_batch(std::deque<store_job>& batch);
    void commit_timed();
    void note_failure(const std::exception_ptr& error);

    std::unique_ptr<store> store_;
    completion_runner runner_;
    commit_observer observer_;
    const std::size_t max_batch_;
    const std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<store_job> queue_;
    bool stopping_ = false;
    bool wake_owed_ = false; // a deferred job is queued and its submitter will call wake()
    bool idle_ = false;
    std::atomic<std::uint64_t> batches_{0}, jobs_{0};
    mutable std::mutex failure_mutex_;
    std::optional<write_failure> last_failure_;
    std::thread thread_;
};

} // namespace cxos::storage
