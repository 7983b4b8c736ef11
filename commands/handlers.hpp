#pragma once
// Handlers decide and describe; they never do I/O. The bot stores what they return and the
// adapter renders what they say.
#include "commands/grammar.hpp"
#include "commands/items.hpp"
#include "commands/message.hpp"

#include <optional>
#include <vector>

namespace cxos {

// A new signal, routed: the store then attaches it to an open item or starts one.
signal plan_signal(const journey_config& journey, const log_command& cmd, const source_ref& from,
                   millis now);

// What `/friction status <item>` needs to know, read from the store.
struct item_status_view {
    item it;
    std::vector<delivery> posts; // the item's card(s) in its owner's channel(s)
    std::int64_t first_signal = 0;
    // Its golden thread in words (commands/outcomes): empty parts are not shown.
    std::string fix;    // the check of its last fix
    std::string cost;   // cost so far, and saved since the fix
    std::string thread; // the timeline, one event a line
};

// The owner as a mention of their channel ("#billing" as a link where the platform links).
std::string owner_link(const std::string& owner, const journey_config& journey);

neutral_message render_help(const journey_config& journey, std::string_view invoked_as);
// The reporter's confirmation: the item it counts on, its owner's channel, the words it logged,
// the signal id as a detail, and any tags cxos did not understand with the ones that exist.
// `new_item`: the signal started the item rather than joining it.
neutral_message render_log_ack(const signal& s, const item& it, bool new_item, const journey_config& journey,
                               const std::vector<std::string>& unknown_tags = {});
neutral_message render_plus_one_ack(const std::optional<item>& it, std::int64_t asked_id, bool counted);
neutral_message render_status(const std::optional<item_status_view>& status, std::int64_t asked_id,
                              const journey_config& journey);
neutral_message render_invalid(const invalid_command& cmd);

// "Did you mean “stats”?" or "Log “checkout” as friction?": buttons to run the suggestion or to log
// the text, and the same choices as commands to type where buttons cannot be pressed.
neutral_message render_confirm(const confirm_command& cmd, std::string_view invoked_as);
// The actions of render_confirm; their value is the command text to run or the text to log.
namespace confirm_actions {
inline constexpr std::string_view run = "confirm.run";
inline constexpr std::string_view log = "confirm.log";
} // namespace confirm_actions


} // namespace cxos
