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

// What `/friction status` needs to know, read from the store.
struct signal_status {
    signal sig;
    std::optional<item> it;
    std::vector<delivery> deliveries;
};

neutral_message render_help(const journey_config& journey, std::string_view invoked_as);
// `new_item`: the signal started the item rather than joining it.
neutral_message render_log_ack(const signal& s, const item& it, bool new_item);
neutral_message render_plus_one_ack(const std::optional<item>& it, std::int64_t asked_id, bool counted);
neutral_message render_status(const std::optional<signal_status>& status, std::int64_t asked_id);
neutral_message render_invalid(const invalid_command& cmd);


} // namespace cxos
