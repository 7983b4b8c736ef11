// Teams card buttons (Action.Execute, or its Action.Submit fallback), the task-module forms that
// buttons needing words open, and the "Log as friction" message action. Each is answered in the
// invoke's HTTP response; the owner's card is also refreshed for everyone through the outbox.
#include "adapters/teams/cards.hpp"
#include "adapters/teams/ids.hpp"
#include "bot/teams/teams_bot_endpoint.hpp"
#include "commands/council.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/json_text.hpp"

namespace cxos::bot {

namespace {

http_response json_200(const nlohmann::json& body) { return json_response(200, json_text(body)); }
http_response note(const std::string& text) { return json_200(teams::card_action_message(text)); }
http_response task_note(const std::string& text) { return json_200(teams::task_message(text)); }
card_answer said(const std::string& text) { return card_answer{text, std::nullopt, true}; }
// Shown to the clicker on the card, never posted in the thread: it points to a reply already
// there, or it is theirs alone (a counted vote; the card's tally shows everyone the count).
card_answer for_the_clicker(const std::string& text) { return card_answer{text, std::nullopt, false}; }

const std::string invoked_as = "@cxos";

} // namespace

boost::asio::awaitable<card_answer> teams_bot_endpoint::confirmed(const teams::inbound_activity& a,
                                                                  const teams::card_click& click) {
    // The answer goes to the thread, like any answer to a command typed there.
    auto cmd = commands_.command_of_choice(click.action_id, click.value);
    if (auto* typed = std::get_if<log_command>(&cmd)) {
        co_await log(a, *typed);
        co_return for_the_clicker("Logged: the confirmation is in the thread.");
    }
    const auto from = teams::source_of(a);
    auto answer = co_await commands_.run(cmd, from, invoked_as, members_);
    co_await reply(a, answer.message);
    co_return for_the_clicker("Done: the answer is in the thread.");
}

http_response card_invoke_response(const card_answer& answer) {
    if (answer.card) return json_200(teams::card_action_response(*answer.card));
    return note(answer.note);
}

boost::asio::awaitable<card_answer> teams_bot_endpoint::card_click(const teams::inbound_activity& a) {
    const auto config = deps_.config.get();
    auto click = teams::decode_card_click(a);
    if (!click) co_return said("cxos did not recognise that button.");
    const auto who = actor_of(a);
    if (click->action_id == confirm_actions::run || click->action_id == confirm_actions::log) {
        const std::string prompt = a.reply_to_id.empty()
                                       ? std::string()
                                       : "teams:prompt:" + a.conversation.conversation_id + ":" + a.reply_to_id;
        card_answer done;
        const std::function<boost::asio::awaitable<bool>()> choose = [&]() -> boost::asio::awaitable<bool> {
            done = co_await confirmed(a, *click);
            co_return true;
        };
        if (!co_await commands_.choose_once(prompt, choose)) co_return said(command_service::choice_already_made().text);
        co_return done;
    }
    if (is_grouping_action(click->action_id)) {
        // The reply card's "Not the same", "Same as item 12" and "New item": answered on the card.
        const auto from = teams::source_of(a);
        auto done = co_await commands_.choose_grouping(click->action_id, click->value, from);
        co_return said(done.answer.fallback_text());
    }
    if (is_council_action(click->action_id)) {
        const bool up = click->action_id == council_action_ids::prioritise;
        const auto item_id = item_id_of(click->value);
        auto refused = co_await council_.vote(who, item_id, up, members_);
        if (refused) co_return said(refused->text);
        co_return for_the_clicker(std::string(up ? "Counted: 👍 Prioritise" : "Counted: 👎 Not now") + " for item " +
                       std::to_string(item_id) + ".");
    }
    auto verb = triage_verb_of(click->action_id);
    if (!verb) co_return said("cxos did not recognise that button.");
    auto result = co_await triage_.click(*verb, click->value, who, members_);
    if (result.refused) co_return said(result.refused->text);
    if (result.form) co_return said("Use the button's form: it asks for the details this needs.");
    const auto& outcome = *result.outcome;
    if (!outcome.changed) co_return said(outcome.explanation);
    const auto card = outcome.repost ? render_moved_card(outcome.after) : render_item_card(outcome.after, config->journey);
    co_return card_answer{"", card, true};
}

boost::asio::awaitable<http_response> teams_bot_endpoint::task(const teams::inbound_activity& a) {
    const auto config = deps_.config.get();
    const auto who = actor_of(a);
    if (a.kind == teams::activity_kind::task_fetch) {
        auto click = teams::decode_card_click(a);
        if (click && click->action_id == council_action_ids::decide) {
            if (auto refused = co_await council_.check(who, members_)) co_return task_note(refused->text);
            auto form = co_await council_.decide_form_for(item_id_of(click->value));
            if (!form) co_return task_note("There is no such item.");
            co_return json_200(teams::task_continue(*form));
        }
        auto verb = click ? triage_verb_of(click->action_id) : std::nullopt;
        if (!verb) co_return task_note("cxos did not recognise that button.");
        if (!opens_form(*verb)) co_return task_note("That button needs no form.");
        auto result = co_await triage_.click(*verb, click->value, who, members_);
        if (result.refused) co_return task_note(result.refused->text);
        co_return json_200(teams::task_continue(*result.form));
    }
    auto submitted = teams::decode_form_submission(a);
    if (!submitted) co_return task_note("cxos did not recognise that form.");
    if (submitted->form_id == form_ids::council_decide) {
        // Outside the council's channel the refusal is the whole answer, not a field's error.
        if (auto refused = co_await council_.check(who, members_)) co_return task_note(refused->text);
        auto errors = co_await council_.decide(*submitted, who, members_);
        if (!errors) co_return task_note("Decided: the owner's thread has the decision.");
        item placeholder;
        placeholder.id = item_id_of(submitted->state);
        co_return json_200(teams::task_continue(decide_form(placeholder, config->journey, deps_.clock()), *errors));
    }
    auto errors = co_await triage_.submit(*submitted, who, members_);
    if (!errors) co_return task_note("Done: the card shows the new state.");
    co_return json_200(teams::task_continue(triage_form_of(*submitted), *errors));
}

boost::asio::awaitable<http_response> teams_bot_endpoint::message_action(const teams::inbound_activity& a) {
    const auto config = deps_.config.get();
    const auto& journey = config->journey;
    const auto from = teams::source_of(a);
    capture_context ctx{from.channel_id, a.message.id, from.thread_ts, a.message.link, a.message.text};
    if (a.kind == teams::activity_kind::fetch_task) co_return json_200(teams::task_continue(capture_form(journey, ctx)));
    auto submitted = teams::decode_form_submission(a);
    if (!submitted || submitted->form_id != form_ids::capture) co_return task_note("cxos did not recognise that form.");
    auto read = read_capture(*submitted, journey);
    if (auto* errors = std::get_if<form_errors>(&read))
        co_return json_200(teams::task_continue(capture_form(journey, ctx), *errors));
    source_ref reporter = from;
    reporter.message_ts = a.message.id; // the captured message, which later flags of it join
    reporter.permalink = a.message.link;
    // Teams resends a submitAction it thinks timed out: one person logging one message once.
    const std::string key = "teams:action:" + a.command_id + ":" + a.from_id + ":" +
                            teams::redelivery_key(a.conversation.conversation_id, a.message.id);
    auto logged = co_await capture_.log_form(std::get<capture_request>(read), reporter, a.message.link, key);
    if (auto* ack = std::get_if<neutral_message>(&logged)) co_return task_note(ack->fallback_text());
    co_return task_note("Already logged: cxos logged this message for you before.");
}

} // namespace cxos::bot
