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

    // 0 when a post may go now (and takes a token), else the milliseconds to wait.
    millis reserve(const std::string& channel, millis now) {
        auto& b = buckets_.try_emplace(channel, bucket{burst_, now, 0}).first->second;
        if (now < b.paused_until) return b.paused_until - now;
        b.tokens = std::min(burst_, b.tokens + static_cast<double>(now - b.refilled_at) * rate_ / 1000.0);
        b.refilled_at = now;
        if (b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
        }
        return static_cast<millis>((1.0 - b.tokens) * 1000.0 / rate_) + 1;
    }

    void pause(const std::string& channel, millis until) {
        auto& b = buckets_.try_emplace(channel, bucket{0, until, 0}).first->second;
        b.paused_until = std::max(b.paused_until, until);
        b.tokens = 0;
        b.refilled_at = std::max(b.refilled_at, until);
    }

  private:
    struct bucket {
        double tokens;
        millis refilled_at;
        millis paused_until;
    };
    double rate_, burst_;
    std::unordered_map<std::string, bucket> buckets_;
};

} // namespace cxos::bot
