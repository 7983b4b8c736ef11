#pragma once
// Per-channel pacing: a token bucket per channel (Slack allows about one post per second per
// channel with short bursts), and a hard pause after a 429 that affects that channel only.
#include "commands/domain.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace cxos::bot {

class channel_pacer {
  public:
    channel_pacer(double per_second = 1.0, double burst = 5.0) : rate_(per_second), burst_(burst) {}

    // 0 when a post may go now, else the milliseconds to wait. Takes nothing.
    millis available_in(const std::string& channel, millis now) const {
        auto it = buckets_.find(channel);
        if (it == buckets_.end()) return 0;
        const bucket& b = it->second;
        if (now < b.paused_until) return b.paused_until - now;
        double tokens = refilled(b, now);
        return tokens >= 1.0 ? 0 : static_cast<millis>((1.0 - tokens) * 1000.0 / rate_) + 1;
    }

    // 0 when a post may go now (and takes a token), else the milliseconds to wait.
    millis reserve(const std::string& channel, millis now) {
        if (millis wait = available_in(channel, now); wait > 0) return wait;
        auto& b = buckets_.try_emplace(channel, bucket{burst_, now, 0}).first->second;
        b.tokens = refilled(b, now) - 1.0;
        b.refilled_at = now;
        return 0;
    }

    void pause(const std::string& channel, millis until) {
        auto& b = buckets_.try_emplace(channel, bucket{0, until, 0}).first->second;
        b.paused_until = std::max(b.paused_until, until);
        b.tokens = 0;
        b.refilled_at = std::max(b.refilled_at, until);
    }

  private:
    struct bucket;
    double refilled(const bucket& b, millis now) const {
        return std::min(burst_, b.tokens + static_cast<double>(std::max<millis>(now - b.refilled_at, 0)) * rate_ / 1000.0);
    }
    struct bucket {
        double tokens;
        millis refilled_at;
        millis paused_until;
    };
    double rate_, burst_;
    std::unordered_map<std::string, bucket> buckets_;
};

} // namespace cxos::bot
