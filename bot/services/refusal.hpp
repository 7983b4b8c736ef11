#pragma once
// Why a person may not do what they asked. Services return a refusal, or nothing when the action is
// allowed, never an "empty string means yes"; each surface words it once in its own way (Slack: an
// ephemeral note; Teams: a card note or a task-module message; a form: its error). The reason lets
// a surface, a log or a test tell the cases apart without reading the words.
#include <optional>
#include <string>

namespace cxos::bot {

enum class refusal_reason {
    no_such_item,       // the item does not exist
    owner_unknown,      // the item's owner is no longer in the config
    wrong_channel,      // acted outside the owner's (or council's) channel on this platform
    not_member,         // not in the channel whose members may act
    membership_unknown, // the platform could not say who is in the channel: nothing was changed
    council_off,        // no council channel is configured
};

struct refusal {
    refusal_reason reason;
    std::string text; // what the person reads
};

using refusal_if_any = std::optional<refusal>;

} // namespace cxos::bot
