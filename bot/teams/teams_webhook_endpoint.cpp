#include "bot/teams/teams_webhook_endpoint.hpp"

#include "adapters/teams/ids.hpp"
#include "bot/core/log.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/handlers.hpp"
#include "commands/json_text.hpp"

namespace cxos::bot {

namespace {

http_response reply(const neutral_message& m) { return json_response(200, json_text(teams::render_reply_activity(m))); }

neutral_message only_capture(std::string_view invoked) {
    neutral_message m;
    m.title = "Not in this Teams mode";
    m.text = "This channel reaches cxos through an outgoing webhook, which can log friction, take `split` and `move` "
             "after a report joined or was offered an item, and show help. "
             "Use `" + std::string(invoked) + " <what the customer ran into>` here; status, +1, stats and the "
             "council work from Slack or the cxos Teams app.";
    return m;
}

const std::string invoked_as = "@cxos";

} // namespace

http_response teams_webhook_endpoint::unavailable(const service_failure&) {
    return reply(error_note("cxos could not log that", "Nothing was stored. Please send it again in a moment."));
}

boost::asio::awaitable<http_response> teams_webhook_endpoint::handle(http_request& req) {
    const auto config = config_.get();
    auto auth = req.find(boost::beast::http::field::authorization);
    const std::string_view header = auth == req.end() ? std::string_view() : std::string_view(auth->value());
    if (!verifier_.verify(header, req.body())) {
        log_warn("rejected Teams webhook request", {{"reason", header.empty() ? "no Authorization" : "bad HMAC"}});
        co_return text_response(401, "invalid Teams webhook signature\n");
    }
    auto activity = nlohmann::json::parse(req.body(), nullptr, false);
    auto message = activity.is_discarded() ? std::nullopt : teams::decode_message_activity(activity);
    if (!message) co_return text_response(400, "expected a Teams message activity\n");

    auto cmd = parse_command(message->text, config->journey);
    if (std::holds_alternative<help_command>(cmd) || std::holds_alternative<capture_form_command>(cmd))
        co_return reply(render_help(config->journey, invoked_as));
    if (auto* bad = std::get_if<invalid_command>(&cmd)) co_return reply(render_invalid(*bad));
    // No buttons here: the prompt's text names the command to type instead.
    if (auto* confirm = std::get_if<confirm_command>(&cmd)) co_return reply(render_confirm(*confirm, invoked_as));
    source_ref from{"teams", message->tenant_id, message->channel_id.empty() ? message->conversation_id : message->channel_id,
                    message->from_id, message->from_name, "", "", ""};
    // No buttons here either: the acknowledgement names `split` and `move` for grouping's choices.
    if (auto* regroup = std::get_if<regroup_command>(&cmd)) {
        const auto choice = regroup_choice_of(*regroup);
        const actor who{"teams", from.team_id, from.user_id, from.user_name, from.channel_id};
        auto done = co_await capture_.regroup(choice, who);
        co_return reply(done.answer);
    }
    auto* typed = std::get_if<log_command>(&cmd);
    if (!typed) co_return reply(only_capture(invoked_as));

    // Teams may deliver the same activity again: its id, remembered in the same commit as the
    // signal, makes the second one a no-op (and a failed commit remembers nothing).
    const auto s = plan_signal(config->journey, *typed, from, clock_());
    const auto key = message->id.empty() ? std::string() : teams::redelivery_key(message->conversation_id, message->id);
    const std::optional<delivery> no_reply; // the reply is this request's answer
    auto ack = co_await capture_.log_once(s, key, typed->unknown_tags, no_reply);
    if (ack) co_return reply(*ack);
    neutral_message again;
    again.title = "Already logged";
    again.text = "cxos logged this message when it first arrived.";
    co_return reply(again);
}

} // namespace cxos::bot
