#pragma once
// What every service needs: the store (through the commit queue), the config in force (each call
// takes one snapshot of it), a way to tell the
// outbox that rows were committed, the delivery holds, and the clock. Services know no platform.
#include "bot/core/delivery_holds.hpp"
#include "bot/core/live_config.hpp"
#include "storage/commit_queue.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cxos::bot {

// The (platform, channel) pairs that got new outbox rows: the outbox is told to look there.
using queued_channels = std::vector<std::pair<std::string, std::string>>;

class grouping_index;

// The outbox as the services see it: a bell to ring after a commit queued rows.
class outbox_doorbell {
  public:
    virtual ~outbox_doorbell() = default;
    virtual void notify(const queued_channels& channels) = 0;
};

struct service_deps {
    storage::commit_queue& queue;
    const live_config& config;
    outbox_doorbell& outbox;
    const delivery_holds& holds;
    std::function<millis()> clock;
    // The items reports may join (grouping_index.hpp), used only inside store jobs; none: reports
    // join only by the same captured message or the same words, as before grouping.
    grouping_index* grouping = nullptr;
};

} // namespace cxos::bot
