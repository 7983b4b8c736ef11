#pragma once
// What an outbox row says when it is due: the store read and the rendering that turn a row into
// something a sender can send, on the storage thread, in the same transaction that claims it.
#include "bot/workers/outbox_worker.hpp"

#include <optional>

namespace cxos::bot {

// A due row with everything needed to send it, read in the same store call.
struct outbox_worker::due_row {
    delivery d;
    neutral_message message;
    std::string parent_ts; // item_update: the message it edits
    storage::teams_route route; // Teams: where the conversation lives
};

// The row ready to send; nothing when it cannot be sent now (dead-lettered with the reason, or
// waiting for what it needs). A row that cannot be rendered is dead-lettered alone: one bad row
// never stops every channel. The store's own failures are thrown: they are not the row's fault.
std::optional<outbox_worker::due_row> prepare_isolated(storage::store& st, const journey_config& journey, delivery d,
                                                       millis now, bool teams_on, bool slack_on);

} // namespace cxos::bot
