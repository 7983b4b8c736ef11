// POST /api/messages: Microsoft Teams over the Bot Framework. The JWT is checked before anything
// else is believed; then the activity is decoded and runs through the same grammar, intake and
// outbox as Slack. Replies leave through the outbox (Teams answers message activities with a
// bare 200); invokes are answered in the HTTP response body, as Teams requires.
#include "adapters/teams/cards.hpp"
#include "commands/json_text.hpp"
#include "bot/app.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store_call.hpp"
#include "commands/handlers.hpp"
#include "commands/message_json.hpp"

namespace cxos::bot {

using teams::activity_kind;

namespace {

// A reply in the conversation (and thread) an activity came from; the payload is set by the caller.
delivery reply_row(const teams::inbound_activity& a, millis now) {
    delivery d;
    d.kind = delivery_kind::notice;
    d.platform = "teams";
    d.channel = a.conversation.place();
    d.thread_ts = a.conversation.thread_root();
    d.next_attempt_at = d.updated_at = now;
    return d;
}

} // namespace

boost::asio::awaitable<http_response> app::teams_messages(http_request& req) {
    if (!s_.teams) co_return text_response(404, "the Teams Bot Framework connector is off (set MICROSOFT_APP_ID)\n");
    const std::string header(req[boost::beast::http::field::authorization]);
    // The claims are checked against the activity's channelId and serviceUrl, so those two are read
    // first; nothing else in the body is believed, or stored, before the token passes.
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    const auto origin = teams::claimed_origin_of(body);
    auto verdict = co_await s_.teams->authenticate(header, std::string(teams::teams_channel), origin.service_url);
    if (verdict.ok() && origin.channel_id != teams::teams_channel) verdict.failure = teams::jwt_failure::missing_endorsement;
    if (!verdict.ok()) {
        log_warn("rejected Bot Framework request", {{"reason", std::string(teams::to_string(verdict.failure))}});
        metrics().count_verification_failure(endpoint::teams_messages);
        co_return text_response(401, "unauthorized\n");
    }
    auto a = teams::decode_activity(body);
    if (!a) co_return text_response(400, "expected a Bot Framework activity\n");
    // A single-tenant bot serves its own tenant: an app package uploaded elsewhere changes nothing here.
    if (const auto& tenant = s_.teams->tenant_id(); !tenant.empty() && a->conversation.tenant_id != tenant) {
        log_warn("Teams activity from another tenant refused", {{"type", a->type}});
        co_return text_response(403, "this cxos serves another Microsoft 365 tenant\n");
    }
    try {
        // The serviceUrl is the only way back to this conversation: remember it once per change.
        const std::string key = a->conversation.place();
        if (teams_routes_[key] != origin.service_url) {
            storage::teams_route r{key, origin.service_url, a->conversation.tenant_id, a->conversation.team_id,
                                   a->conversation.team_name, s_.clock()};
            auto save = store_call(s_.queue, [r](storage::store& st) {
                st.save_teams_route(r);
                return true;
            });
            co_await std::move(save);
            teams_routes_[key] = origin.service_url;
        }
        switch (a->kind) {
        case activity_kind::message: {
            auto res = co_await teams_message(*a);
            co_return res;
        }
        case activity_kind::bot_added: {
            const std::string invoked = "@cxos";
            auto hello = render_help(s_.config.journey, invoked);
            hello.title = "cxos is here";
            co_await teams_reply(*a, hello);
            co_return text_response(200, "");
        }
        case activity_kind::card_action: {
            auto res = co_await teams_card_click(*a);
            co_return res;
        }
        case activity_kind::task_fetch:
        case activity_kind::task_submit: {
            auto res = co_await teams_task(*a);
            co_return res;
        }
        case activity_kind::fetch_task:
        case activity_kind::submit_action: {
            auto res = co_await teams_message_action(*a);
            co_return res;
        }
        case activity_kind::other: co_return text_response(200, "");
        }
    } catch (const std::exception& e) {
        // Teams redelivers on a 5xx; nothing was stored, so the retry starts clean.
        log_error("Teams activity failed", {{"error", e.what()}, {"type", a->type}});
        co_return text_response(503, "cxos could not store this; nothing was changed\n");
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<void> app::teams_reply(const teams::inbound_activity& a, const neutral_message& m) {
    delivery d = reply_row(a, s_.clock());
    d.payload = json_text(nlohmann::json(m));
    auto queue = store_call(s_.queue, [d, key = "teams:" + a.id, now = s_.clock()](storage::store& st) {
        queued_channels queued;
        if (st.remember_event(key, now)) queue_delivery(st, d, queued);
        return queued;
    });
    auto queued = co_await std::move(queue);
    s_.outbox.notify(queued);
}

boost::asio::awaitable<void> app::teams_log(const teams::inbound_activity& a, const log_command& log) {
    const auto& journey = s_.config.journey;
    auto s = plan_signal(journey, log, teams::source_of(a), s_.clock());
    delivery ack = reply_row(a, s_.clock());
    // The signal, its item, the owner's post and the reply commit together; the activity id,
    // remembered in the same commit, makes a redelivery a no-op.
    auto commit = store_call(s_.queue, [s, ack, key = "teams:" + a.id, journey = &journey, holds = &s_.holds,
                                        unknown = log.unknown_tags, now = s_.clock()](storage::store& st) mutable {
        auto out = record_signal_once(st, *journey, s, key, now);
        if (!out) return out;
        ack.payload = json_text(nlohmann::json(log_ack(*out, *journey, *holds, unknown)));
        queue_delivery(st, ack, out->queued);
        return out;
    });
    auto logged = co_await std::move(commit);
    if (logged) s_.outbox.notify(logged->queued);
    else log_debug("repeated Teams activity ignored", {{"activity", a.id}});
}

boost::asio::awaitable<http_response> app::teams_message(const teams::inbound_activity& a) {
    // An Action.Submit from a card (clients without Action.Execute) arrives as a message with a value.
    if (a.value.is_object()) {
        auto clicked = co_await teams_card_click(a);
        (void)clicked; // the card itself is refreshed through the outbox
        co_return text_response(200, "");
    }
    const auto& journey = s_.config.journey;
    const std::string invoked = "@cxos";
    auto cmd = parse_command(a.text, journey);
    const source_ref from = teams::source_of(a);
    if (auto* log = std::get_if<log_command>(&cmd)) {
        co_await teams_log(a, *log);
        co_return text_response(200, "");
    }
    command_reply reply;
    if (std::holds_alternative<capture_form_command>(cmd)) {
        reply.message = render_help(journey, invoked);
        reply.message.context = "In Teams, open a message's … menu and choose “Log as friction” for the form.";
    } else {
        reply = co_await run_command(cmd, from, invoked);
    }
    co_await teams_reply(a, reply.message);
    co_return text_response(200, "");
}

} // namespace cxos::bot
