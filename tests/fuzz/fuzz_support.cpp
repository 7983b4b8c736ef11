#include "tests/fuzz/fuzz_support.hpp"

#include "adapters/slack/blocks.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/teams/cards.hpp"
#include "adapters/teams/webhook.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/item_views.hpp"
#include "commands/json_text.hpp"
#include "commands/json_writer.hpp"
#include "commands/routing.hpp"
#include "commands/utf8.hpp"
#include "tests/adapters/slack/blocks_oracle.hpp"

#include <cstdio>

namespace cxos::fuzz {

void violated(const char* property) {
    std::fprintf(stderr, "cxos fuzz: property violated: %s\n", property);
    __builtin_trap();
}

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

void require_utf8(std::initializer_list<std::string_view> texts, const char* what) {
    for (auto text : texts) require(is_valid_utf8(text), what);
}

std::string require_dumps(const nlohmann::json& j, const char* what) {
    try {
        return j.dump();
    } catch (const nlohmann::json::exception&) {
        violated(what);
    }
}

// The text writer and the DOM's dump must escape every string alike, invalid UTF-8 included.
void require_same_escaping(const std::string& text) {
    std::string written;
    append_json_string(written, text);
    require(written == json_text(nlohmann::json(text)), "json_writer escapes as json_text does");
}

void require_renders(const neutral_message& m) {
    require_same_escaping(m.title);
    require_same_escaping(m.text);
    require_same_escaping(m.context);
    require_dumps(slack::render_blocks(m), "Block Kit blocks dump");
    const auto ephemeral = slack::ephemeral_body(m);
    require(!nlohmann::json::parse(ephemeral, nullptr, false).is_discarded(), "a Slack ephemeral answer is JSON");
    // The writer that escapes in place must give the bytes of the simple one it replaced.
    require(ephemeral == slack::oracle::ephemeral_body(m), "Slack JSON as the reference rendering writes it");
    require_dumps(teams::render_card(m), "an Adaptive Card dumps");
    require_dumps(teams::render_reply_activity(m), "a Teams webhook reply dumps");
}

void require_form_renders(const neutral_form& f) {
    require(f.state.size() <= max_form_state_bytes, "a form's state fits every platform");
    nlohmann::json view;
    try {
        view = slack::render_form(f);
    } catch (const std::exception&) {
        violated("a form renders as a Slack modal");
    }
    require(view["private_metadata"].get<std::string>().size() <= slack::max_metadata_bytes,
            "private_metadata within Slack's 3000 characters");
    require_dumps(view, "a Slack modal dumps");
    require_dumps(teams::task_continue(f), "a Teams task module dumps");
}

void require_click_decodes(std::string_view action_id, std::string_view value) {
    if (auto choice = regroup_choice_of(action_id, value))
        require(choice->signal_id > 0 && (choice->what != regroup_choice::kind::same || choice->item_id > 0),
                "a grouping button names a report (and an item) by positive ids");
}

void require_command_renders(std::string_view text, const source_ref& from) {
    const auto parsed = parse_command(text, journey());
    if (const auto* regroup = std::get_if<regroup_command>(&parsed))
        return require(regroup->signal_id > 0 && regroup->item_id >= 0, "split and move name reports by positive ids");
    if (const auto* bad = std::get_if<invalid_command>(&parsed)) return require_renders(render_invalid(*bad));
    if (std::holds_alternative<capture_form_command>(parsed))
        return require_form_renders(capture_form(journey(), capture_context{from.channel_id, "", "", "", ""}));
    if (const auto* log = std::get_if<log_command>(&parsed)) {
        const auto s = plan_signal(journey(), *log, from, 1'700'000'000'000);
        auto it = new_item_for(s);
        it.id = 1;
        // Keys are stored, so they must stay what they always were: the text's words, joined.
        std::string joined;
        for (const auto& w : words_of(log->description)) joined += (joined.empty() ? "" : " ") + w;
        require(it.key == joined, "an item's key is its description's words joined by single spaces");
        require_renders(render_log_ack(s, it, true, journey()));
        require_renders(render_item_card(it, journey()));
    }
}

const journey_config& journey() {
    static const journey_config j = [] {
        journey_config out;
        out.stages = {"onboard", "use", "renew"};
        out.owners["billing"] = owner{"billing", "C0BILLING", "19:billing@thread.tacv2"};
        out.owners["support"] = owner{"support", "C0SUPPORT", ""};
        out.owners["docs"] = owner{"docs", "", "19:docs@thread.tacv2"};
        routing_rule invoices;
        invoices.name = "invoices";
        invoices.keywords = {"invoice", "refund"};
        invoices.route_to = "billing";
        routing_rule onboarding;
        onboarding.name = "onboarding docs";
        onboarding.stages = {"onboard"};
        onboarding.route_to = "docs";
        out.rules = {invoices, onboarding};
        out.fallback = "support";
        return out;
    }();
    return j;
}

} // namespace cxos::fuzz
