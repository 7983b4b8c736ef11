#pragma once
// The `/friction` grammar, shared by every platform: text in, typed command out.
#include "commands/journey.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace cxos {

struct help_command {};

struct log_command {
    std::string description;
    std::string stage;
    std::optional<component> comp;
    std::optional<severity> sev;
};

struct status_command {
    std::int64_t signal_id = 0;
};

// Text we could not turn into a command; `message` tells the user how to fix it.
struct invalid_command {
    std::string message;
};

using command = std::variant<help_command, log_command, status_command, invalid_command>;

// The longest description we accept; longer text is refused with an error, never truncated.
inline constexpr std::size_t max_description_bytes = 3000;

command parse_command(std::string_view text, const journey_config& journey);

} // namespace cxos
