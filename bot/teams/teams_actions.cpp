// Teams card buttons (Action.Execute, or its Action.Submit fallback), the task-module forms that
// buttons needing words open, and the "Log as friction" message action. Each is answered in the
// invoke's HTTP response; the owner's card is also refreshed for everyone through the outbox.
#include "adapters/teams/cards.hpp"
#include "bot/app.hpp"
#include "bot/services/council.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "commands/council.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"

namespace cxos::bot {

namespace {

http_response note(const std::string& text) { return json_answer(teams::card_action_message(text)); }
http_response task_note(const std::string& text) { return json_answer(teams::task_message(text)); }

bool is_council_action(const std::string& id) { return id.rfind("council.", 0) == 0; }

} // namespace

boost::asio::awaitable<triage_check> app::teams_triage_check(std::int64_t item_id, const teams::inbound_activity& a) {
    // Teams shows a channel's cards only to the members of its team, so acting from the owner's
    // channel is the membership check.
    triage_check out;
    auto read = store_call(s_.queue, [item_id](storage::store& st) { return st.find_item_summary(item_id); });
    out.it = co_await std::move(read);
    const std::string ref = "item " + std::to_string(item_id);
    const owner* o = out.it ? s_.config.journey.find_owner(out.it->owner) : nullptr;
    if (!out.it) out.refusal = "There is no " + ref + ".";
    else if (!o) out.refusal = "The owner of " + ref + " is no longer in the config.";
    else if (o->teams_channel.empty() || o->teams_channel != a.conversation.channel_id)
        out.refusal = "The " + out.it->owner + " team owns " + ref + "; act on it in their channel.";
    co_return out;
}

// The council in Teams is whoever can act in council.teams_channel: its team's members.
static std::string teams_council_refusal(const council_config& council, const teams::inbound_activity& a) {
    if (council.teams_channel.empty()) return "The Experience Council has no Teams channel (council.teams_channel).";
    if (a.conversation.channel_id != council.teams_channel) return "Council votes and decisions count only in the council's channel.";
    return {};
}

boost::asio::awaitable<http_response> app::teams_card_click(const teams::inbound_activity& a) {
    auto click = teams::decode_card_click(a);
    if (!click) co_return note("cxos did not recognise that button.");
    if (click->action_id == confirm_actions::run || click->action_id == confirm_actions::log) {
        // The answer goes to the thread, like any answer to a command typed there.
        const std::string invoked = "@cxos";
        auto cmd = click->action_id == confirm_actions::log ? parse_report(click->value, s_.config.journey)
                                                            : parse_command(click->value, s_.config.journey);
        if (auto* log = std::get_if<log_command>(&cmd)) {
            co_await teams_log(a, *log);
            co_return note("Logged: the confirmation is in the thread.");
        }
        auto reply = co_await confirm_choice(click->action_id, click->value, teams::source_of(a), invoked);
        co_await teams_reply(a, reply.message);
        co_return note("Done: the answer is in the thread.");
    }
    if (is_council_action(click->action_id)) {
        if (auto refusal = teams_council_refusal(s_.config.council, a); !refusal.empty()) co_return note(refusal);
        const bool up = click->action_id == council_action_ids::prioritise;
        vote v{item_id_of(click->value), "teams", a.from_id, up ? 1 : -1, "button", s_.clock()};
        co_await commit_vote(v); // every copy of the item's card shows the new tally
        co_return note(std::string(up ? "Counted: 👍 Prioritise" : "Counted: 👎 Not now") + " for item " +
                       std::to_string(v.item_id) + ".");
    }
    auto verb = triage_verb_of(click->action_id);
    if (!verb) co_return note("cxos did not recognise that button.");
    const std::int64_t item_id = item_id_of(click->value);
    auto check = co_await teams_triage_check(item_id, a);
    if (!check.refusal.empty()) co_return note(check.refusal);
    if (*verb != triage_verb::acknowledge && *verb != triage_verb::reroute)
        co_return note("Use the button's form: it asks for the details this needs.");
    triage_action act{*verb, a.from_id, "", 0, "", "", check.it->owner};
    if (*verb == triage_verb::reroute) act.to_owner = click->value.substr(click->value.find(':') + 1);
    auto outcome = co_await commit_triage(item_id, act);
    if (!outcome.changed) co_return note(outcome.explanation);
    const auto card = outcome.repost ? render_moved_card(outcome.after) : render_item_card(outcome.after, s_.config.journey);
    co_return json_answer(teams::card_action_response(card));
}

boost::asio::awaitable<http_response> app::teams_task(const teams::inbound_activity& a) {
    if (a.kind == teams::activity_kind::task_fetch) {
        auto click = teams::decode_card_click(a);
        if (click && click->action_id == council_action_ids::decide) {
            if (auto refusal = teams_council_refusal(s_.config.council, a); !refusal.empty()) co_return task_note(refusal);
            auto read = store_call(s_.queue, [id = item_id_of(click->value)](storage::store& st) { return st.find_item_summary(id); });
            auto it = co_await std::move(read);
            if (!it) co_return task_note("There is no such item.");
            co_return json_answer(teams::task_continue(decide_form(*it, s_.config.journey, s_.clock())));
        }
        auto verb = click ? triage_verb_of(click->action_id) : std::nullopt;
        if (!verb) co_return task_note("cxos did not recognise that button.");
        auto check = co_await teams_triage_check(item_id_of(click->value), a);
        if (!check.refusal.empty()) co_return task_note(check.refusal);
        auto form = triage_form(*verb, *check.it);
        if (!form) co_return task_note("That button needs no form.");
        co_return json_answer(teams::task_continue(*form));
    }
    auto submitted = teams::decode_form_submission(a);
    if (!submitted) co_return task_note("cxos did not recognise that form.");
    if (submitted->form_id == form_ids::council_decide) {
        auto res = co_await teams_decide(a, *submitted);
        co_return res;
    }
    auto read = read_triage(*submitted);
    const auto form = triage_form_of(*submitted);
    if (auto* errors = std::get_if<form_errors>(&read)) co_return json_answer(teams::task_continue(form, *errors));
    auto req = std::get<triage_request>(read);
    auto check = co_await teams_triage_check(req.item_id, a);
    if (!check.refusal.empty()) co_return task_note(check.refusal);
    req.action.actor = a.from_id;
    req.action.checked_owner = check.it->owner;
    auto outcome = co_await commit_triage(req.item_id, req.action);
    if (!outcome.changed) co_return json_answer(teams::task_continue(form, {{"", outcome.explanation}}));
    co_return task_note(outcome.changed ? "Done: the card shows the new state." : outcome.explanation);
}

boost::asio::awaitable<http_response> app::teams_decide(const teams::inbound_activity& a, const form_submission& submitted) {
    const millis now = s_.clock();
    auto read = read_decision(submitted, s_.config.journey, now);
    if (auto refusal = teams_council_refusal(s_.config.council, a); !refusal.empty()) co_return task_note(refusal);
    if (auto* errors = std::get_if<form_errors>(&read)) {
        item placeholder;
        placeholder.id = item_id_of(submitted.state);
        co_return json_answer(teams::task_continue(decide_form(placeholder, s_.config.journey, now), *errors));
    }
    auto outcome = co_await commit_decision(std::get<decision_request>(read), a.from_id);
    co_return task_note(outcome.changed ? "Decided: the owner's thread has the decision." : outcome.explanation);
}

boost::asio::awaitable<http_response> app::teams_message_action(const teams::inbound_activity& a) {
    const auto& journey = s_.config.journey;
    const auto from = teams::source_of(a);
    capture_context ctx{from.channel_id, a.message.id, from.thread_ts, a.message.link, a.message.text};
    if (a.kind == teams::activity_kind::fetch_task) co_return json_answer(teams::task_continue(capture_form(journey, ctx)));
    auto submitted = teams::decode_form_submission(a);
    if (!submitted || submitted->form_id != form_ids::capture)
        co_return task_note("cxos did not recognise that form.");
    auto read = read_capture(*submitted, journey);
    if (auto* errors = std::get_if<form_errors>(&read))
        co_return json_answer(teams::task_continue(capture_form(journey, ctx), *errors));
    auto& req = std::get<capture_request>(read);
    source_ref reporter = from;
    reporter.message_ts = a.message.id; // the captured message, which later flags of it join
    reporter.permalink = a.message.link;
    auto s = plan_signal(journey, req.log, reporter, s_.clock());
    s.customer = req.customer;
    s.link = req.link.empty() ? a.message.link : req.link;
    // Teams resends a submitAction it thinks timed out: one person logging one message once.
    const std::string key = "teams:action:" + a.command_id + ":" + a.from_id + ":" + a.message.id;
    auto commit = store_call(s_.queue, [s, key, journey = &journey, now = s_.clock()](storage::store& st) {
        return record_signal_once(st, *journey, s, key, now);
    });
    auto logged = co_await std::move(commit);
    if (!logged) co_return task_note("Already logged: cxos logged this message for you before.");
    s_.outbox.notify(logged->queued);
    co_return task_note(log_ack(*logged, journey, s_.holds, req.log.unknown_tags).fallback_text());
}

} // namespace cxos::bot
