// Slack interactivity: prompt, triage and council buttons, the capture and triage modals, and the
// "Log as friction" shortcut. Each decodes, calls a service, and renders Slack's answer.
#include "adapters/slack/blocks.hpp"
#include "bot/core/log.hpp"
#include "bot/slack/slack_endpoint.hpp"
#include "commands/council.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/json_text.hpp"

namespace cxos::bot {

namespace {

http_response json_200(const nlohmann::json& body) { return json_response(200, json_text(body)); }

// Errors keyed "" belong to the form as a whole: Slack shows errors next to inputs only.
form_errors placed(form_errors errors, const neutral_form& form) {
    if (auto whole = errors.find(""); whole != errors.end() && !form.inputs.empty()) {
        errors[form.inputs.front().id] = whole->second;
        errors.erase(whole);
    }
    return errors;
}

} // namespace

neutral_message form_not_opened(const std::string& error, std::string_view again) {
    log_warn("Slack did not open a form", {{"error", error}});
    return error_note("Form not opened", "Slack did not open the form (" + error + "): " + std::string(again));
}

boost::asio::awaitable<http_response> slack_requests::interaction(const nlohmann::json& payload) {
    const auto config = deps_.config.get();
    auto decoded = slack::decode_interaction(payload);
    if (!decoded) co_return text_response(400, "malformed Slack interaction\n");
    if (auto* pressed = std::get_if<slack::block_action>(&*decoded)) {
        auto res = co_await click(*pressed);
        co_return res;
    }
    if (auto* shortcut = std::get_if<slack::message_shortcut>(&*decoded)) {
        // The trigger lives 3 s and the modal needs it: a slow permalink is given up after 1 s
        // (the form opens without the link prefilled) so that views.open keeps its own time.
        const auto permalink_budget = std::chrono::milliseconds(1000);
        auto link = co_await slack_.permalink(shortcut->by.team_id, shortcut->channel_id, shortcut->message_ts,
                                              permalink_budget);
        auto form = capture_form(config->journey, capture_context{shortcut->channel_id, shortcut->message_ts,
                                                                  shortcut->thread_ts, link, shortcut->message_text});
        auto opened = co_await slack_.open_view(shortcut->by.team_id, shortcut->trigger_id, form);
        if (!opened.error.empty()) {
            const auto why = form_not_opened(opened.error, "choose “Log as friction” on the message again.");
            co_await tell(shortcut->by.team_id, shortcut->channel_id, shortcut->by.user_id, why, shortcut->response_url);
        }
        co_return text_response(200, "");
    }
    if (auto* done = std::get_if<slack::view_submitted>(&*decoded)) {
        auto res = co_await submitted(*done);
        co_return res;
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<http_response> slack_requests::click(const slack::block_action& click) {
    const auto config = deps_.config.get();
    const auto who = actor_of(click.by, click.channel_id);
    if (click.action_id == confirm_actions::run || click.action_id == confirm_actions::log) {
        const source_ref from{"slack", click.by.team_id, click.channel_id, click.by.user_id, click.by.user_name, "", "", ""};
        const std::string prompt = click.message_ts.empty() ? std::string()
                                                            : "slack:prompt:" + click.by.team_id + ":" +
                                                                  click.channel_id + ":" + click.message_ts;
        command_reply reply;
        const std::function<boost::asio::awaitable<bool>()> choose = [&]() -> boost::asio::awaitable<bool> {
            reply = co_await commands_.confirm(click.action_id, click.value, from, config->slack_command, members_);
            co_return !reply.form;
        };
        if (!co_await commands_.choose_once(prompt, choose)) {
            const auto again = command_service::choice_already_made();
            co_await answer(click, again);
            co_return text_response(200, "");
        }
        bool say = !reply.form;
        if (reply.form) {
            auto opened = co_await slack_.open_view(click.by.team_id, click.trigger_id, *reply.form);
            if (!opened.error.empty()) {
                reply.message = form_not_opened(opened.error, "press the button again.");
                say = true;
            }
        }
        if (say) co_await answer(click, reply.message);
        co_return text_response(200, "");
    }
    if (is_grouping_action(click.action_id)) {
        // "Not the same", "Same as item 12", "New item" on an acknowledgement; in the capture
        // form's modal the click names no channel, so the answer goes where the report was made.
        const source_ref from{"slack", click.by.team_id, click.channel_id, click.by.user_id, click.by.user_name, "", "", ""};
        auto done = co_await commands_.choose_grouping(click.action_id, click.value, from);
        co_await answer(click, done.answer, done.reply_channel);
        co_return text_response(200, "");
    }
    if (is_council_action(click.action_id)) {
        auto res = co_await council_click(click);
        co_return res;
    }
    auto verb = triage_verb_of(click.action_id);
    if (!verb) co_return text_response(200, "");
    auto result = co_await triage_.click(*verb, click.value, who, members_);
    std::string note = result.refused ? result.refused->text : std::string();
    if (result.form) {
        auto opened = co_await slack_.open_view(click.by.team_id, click.trigger_id, *result.form);
        if (!opened.error.empty()) {
            const auto why = form_not_opened(opened.error, "press the button again.");
            co_await answer(click, why);
        }
    } else if (result.outcome && !result.outcome->changed) {
        note = result.outcome->explanation;
    }
    if (!note.empty()) {
        const auto why = error_note("Not changed", note);
        co_await answer(click, why);
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<http_response> slack_requests::submitted(const slack::view_submitted& done) {
    const auto config = deps_.config.get();
    const auto& form = done.form;
    // A modal has no channel: where the person acts is the form's business (its state, the item).
    const auto who = actor_of(done.by, "");
    if (form.form_id == form_ids::council_decide) {
        auto errors = co_await council_.decide(form, who, members_);
        if (!errors) co_return text_response(200, ""); // closes the modal
        co_return json_200(slack::render_form_errors(placed(*errors, decide_form(item{}, config->journey, deps_.clock()))));
    }
    if (form.form_id == form_ids::capture) {
        auto read = read_capture(form, config->journey);
        if (auto* errors = std::get_if<form_errors>(&read)) co_return json_200(slack::render_form_errors(*errors));
        auto& req = std::get<capture_request>(read);
        source_ref reporter{"slack", done.by.team_id, req.from.channel_id, done.by.user_id, done.by.user_name,
                            req.from.message_ts, req.from.thread_ts, req.from.permalink};
        const std::string no_link, no_key; // the form carries its link; a modal is submitted once
        auto logged = co_await capture_.log_form(req, reporter, no_link, no_key);
        co_return json_200(slack::render_form_done("Logged", std::get<neutral_message>(logged)));
    }
    auto errors = co_await triage_.submit(form, who, members_);
    if (!errors) co_return text_response(200, ""); // closes the modal
    co_return json_200(slack::render_form_errors(placed(*errors, triage_form_of(form))));
}

} // namespace cxos::bot
