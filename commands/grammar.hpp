#pragma once
// The `/friction` grammar, shared by every platform: text in, typed command out.
#include "commands/journey.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxos {

struct help_command {};

// `/friction` alone: open the capture form.
struct capture_form_command {};

// `/friction +1 <item id>`: the same friction happened again, to this reporter.
struct plus_one_command {
    std::int64_t item_id = 0;
};

// `/friction split <signal>` (make a report that joined an item an item of its own) and
// `/friction move <signal> to <item>` (move it onto another item): a reporter's answer to
// grouping where buttons cannot be pressed. Only exactly these shapes: "split payments fail"
// and "move to the new plan breaks" stay reports.
struct regroup_command {
    std::int64_t signal_id = 0;
    std::int64_t item_id = 0; // move: the item; 0 for split
};

// `/friction stats` (everything), `stats routing`, `stats loops`, `stats grouping`, `stats health`, and the KPIs of one owner
// (`stats billing`) or one journey stage (`stats onboard`).
struct stats_command {
    std::string topic;
    std::string owner;
    std::string stage;
};

// `/friction dashboard`: the link to the KPI dashboard.
struct dashboard_command {};

enum class council_verb { preview, run };

// `/friction council preview` (only the asker sees it) and `council run` (posts it now).
struct council_command {
    council_verb verb = council_verb::preview;
};

struct log_command {
    std::string description;
    std::string stage;
    std::optional<component> comp;
    std::optional<severity> sev;
    // Words written as tags that name no stage, severity or component ("#checkout", "+mobile"):
    // kept in the description, and named in the answer with the tags that exist.
    std::vector<std::string> unknown_tags;
};

// `/friction status <item id>`: where an item stands.
struct status_command {
    std::int64_t item_id = 0;
};

// Text cxos does not act on before the person says what they meant: a first word close to a
// command word ("stat" → `stats`), or too few words to be a report. Nothing is logged until
// they choose, so a typo never becomes a public signal.
struct confirm_command {
    std::string suggestion; // the command to run instead ("stats", "status 12"); empty: none
    std::string text;       // what they typed, logged as friction if they say so
};

// Text we could not turn into a command; `message` tells the user how to fix it.
struct invalid_command {
    std::string message;
};

using command = std::variant<help_command, capture_form_command, log_command, status_command, plus_one_command,
                             stats_command, council_command, dashboard_command, confirm_command, invalid_command,
                             regroup_command>;

// The longest description we accept; longer text is refused with an error, never truncated.
inline constexpr std::size_t max_description_bytes = 3000;

command parse_command(std::string_view text, const journey_config& journey);
// The text as a report, tags and all, with no question asked: what "Log it as friction" does.
command parse_report(std::string_view text, const journey_config& journey);

// The tags a report may carry, for answers that list them: "#discover #onboard …", "!high …".
std::string stage_tags(const journey_config& journey);
std::string severity_tags();
std::string component_tags();

// One positive id, with an optional leading '#' and surrounding spaces; nothing otherwise.
std::optional<std::int64_t> parse_id(std::string_view text);

// Text cut to at most max_description_bytes at a UTF-8 character boundary, ending in
// `marker` when it was cut: for captured messages, whose permalink keeps the whole of them.
std::string fit_description(std::string text, std::string_view marker = "");

} // namespace cxos
