#pragma once
// The configuration in force, swapped whole by a reload (SIGHUP). Readers take a snapshot, an
// immutable app_config they share, and use only it for one request or one worker pass: a reload
// in the middle neither mixes old and new settings nor frees what a store job still reads (a job
// keeps its snapshot alive by holding it). Services on the I/O thread, workers and store jobs on
// the storage thread all read it, so the pointer is swapped atomically.
#include "bot/core/config.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace cxos::bot {

using config_snapshot = std::shared_ptr<const app_config>;

class live_config {
  public:
    explicit live_config(app_config first) : current_(std::make_shared<const app_config>(std::move(first))) {}
    live_config(const live_config&) = delete;
    live_config& operator=(const live_config&) = delete;

    config_snapshot get() const { return current_.load(std::memory_order_acquire); }
    void replace(config_snapshot next) { current_.store(std::move(next), std::memory_order_release); }

  private:
    std::atomic<config_snapshot> current_;
};

// What a reload did: refused (errors, nothing changed) or applied, with the changed settings that
// only a restart applies (left as they were) named.
struct reload_outcome {
    std::vector<config_error> errors;
    std::vector<std::string> needs_restart; // "listen", "storage", "slack.mode", …
    bool applied() const { return errors.empty(); }
};

// `next` with every setting that cannot change while serving (the listener, storage, how cxos
// reaches Slack and Teams, ingest sources, grouping's language) taken from `running`; the ones
// that differed are named in `needs_restart`.
app_config keep_startup_settings(const app_config& running, app_config next, std::vector<std::string>& needs_restart);

// Reads `path` again; a valid file replaces the snapshot in `live` (startup settings kept). Says
// in the log what happened: the file's errors, or what is in force now and what needs a restart.
reload_outcome reload_config(live_config& live, const std::string& path);

} // namespace cxos::bot
