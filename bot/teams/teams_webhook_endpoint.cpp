// POST /teams/webhook: Teams outgoing-webhook mode. "@cxos <text>" in a channel arrives signed;
// cxos logs it (or answers help) and replies in the HTTP response, which Teams shows in the
// thread. The mode cannot post proactively, so only capture and help are offered here.
#include "adapters/teams/webhook.hpp"
#include "bot/app.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store_call.hpp"
#include "commands/handlers.hpp"

namespace cxos::bot {

namespace {

http_response reply(const neutral_message& m) {
    return json_answer(teams::render_reply_activity(m));
}

neutral_message only_capture(std::string_view invoked) {
    neutral_message m;
    m.title = "Not in this Teams mode";
    m.text = "This channel reaches cxos through an outgoing webhook, which can log friction and show help only. "
             "Use `" + std::string(invoked) + " <what the customer ran into>` here; status, +1, stats and the "
             "council work from Slack or the cxos Teams app.";
    return m;
}

} // namespace

boost::asio::awaitable<http_response> app::teams_webhook(http_request& req) {
    if (!s_.teams_webhook) co_return text_response(404, "Teams outgoing-webhook mode is off (set TEAMS_WEBHOOK_SECRET)\n");
    auto auth = req.find(boost::beast::http::field::authorization);
    const std::string_view header = auth == req.end() ? std::string_view() : std::string_view(auth->value());
    if (!s_.teams_webhook->verify(header, req.body())) {
        log_warn("rejected Teams webhook request", {{"reason", header.empty() ? "no Authorization" : "bad HMAC"}});
        metrics().count_verification_failure(endpoint::teams_webhook);
        co_return text_response(401, "invalid Teams webhook signature\n");
    }
    auto activity = nlohmann::json::parse(req.body(), nullptr, false);
    auto message = activity.is_discarded() ? std::nullopt : teams::decode_message_activity(activity);
    if (!message) co_return text_response(400, "expected a Teams message activity\n");

    const std::string invoked = "@cxos";
    auto cmd = parse_command(message->text, s_.config.journey);
    if (std::holds_alternative<help_command>(cmd) || std::holds_alternative<capture_form_command>(cmd))
        co_return reply(render_help(s_.config.journey, invoked));
    if (auto* bad = std::get_if<invalid_command>(&cmd)) co_return reply(render_invalid(*bad));
    // No buttons here: the prompt's text names the command to type instead.
    if (auto* confirm = std::get_if<confirm_command>(&cmd)) co_return reply(render_confirm(*confirm, invoked));
    if (!std::holds_alternative<log_command>(cmd)) co_return reply(only_capture(invoked));

    source_ref from{"teams", message->tenant_id, message->channel_id.empty() ? message->conversation_id : message->channel_id,
                    message->from_id, message->from_name, "", "", ""};
    auto s = plan_signal(s_.config.journey, std::get<log_command>(cmd), from, s_.clock());
    try {
        // Teams may deliver the same activity again: its id, remembered in the same commit as the
        // signal, makes the second one a no-op (and a failed commit remembers nothing).
        auto commit = store_call(s_.queue, [s, key = message->id.empty() ? std::string() : "teams:" + message->id,
                                             journey = &s_.config.journey, now = s_.clock()](storage::store& st) {
            return record_signal_once(st, *journey, s, key, now);
        });
        auto logged = co_await std::move(commit);
        if (!logged) {
            neutral_message again;
            again.title = "Already logged";
            again.text = "cxos logged this message when it first arrived.";
            co_return reply(again);
        }
        s_.outbox.notify(logged->queued);
        co_return reply(log_ack(*logged, s_.config.journey, s_.holds, std::get<log_command>(cmd).unknown_tags));
    } catch (const std::exception& e) {
        log_error("Teams webhook request failed", {{"error", e.what()}});
        co_return reply(error_note("cxos could not log that", "Nothing was stored. Please send it again in a moment."));
    }
}

} // namespace cxos::bot
