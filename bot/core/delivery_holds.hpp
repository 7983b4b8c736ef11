#pragma once
// Platforms whose deliveries are on hold because the platform refused cxos's credentials (a
// revoked or mistyped token). A refused token is the workspace's problem, not a message's: rows
// stay pending, nothing is dead-lettered, and sending resumes by itself once a token works.
// The outbox sets holds on the io thread; acknowledgements rendered on the storage thread read
// them, hence the lock (taken rarely, never on a path that waits).
#include "commands/journey.hpp"

#include <map>
#include <mutex>
#include <string>

namespace cxos::bot {

class delivery_holds {
  public:
    struct hold {
        std::string reason; // the platform's error, e.g. "invalid_auth"
        millis since = 0;
    };

    // True when this starts a hold (the caller says so loudly once).
    bool hold_platform(const std::string& platform, std::string reason, millis now) {
        std::lock_guard lock(mutex_);
        return holds_.try_emplace(platform, hold{std::move(reason), now}).second;
    }
    // True when a hold ended.
    bool release(const std::string& platform) {
        std::lock_guard lock(mutex_);
        return holds_.erase(platform) > 0;
    }
    bool held(const std::string& platform) const {
        std::lock_guard lock(mutex_);
        return holds_.count(platform) > 0;
    }
    std::map<std::string, hold> all() const {
        std::lock_guard lock(mutex_);
        return holds_;
    }

    // What a reporter's acknowledgement adds while the owner's posts wait; empty when none do.
    std::string ack_note(const owner& o) const {
        const bool slack_waits = !o.slack_channel.empty() && held("slack");
        const bool teams_waits = !o.teams_channel.empty() && held("teams");
        if (!slack_waits && !teams_waits) return {};
        return std::string("Your report is stored, but posting it to the owner's ") +
               (slack_waits ? "Slack" : "Teams") +
               " channel is on hold: cxos's token was refused. It will be posted as soon as an admin fixes the token.";
    }

  private:
    mutable std::mutex mutex_;
    std::map<std::string, hold> holds_;
};

} // namespace cxos::bot
