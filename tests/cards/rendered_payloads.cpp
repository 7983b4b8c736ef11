#include "tests/cards/rendered_payloads.hpp"

#include "adapters/slack/blocks.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/teams/cards.hpp"
#include "adapters/teams/webhook.hpp"
#include "tests/cards/card_catalog.hpp"

namespace cxos::cards {

std::vector<payload> slack_payloads() {
    std::vector<payload> out;
    for (const auto& [name, m, refreshes] : every_message()) {
        out.push_back({name + ".post", payload_kind::slack_message, nlohmann::json::parse(slack::post_body(m, {slack::post_call::method::post_message, "C0OWNER", 42, {}, {}, {}}))});
        out.push_back({name + ".ephemeral", payload_kind::slack_message, nlohmann::json::parse(slack::ephemeral_body(m))});
        // A modal replaced by the answer, as after the capture form is submitted.
        out.push_back({name + ".form_done", payload_kind::slack_view, slack::render_form_done("Logged", m)["view"]});
    }
    for (const auto& [name, f, errors] : every_form()) {
        if (errors.empty()) {
            out.push_back({name + ".modal", payload_kind::slack_view, slack::views_open_body("1.2.abc", f)["view"]});
            continue;
        }
        // Slack shows errors only under inputs: the bot moves a whole-form error onto the first.
        auto placed = errors;
        if (auto whole = placed.extract(""); !whole.empty() && !f.inputs.empty()) placed[f.inputs.front().id] = whole.mapped();
        out.push_back({name + ".answer", payload_kind::slack_view_errors, slack::render_form_errors(placed)});
    }
    return out;
}

std::vector<payload> teams_payloads() {
    std::vector<payload> out;
    for (const auto& [name, m, refreshes] : every_message()) {
        out.push_back({name + ".card", payload_kind::teams_card, teams::render_card_activity(m)});
        if (refreshes) out.push_back({name + ".refresh", payload_kind::teams_card, teams::card_action_response(m)});
        // How outgoing-webhook answers and field-less notices go out.
        out.push_back({name + ".text", payload_kind::teams_text, teams::render_reply_activity(m)});
    }
    for (const auto& [name, f, errors] : every_form())
        out.push_back({name + ".task", payload_kind::teams_card, teams::task_continue(f, errors)});
    out.push_back({"action_note.text", payload_kind::teams_text, teams::card_action_message("Item 42 is closed.")});
    out.push_back({"task_note.text", payload_kind::teams_text, teams::task_message("Logged as signal 314.")});
    return out;
}

} // namespace cxos::cards
