#pragma once
// What an outbox row says when it is due: the store read and the rendering that turn a row into
// something a sender can send, on the storage thread, in the same transaction that claims it.
#include "bot/workers/sender.hpp"
#include "commands/journey.hpp"

#include <map>

#include <optional>

namespace cxos::bot {

// Who sends a platform's rows, as the storage thread sees it: its sender (whose prepare runs
// there), or why rows for that platform can never be posted (it is not configured).
struct platform_route {
    const platform_sender* sender = nullptr;
    std::string unavailable;
};
using platform_table = std::map<std::string, platform_route, std::less<>>;

// The row ready to send; nothing when it cannot be sent now (dead-lettered with the reason, or
// waiting for what it needs). A row that cannot be rendered is dead-lettered alone: one bad row
// never stops every channel. The store's own failures are thrown: they are not the row's fault.
std::optional<outbox_row> prepare_isolated(storage::store& st, const journey_config& journey, delivery d, millis now,
                                           const platform_table& platforms);

} // namespace cxos::bot
