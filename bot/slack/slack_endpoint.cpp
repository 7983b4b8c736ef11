// POST /slack/events: verify, decode, then one path for every kind of Slack request.
#include "bot/slack/slack_endpoint.hpp"

#include "adapters/slack/blocks.hpp"
#include "adapters/slack/form.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "commands/item_views.hpp"
#include "commands/json_text.hpp"

#include <charconv>

namespace cxos::bot {

namespace {

// A view into the request, which the session keeps for the whole of handle().
std::string_view header(const http_request& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string_view() : std::string_view(it->value());
}

http_response ephemeral(const neutral_message& m) { return json_response(200, slack::ephemeral_body(m)); }

neutral_message failure_message(std::string text) { return error_note("cxos could not log that", std::move(text)); }

} // namespace

actor actor_of(const slack::actor& by, const std::string& channel) {
    return actor{"slack", by.team_id, by.user_id, by.user_name, channel};
}

boost::asio::awaitable<http_response> slack_http_endpoint::handle(http_request& req) {
    const auto media = slack::media_type(header(req, "Content-Type"));
    const auto timestamp = header(req, slack::timestamp_header);
    const auto signature = header(req, slack::signature_header);
    const auto& body = req.body();

    // Slack's certificate probe carries no signature and must change nothing.
    if (timestamp.empty() && signature.empty() && slack::is_ssl_check(media, body)) co_return text_response(200, "");

    // Replay protection compares with Slack's real clock, even when a test clock drives the domain.
    auto verdict = verifier_.verify(timestamp, signature, body, clock_source::system_now() / 1000);
    if (verdict != slack::verify_result::ok) {
        log_warn("rejected Slack request", {{"reason", slack::to_string(verdict)}});
        co_return text_response(401, "invalid Slack request signature\n");
    }
    const auto decoded = slack::decode(media, body);
    const auto retry_header = header(req, "X-Slack-Retry-Num");
    int retry = 0; // absent or not a number: a first delivery
    std::from_chars(retry_header.data(), retry_header.data() + retry_header.size(), retry);
    auto res = co_await requests_.handle(decoded, retry);
    co_return res;
}

boost::asio::awaitable<http_response> slack_requests::handle(const slack::inbound& in, int retry_attempt) {
    if (auto* bad = std::get_if<slack::malformed_request>(&in)) {
        log_warn("malformed Slack request", {{"reason", bad->message}});
        co_return text_response(400, "malformed Slack request: " + bad->message + "\n");
    }
    if (auto* challenge = std::get_if<slack::url_verification>(&in))
        co_return json_response(200, json_text(nlohmann::json{{"challenge", challenge->challenge}}));
    if (auto* event = std::get_if<slack::event_callback>(&in)) {
        if (retry_attempt > 0) log_debug("Slack redelivered an event", {{"event", event->event_id}, {"retry", retry_attempt}});
        auto res = co_await this->event(event->payload);
        co_return res;
    }
    if (auto* action = std::get_if<slack::interaction>(&in)) {
        auto res = co_await interaction(action->payload);
        co_return res;
    }
    auto res = co_await slash(std::get<slack::slash_command>(in));
    co_return res;
}

boost::asio::awaitable<http_response> slack_requests::handle_without_router(slack::inbound in, int retry_attempt) {
    try {
        auto res = co_await handle(in, retry_attempt);
        co_return res;
    } catch (const std::exception& e) {
        log_error("Slack request failed", {{"error", e.what()}});
    }
    co_return text_response(503, "cxos could not store this; nothing was changed\n");
}

boost::asio::awaitable<http_response> slack_requests::slash(const slack::slash_command& cmd) {
    const auto config = deps_.config.get();
    source_ref from{"slack", cmd.team_id, cmd.channel_id, cmd.user_id, cmd.user_name, "", "", ""};
    if (cmd.command != config->slack_command) {
        log_warn("slash command not served by cxos", {{"command", cmd.command}});
        co_return ephemeral(failure_message("This server answers `" + config->slack_command + "`, not `" + cmd.command +
                                            "`. Point only `" + config->slack_command +
                                            "` at it (slack.command in the cxos config names it)."));
    }
    // A typed command is answered in its ack, which Slack shows to that person only: this surface
    // says "nothing stored, send it again" in an ephemeral note rather than with a status.
    try {
        auto parsed = parse_command(cmd.text, config->journey);
        auto reply = co_await commands_.run(parsed, from, cmd.command, members_);
        if (!reply.form) co_return ephemeral(reply.message);
        auto opened = co_await slack_.open_view(cmd.team_id, cmd.trigger_id, *reply.form);
        if (opened.error.empty()) co_return text_response(200, "");
        co_return ephemeral(form_not_opened(opened.error, "type it instead: `" + config->slack_command +
                                                              " <what happened>`."));
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

boost::asio::awaitable<void> slack_requests::tell(const std::string& workspace, const std::string& channel,
                                                  const std::string& user, const neutral_message& m,
                                                  const std::string& response_url) {
    auto row = ephemeral_for("slack", channel, user, m, deps_.clock());
    row.workspace = workspace;
    if (slack_.answers_through(response_url)) row.reply_url = response_url;
    const std::string anytime; // an ephemeral note is said whenever asked, not once per event
    co_await capture_.say(row, m, anytime);
}

boost::asio::awaitable<void> slack_requests::answer(const slack::block_action& click, const neutral_message& m,
                                                    std::string_view elsewhere) {
    const std::string where = click.channel_id.empty() ? std::string(elsewhere) : click.channel_id;
    if (where.empty()) co_return;
    // A click in a modal carries no response_url: its note goes by chat.postEphemeral.
    co_await tell(click.by.team_id, where, click.by.user_id, m, click.response_url);
}

boost::asio::awaitable<bool> slack_requests::queue_event(storage::inbox_row row, std::string key) {
    // Slack retries a delivery it thinks failed: the event key makes the second one a no-op.
    row.next_attempt_at = deps_.clock();
    auto queue = store_call(deps_.queue, [row, key, now = deps_.clock()](storage::store& st) {
        if (!st.remember_event(key, now)) return false;
        st.insert_inbox(row);
        return true;
    });
    bool fresh = co_await std::move(queue);
    if (fresh && inbox_ready_) inbox_ready_();
    if (!fresh) log_debug("repeated Slack event ignored", {{"event", key}});
    co_return fresh;
}

} // namespace cxos::bot
