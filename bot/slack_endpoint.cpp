// POST /slack/events: the one Request URL for slash commands, interactivity and the Events API.
#include "adapters/slack/blocks.hpp"
#include "commands/json_text.hpp"
#include "adapters/slack/form.hpp"
#include "adapters/slack/inbound.hpp"
#include "bot/app.hpp"
#include "bot/clock.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/store_call.hpp"

#include <cstdlib>

namespace cxos::bot {

namespace {

std::string header(const http_request& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string() : std::string(it->value());
}

http_response ephemeral(const neutral_message& m) { return json_answer(slack::render_ephemeral(m)); }

neutral_message failure_message(std::string text) { return error_note("cxos could not log that", std::move(text)); }

} // namespace

boost::asio::awaitable<http_response> app::slack_events(http_request& req) {
    if (!s_.slack_verifier) co_return text_response(404, "Slack is off here (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN), or runs in Socket Mode\n");
    const auto media = slack::media_type(header(req, "Content-Type"));
    const auto timestamp = header(req, slack::timestamp_header);
    const auto signature = header(req, slack::signature_header);
    const auto& body = req.body();

    // Slack's certificate probe carries no signature and must change nothing.
    if (timestamp.empty() && signature.empty() && slack::is_ssl_check(media, body))
        co_return text_response(200, "");

    // Replay protection compares with Slack's real clock, even when a test clock drives the domain.
    auto verdict = s_.slack_verifier->verify(timestamp, signature, body, clock_source::system_now() / 1000);
    if (verdict != slack::verify_result::ok) {
        log_warn("rejected Slack request", {{"reason", slack::to_string(verdict)}});
        metrics().count_verification_failure(endpoint::slack_events);
        co_return text_response(401, "invalid Slack request signature\n");
    }

    auto decoded = slack::decode(media, body);
    auto answer = slack_request(std::move(decoded), std::atoi(header(req, "X-Slack-Retry-Num").c_str()));
    auto res = co_await std::move(answer);
    co_return res;
}

boost::asio::awaitable<http_response> app::slack_request(slack::inbound decoded, int retry_attempt) {
    if (auto* bad = std::get_if<slack::malformed_request>(&decoded)) {
        log_warn("malformed Slack request", {{"reason", bad->message}});
        co_return text_response(400, "malformed Slack request: " + bad->message + "\n");
    }
    if (auto* challenge = std::get_if<slack::url_verification>(&decoded))
        co_return json_response(200, json_text(nlohmann::json{{"challenge", challenge->challenge}}));
    try {
        if (auto* event = std::get_if<slack::event_callback>(&decoded)) {
            if (retry_attempt > 0) log_debug("Slack redelivered an event", {{"event", event->event_id}, {"retry", retry_attempt}});
            auto res = co_await slack_event(event->payload);
            co_return res;
        }
        if (auto* action = std::get_if<slack::interaction>(&decoded)) {
            auto res = co_await slack_interaction(action->payload);
            co_return res;
        }
    } catch (const std::exception& e) {
        // Slack retries events and shows interaction errors: nothing was stored either way.
        log_error("Slack request failed", {{"error", e.what()}});
        co_return text_response(503, "cxos could not store this; nothing was changed\n");
    }

    const auto& cmd = std::get<slack::slash_command>(decoded);
    source_ref from{"slack", cmd.team_id, cmd.channel_id, cmd.user_id, cmd.user_name, "", "", ""};
    if (cmd.command != s_.config.slack_command) {
        log_warn("slash command not served by cxos", {{"command", cmd.command}});
        co_return ephemeral(failure_message("This server answers `" + s_.config.slack_command +
                                            "`, not `" + cmd.command + "`. Point only `" +
                                            s_.config.slack_command + "` at it (slack.command in the cxos config names it)."));
    }
    try {
        auto parsed = parse_command(cmd.text, s_.config.journey);
        auto reply = co_await run_command(parsed, from, cmd.command);
        if (!reply.form) co_return ephemeral(reply.message);
        auto opened = co_await s_.slack.open_view(cmd.trigger_id, *reply.form);
        if (opened.error.empty()) co_return text_response(200, "");
        log_warn("could not open the capture form", {{"error", opened.error}});
        co_return ephemeral(failure_message("cxos could not open the form (" + opened.error +
                                            "). Type it instead: `" + s_.config.slack_command + " <what happened>`."));
    } catch (const store_busy&) {
        log_warn("store queue full; request refused");
        co_return ephemeral(failure_message("cxos is overloaded right now and stored nothing. "
                                            "Please send the same command again in a moment."));
    } catch (const storage::store_error& e) {
        log_error("store failed", {{"error", e.what()}});
        co_return ephemeral(failure_message("cxos could not store this and logged nothing. "
                                            "Please try again; if it keeps failing, tell your cxos admin."));
    }
}

} // namespace cxos::bot
