#pragma once
// Handlers decide and describe; they never do I/O. The bot stores what they return and the
// adapter renders what they say.
#include "commands/grammar.hpp"
#include "commands/message.hpp"

#include <optional>
#include <vector>

namespace cxos {

// Everything needed to store a new signal and announce it to its owner.
struct log_plan {
    signal sig;
    delivery routed_post; // signal_id is filled in by the store
};

log_plan plan_log(const journey_config& journey, const log_command& cmd, const source_ref& from,
                  millis now);

// What `/friction status` needs to know, read from the store.
struct signal_status {
    signal sig;
    std::vector<delivery> deliveries;
};

neutral_message render_help(const journey_config& journey, std::string_view invoked_as);
neutral_message render_log_ack(const signal& s, const journey_config& journey);
neutral_message render_status(const std::optional<signal_status>& status, std::int64_t asked_id);
neutral_message render_invalid(const invalid_command& cmd);
neutral_message render_routed_signal(const signal& s);

} // namespace cxos
