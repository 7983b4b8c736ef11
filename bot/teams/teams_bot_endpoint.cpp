#include "bot/teams/teams_bot_endpoint.hpp"

#include "adapters/teams/ids.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "commands/handlers.hpp"

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

const std::string invoked_as = "@cxos";

} // namespace

actor actor_of(const teams::inbound_activity& a) {
    return actor{"teams", a.conversation.tenant_id, a.from_id, a.from_name, a.conversation.channel_id};
}

boost::asio::awaitable<http_response> teams_bot_endpoint::handle(http_request& req) {
    const auto config = deps_.config.get();
    const std::string header(req[boost::beast::http::field::authorization]);
    // The claims are checked against the activity's channelId and serviceUrl, so those two are read
    // first; nothing else in the body is believed, or stored, before the token passes.
    auto body = nlohmann::json::parse(req.body(), nullptr, false);
    const auto origin = teams::claimed_origin_of(body);
    const std::string channel(teams::teams_channel);
    auto verdict = co_await teams_.authenticate(header, channel, origin.service_url);
    if (verdict.ok() && origin.channel_id != teams::teams_channel) verdict.failure = jwt::jwt_failure::missing_endorsement;
    if (!verdict.ok()) {
        log_warn("rejected Bot Framework request", {{"reason", std::string(jwt::to_string(verdict.failure))}});
        co_return text_response(401, "unauthorized\n");
    }
    auto a = teams::decode_activity(body);
    if (!a) co_return text_response(400, "expected a Bot Framework activity\n");
    // A single-tenant bot serves its own tenant: an app package uploaded elsewhere changes nothing here.
    if (const auto& tenant = teams_.tenant_id(); !tenant.empty() && a->conversation.tenant_id != tenant) {
        log_warn("Teams activity from another tenant refused", {{"type", a->type}});
        co_return text_response(403, "this cxos serves another Microsoft 365 tenant\n");
    }
    co_await remember_route(*a, origin.service_url);
    switch (a->kind) {
    case activity_kind::message: {
        auto res = co_await message(*a);
        co_return res;
    }
    case activity_kind::bot_added: {
        auto hello = render_help(config->journey, invoked_as);
        hello.title = "cxos is here";
        co_await reply(*a, hello);
        co_return text_response(200, "");
    }
    case activity_kind::card_action: {
        // Action.Execute: the answer is the invoke's response body.
        auto answer = co_await card_click(*a);
        co_return card_invoke_response(answer);
    }
    case activity_kind::task_fetch:
    case activity_kind::task_submit: {
        auto res = co_await task(*a);
        co_return res;
    }
    case activity_kind::fetch_task:
    case activity_kind::submit_action: {
        auto res = co_await message_action(*a);
        co_return res;
    }
    case activity_kind::other: break;
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<void> teams_bot_endpoint::remember_route(const teams::inbound_activity& a,
                                                                const std::string& service_url) {
    const std::string key = a.conversation.place();
    if (routes_[key] == service_url) co_return;
    storage::teams_route r{key, service_url, a.conversation.tenant_id, a.conversation.team_id, a.conversation.team_name,
                           deps_.clock()};
    auto save = store_call(deps_.queue, [r](storage::store& st) {
        st.save_teams_route(r);
        return true;
    });
    co_await std::move(save);
    routes_[key] = service_url;
}

boost::asio::awaitable<void> teams_bot_endpoint::reply(const teams::inbound_activity& a, const neutral_message& m) {
    // GCC 12 may destroy a temporary inside a co_await expression twice: arguments are named.
    const auto row = reply_row(a, deps_.clock());
    const auto key = teams::redelivery_key(a.conversation.conversation_id, a.id);
    co_await capture_.say(row, m, key);
}

boost::asio::awaitable<void> teams_bot_endpoint::log(const teams::inbound_activity& a, const log_command& cmd) {
    const auto config = deps_.config.get();
    // The signal, its item, the owner's post and the reply commit together; the activity id,
    // remembered in the same commit, makes a redelivery a no-op.
    const auto s = plan_signal(config->journey, cmd, teams::source_of(a), deps_.clock());
    const auto key = teams::redelivery_key(a.conversation.conversation_id, a.id);
    const std::optional<delivery> row = reply_row(a, deps_.clock());
    co_await capture_.log_once(s, key, cmd.unknown_tags, row);
}

boost::asio::awaitable<http_response> teams_bot_endpoint::message(const teams::inbound_activity& a) {
    const auto config = deps_.config.get();
    // An Action.Submit from a card (clients without Action.Execute) arrives as a message with a value.
    if (a.value.is_object()) {
        // Teams shows nothing of a message activity's answer: the note is a reply in the thread
        // (the card itself is refreshed through the outbox).
        auto clicked = co_await card_click(a);
        if (!clicked.note.empty() && clicked.said_in_thread) {
            neutral_message said;
            said.text = clicked.note;
            co_await reply(a, said);
        }
        co_return text_response(200, "");
    }
    auto cmd = parse_command(a.text, config->journey);
    if (auto* typed = std::get_if<log_command>(&cmd)) {
        co_await log(a, *typed);
        co_return text_response(200, "");
    }
    command_reply answer;
    if (std::holds_alternative<capture_form_command>(cmd)) {
        answer.message = render_help(config->journey, invoked_as);
        answer.message.context = "In Teams, open a message's … menu and choose “Log as friction” for the form.";
    } else {
        // Teams sends an activity again when the first is slow to answer: a command that changes
        // something (+1, council run, split, move) must not run twice, so the activity is
        // remembered before it runs (its reply is deduplicated on its own key, below), and
        // forgotten again if the command fails, so that Teams' retry does it after all.
        const auto run_key = teams::redelivery_key(a.conversation.conversation_id, a.id) + "/run";
        if (!co_await claim_run(a, run_key)) {
            log_debug("repeated Teams command ignored", {{"activity", a.id}});
            co_return text_response(200, "");
        }
        const auto from = teams::source_of(a);
        std::exception_ptr failed;
        try {
            answer = co_await commands_.run(cmd, from, invoked_as, members_);
        } catch (...) {
            failed = std::current_exception();
        }
        if (failed) {
            auto forget = store_call(deps_.queue, [run_key](storage::store& st) {
                st.forget_event(run_key);
                return true;
            });
            // Released only once forgotten: a retry claiming it sooner would lose its key to
            // this forget, and a later delivery would run the command once more.
            std::exception_ptr unforgotten;
            try {
                co_await std::move(forget);
            } catch (...) {
                unforgotten = std::current_exception();
            }
            // Forgotten or not, Teams' retry may run it now, here or on another instance.
            co_await release_run(run_key);
            running_.erase(run_key);
            std::rethrow_exception(unforgotten ? unforgotten : failed);
        }
        // Its effects are committed: if the reply cannot be, the key stays in running_ (and its
        // lead, while this connection lasts), so no retry runs the command again until this
        // server stops (see claim_run).
        co_await reply(a, answer.message);
        // Answered: a retry now finds the reply's key, so the lead has nothing left to guard.
        co_await release_run(run_key);
        running_.erase(run_key);
        co_return text_response(200, "");
    }
    co_await reply(a, answer.message);
    co_return text_response(200, "");
}

boost::asio::awaitable<bool> teams_bot_endpoint::claim_run(const teams::inbound_activity& a, const std::string& run_key) {
    // Running here now: Teams' retry of a slow command. Marked before the store is asked, so a
    // retry arriving while it answers is refused here too.
    if (!running_.insert(run_key).second) co_return false;
    const auto reply_key = teams::redelivery_key(a.conversation.conversation_id, a.id);
    auto claim = store_call(deps_.queue, [run_key, reply_key, sole = sole_server_, now = deps_.clock()](storage::store& st) {
        // Answered (its reply is remembered with the reply's row): done, whatever else is kept.
        if (st.event_seen(reply_key)) return false;
        const bool first = st.remember_event(run_key, now);
        // Remembered, unanswered and not running here: this server's crash cut it short (one
        // server per SQLite file), and then it runs again, so a crash loses no command.
        if (sole) return true;
        // Several instances (PostgreSQL): the run holds a lead on its key, a session lock that
        // ends with its instance's connection. Held, another live instance is running it; free,
        // the instance that remembered it died before answering, and this one takes it over.
        // Remembered first here, it runs even if the lead is not to be had (another key's lock
        // of the same 32-bit hash): refused, it would be lost, as Teams has its 200.
        const bool led = st.try_lead(run_key);
        return first || led;
    });
    bool claimed = false;
    std::exception_ptr failed;
    try {
        claimed = co_await std::move(claim);
    } catch (...) {
        failed = std::current_exception();
    }
    if (failed) {
        // The lead is no transaction's: taken before the batch failed, it would outlive the
        // remembered key and keep any other instance from taking the command over.
        co_await release_run(run_key);
        running_.erase(run_key);
        std::rethrow_exception(failed);
    }
    if (!claimed) running_.erase(run_key);
    co_return claimed;
}

boost::asio::awaitable<void> teams_bot_endpoint::release_run(const std::string& run_key) {
    if (sole_server_) co_return;
    auto release = store_call(deps_.queue, [run_key](storage::store& st) {
        st.release_lead(run_key);
        return true;
    });
    try {
        co_await std::move(release);
    } catch (const std::exception& e) {
        // Nothing is lost: the lead ends with this instance's connection at the latest.
        log_warn("could not release a Teams command's lead", {{"error", e.what()}});
    }
}

} // namespace cxos::bot
