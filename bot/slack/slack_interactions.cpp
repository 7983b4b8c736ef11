// Slack interactivity and events on POST /slack/events: triage buttons and menus, the capture
// and triage modals, the "Log as friction" shortcut, and flag reactions (queued, then processed).
#include "adapters/slack/blocks.hpp"
#include "commands/json_text.hpp"
#include "adapters/slack/interactions.hpp"
#include "bot/app.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "commands/council.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"


namespace cxos::bot {

namespace {

// Errors keyed "" belong to the form as a whole: show them on its first input.
form_errors placed(form_errors errors, const neutral_form& form) {
    if (auto whole = errors.find(""); whole != errors.end() && !form.inputs.empty()) {
        errors[form.inputs.front().id] = whole->second;
        errors.erase(whole);
    }
    return errors;
}

} // namespace

boost::asio::awaitable<void> app::tell(const std::string& channel, const std::string& user, const neutral_message& m) {
    auto queue = store_call(s_.queue, [d = ephemeral_for("slack", channel, user, m, s_.clock())](storage::store& st) {
        return st.insert_delivery(d);
    });
    co_await std::move(queue);
    s_.outbox.notify("slack", channel);
}

boost::asio::awaitable<triage_outcome> app::commit_triage(std::int64_t item_id, const triage_action& a) {
    auto apply = store_call(s_.queue, [item_id, a, journey = &s_.config.journey, now = s_.clock()](storage::store& st) {
        queued_channels queued;
        auto out = record_triage(st, *journey, item_id, a, now, queued);
        return std::pair{out, queued};
    });
    auto [outcome, queued] = co_await std::move(apply);
    s_.outbox.notify(queued);
    co_return outcome;
}

boost::asio::awaitable<triage_check> app::check_triage(std::int64_t item_id, const std::string& user,
                                                       const std::string& channel, bool check_membership) {
    triage_check out;
    auto read = store_call(s_.queue, [item_id](storage::store& st) { return st.find_item_summary(item_id); });
    out.it = co_await std::move(read);
    const std::string ref = "item " + std::to_string(item_id);
    if (!out.it) {
        out.refusal = "There is no " + ref + ".";
        co_return out;
    }
    const owner* o = s_.config.journey.find_owner(out.it->owner);
    if (!o) {
        out.refusal = "The owner of " + ref + " is no longer in the config.";
        co_return out;
    }
    if (!channel.empty() && channel != o->slack_channel) {
        out.refusal = "The " + out.it->owner + " team owns " + ref + "; act on it in their channel.";
        co_return out;
    }
    if (!check_membership) co_return out;
    const std::string owner_channel = o->slack_channel;
    auto member = co_await s_.slack.is_member(owner_channel, user);
    if (member.error == "not_a_member")
        out.refusal = "Only members of the " + out.it->owner + " team's channel can triage " + ref + ".";
    else if (!member.error.empty())
        out.refusal = "cxos could not check the " + out.it->owner + " channel's members (" + member.error +
                      "); nothing was changed.";
    co_return out;
}

boost::asio::awaitable<http_response> app::slack_interaction(const nlohmann::json& payload) {
    auto decoded = slack::decode_interaction(payload);
    if (!decoded) co_return text_response(400, "malformed Slack interaction\n");
    const auto& journey = s_.config.journey;

    if (auto* click = std::get_if<slack::block_action>(&*decoded)) {
        if (click->action_id == confirm_actions::run || click->action_id == confirm_actions::log) {
            const source_ref from{"slack", click->by.team_id, click->channel_id, click->by.user_id,
                                  click->by.user_name, "", "", ""};
            auto reply = co_await confirm_choice(click->action_id, click->value, from, s_.config.slack_command);
            if (reply.form) co_await s_.slack.open_view(click->trigger_id, *reply.form);
            else co_await tell(click->channel_id, click->by.user_id, reply.message);
            co_return text_response(200, "");
        }
        if (click->action_id.rfind("council.", 0) == 0) {
            auto res = co_await council_click(*click);
            co_return res;
        }
        auto verb = triage_verb_of(click->action_id);
        if (!verb) co_return text_response(200, "");
        const std::int64_t item_id = item_id_of(click->value);
        // Buttons that open a form check membership on submit: the form must open within 3 s.
        const bool needs_form = *verb != triage_verb::acknowledge && *verb != triage_verb::reroute;
        auto check = co_await check_triage(item_id, click->by.user_id, click->channel_id, !needs_form);
        if (!check.refusal.empty()) {
            const auto why = error_note("Not changed", check.refusal);
            co_await tell(click->channel_id, click->by.user_id, why);
            co_return text_response(200, "");
        }
        if (*verb == triage_verb::acknowledge || *verb == triage_verb::reroute) {
            triage_action a{*verb, click->by.user_id, "", 0, "", "", check.it->owner};
            if (*verb == triage_verb::reroute) a.to_owner = click->value.substr(click->value.find(':') + 1);
            auto outcome = co_await commit_triage(item_id, a);
            if (!outcome.changed) {
                const auto why = error_note("Not changed", outcome.explanation);
                co_await tell(click->channel_id, click->by.user_id, why);
            }
            co_return text_response(200, "");
        }
        auto form = triage_form(*verb, *check.it);
        auto opened = co_await s_.slack.open_view(click->trigger_id, *form);
        if (!opened.error.empty()) {
            const auto why = error_note("Not changed", "cxos could not open the form (" + opened.error + ").");
            co_await tell(click->channel_id, click->by.user_id, why);
        }
        co_return text_response(200, "");
    }

    if (auto* shortcut = std::get_if<slack::message_shortcut>(&*decoded)) {
        auto link = co_await s_.slack.permalink(shortcut->channel_id, shortcut->message_ts);
        auto form = capture_form(journey, capture_context{shortcut->channel_id, shortcut->message_ts,
                                                          shortcut->thread_ts, link, shortcut->message_text});
        auto opened = co_await s_.slack.open_view(shortcut->trigger_id, form);
        if (!opened.error.empty()) log_warn("could not open the capture form", {{"error", opened.error}});
        co_return text_response(200, "");
    }

    if (auto* submitted = std::get_if<slack::view_submitted>(&*decoded)) {
        const auto& form = submitted->form;
        if (form.form_id == form_ids::council_decide) {
            auto res = co_await council_decide(*submitted);
            co_return res;
        }
        if (form.form_id == form_ids::capture) {
            auto read = read_capture(form, journey);
            if (auto* errors = std::get_if<form_errors>(&read)) co_return json_answer(slack::render_form_errors(*errors));
            auto& req = std::get<capture_request>(read);
            source_ref from{"slack", submitted->by.team_id, req.from.channel_id, submitted->by.user_id,
                            submitted->by.user_name, req.from.message_ts, req.from.thread_ts, req.from.permalink};
            auto s = plan_signal(journey, req.log, from, s_.clock());
            s.customer = req.customer;
            s.link = req.link;
            auto ack = co_await log_signal(s, req.log.unknown_tags);
            co_return json_answer(slack::render_form_done("Logged", ack));
        }
        auto read = read_triage(form);
        std::optional<neutral_form> shown;
        if (auto* req = std::get_if<triage_request>(&read)) {
            const std::string anywhere;
            auto check = co_await check_triage(req->item_id, submitted->by.user_id, anywhere, true);
            const auto& refusal = check.refusal;
            if (refusal.empty()) {
                auto a = req->action;
                a.actor = submitted->by.user_id;
                a.checked_owner = check.it->owner;
                auto outcome = co_await commit_triage(req->item_id, a);
                if (outcome.changed) co_return text_response(200, ""); // closes the modal
                read = form_errors{{"", outcome.explanation}};
            } else {
                read = form_errors{{"", refusal}};
            }
        }
        auto errors = placed(std::get<form_errors>(read), triage_form_of(form));
        co_return json_answer(slack::render_form_errors(errors));
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<bool> app::queue_event(storage::inbox_row row, std::string key) {
    // Slack retries a delivery it thinks failed: the event key makes the second one a no-op.
    row.next_attempt_at = s_.clock();
    auto queue = store_call(s_.queue, [row, key, now = s_.clock()](storage::store& st) {
        if (!st.remember_event(key, now)) return false;
        st.insert_inbox(row);
        return true;
    });
    bool fresh = co_await std::move(queue);
    if (fresh && s_.inbox_ready) s_.inbox_ready();
    if (!fresh) log_debug("repeated Slack event ignored", {{"event", key}});
    co_return fresh;
}

boost::asio::awaitable<http_response> app::slack_event(const nlohmann::json& envelope) {
    auto reaction = slack::decode_reaction(envelope);
    if (reaction && co_await queue_vote_reaction(*reaction)) co_return text_response(200, "");
    if (!reaction || !reaction->added || reaction->reaction != s_.config.capture_reaction)
        co_return text_response(200, ""); // acknowledged; nothing cxos acts on
    storage::inbox_row row;
    row.platform = "slack";
    row.kind = "slack.reaction";
    row.payload = json_text(nlohmann::json{{"team", reaction->team_id}, {"user", reaction->user_id},
                                 {"channel", reaction->channel_id}, {"ts", reaction->message_ts}});
    const std::string key = "slack:" + (reaction->event_id.empty()
                                             ? reaction->channel_id + ":" + reaction->message_ts + ":" + reaction->user_id
                                             : reaction->event_id);
    co_await queue_event(std::move(row), key);
    co_return text_response(200, "");
}

} // namespace cxos::bot
