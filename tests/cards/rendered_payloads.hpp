#pragma once
// The catalog as each platform receives it: the exact bodies cxos sends or answers with.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cxos::cards {

// What a payload is, which decides the limits it must keep.
enum class payload_kind {
    slack_message,     // chat.postMessage body or a slash command's answer: `blocks` at the top
    slack_view,        // a modal view (views.open's `view`, or a view_submission's `update`)
    slack_view_errors, // a view_submission answer with field errors
    teams_card,        // carries one or more Adaptive Cards
    teams_text,        // a plain text answer, no card
};

struct payload {
    std::string name; // "<catalog name>.<surface>", file-name safe
    payload_kind kind;
    nlohmann::json body;
};

std::vector<payload> slack_payloads();
std::vector<payload> teams_payloads();

} // namespace cxos::cards
