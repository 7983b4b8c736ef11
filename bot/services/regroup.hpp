#pragma once
// A reporter's answer to grouping, applied on the storage thread. "Not the same" splits their
// report out of the item it joined into an item of its own (routed then); "Same as item 12"
// moves it onto that item (the item it started is merged into it, without a second owner post);
// "New item" keeps it as it is. Each answer is stored as a labelled pair for `stats grouping`.
// Only the person who reported it may answer: owners have their own triage buttons.
#include "bot/services/intake.hpp"
#include "bot/services/membership.hpp"
#include "commands/grouping_feedback.hpp"

namespace cxos::bot {

struct regroup_outcome {
    neutral_message answer;
    std::string channel; // where the report was made: where to answer a click that names no channel
    queued_channels queued;
};

regroup_outcome apply_regroup(storage::store& st, const journey_config& journey, grouping_index* grouping,
                              const regroup_choice& choice, const actor& who, millis now);

} // namespace cxos::bot
