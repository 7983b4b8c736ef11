#include "bot/slack/slack_sender.hpp"
#include "commands/json_text.hpp"

#include "adapters/slack/blocks.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/json_fields.hpp"
#include "adapters/slack/response_url.hpp"
#include "bot/core/log.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace cxos::bot {

namespace {

constexpr auto members_ttl = std::chrono::seconds(60);

// slack::response_url_target on slack.hooks_url's origin.
std::optional<std::string> response_url_target(const endpoint_url& hooks, std::string_view response_url) {
    return slack::response_url_target({hooks.scheme, hooks.host, hooks.port, hooks.path}, response_url);
}

} // namespace

slack_sender::slack_sender(http_client& client, endpoint_url api, slack_workspaces& tokens, endpoint_url hooks)
    : client_(client), api_(std::move(api)), hooks_(std::move(hooks)), tokens_(tokens) {}

bool slack_sender::answers_through(const std::string& response_url) const {
    return response_url_target(hooks_, response_url).has_value();
}

boost::asio::awaitable<send_result> slack_sender::reply(const delivery& d, const neutral_message& m) {
    send_result out;
    auto target = response_url_target(hooks_, d.reply_url);
    if (!target) {
        out.post.outcome = slack::post_outcome::dead;
        out.post.error = "not a response_url on slack.hooks_url";
        co_return out;
    }
    outbound_request req;
    req.method = boost::beast::http::verb::post;
    req.content_type = "application/json; charset=utf-8";
    req.target = std::move(*target);
    req.body = slack::response_url_body(m);
    auto res = co_await client_.send(hooks_, req);
    if (!res.error.empty()) {
        out.post.outcome = slack::post_outcome::retry;
        out.post.error = res.error;
        co_return out;
    }
    out.post = slack::classify_response_url_answer(res.status, res.retry_after, res.body);
    co_return out;
}

boost::asio::awaitable<send_result> slack_sender::deliver(const delivery& d, const neutral_message& m,
                                                          const std::string& parent_ts) {
    if (d.kind != delivery_kind::ephemeral || d.reply_url.empty()) {
        auto sent = co_await deliver_by_api(d, m, parent_ts);
        co_return sent;
    }
    // A click's response_url reaches the person wherever they clicked (a DM, a private channel
    // cxos is not in), where chat.postEphemeral is refused. Whatever keeps it from answering (spent,
    // unreachable, busy), chat.postEphemeral is tried at once: a note never waits on
    // hooks.slack.com alone, nor holds its channel's later rows. A note shown twice is the lesser harm.
    auto replied = co_await reply(d, m);
    if (replied.post.outcome == slack::post_outcome::sent) co_return replied;
    log_info("a click's response_url did not take the note: it goes by chat.postEphemeral",
             {{"delivery", d.id}, {"error", replied.post.error}});
    auto posted = co_await deliver_by_api(d, m, parent_ts);
    // Refused there for good while the URL only failed for now: the URL, again later (it lives
    // 30 minutes, then answers expired_url and the refusal stands).
    const bool url_may_work = replied.post.outcome == slack::post_outcome::retry ||
                              replied.post.outcome == slack::post_outcome::rate_limited;
    if (posted.post.outcome == slack::post_outcome::dead && url_may_work) co_return replied;
    co_return posted;
}

boost::asio::awaitable<send_result> slack_sender::deliver_by_api(const delivery& d, const neutral_message& m,
                                                                 const std::string& parent_ts) {
    auto token = co_await tokens_.token_for(d.workspace);
    send_result out;
    if (token.token.empty()) {
        // Nothing was sent: a workspace cxos is not installed in is a dead letter that says so.
        out.post.outcome = token.permanent ? slack::post_outcome::dead : slack::post_outcome::retry;
        out.post.error = token.error;
        co_return out;
    }
    outbound_request req;
    req.method = boost::beast::http::verb::post;
    req.content_type = "application/json; charset=utf-8";
    req.bearer_token = token.token;
    const bool is_mark = d.kind == delivery_kind::reaction;
    if (is_mark) {
        req.target = api_.path + "/reactions.add";
        req.body = json_text(slack::render_reaction(d.channel, d.thread_ts, d.payload));
    } else {
        if (d.kind == delivery_kind::council_item) co_await join_council_channel(d, token.token);
        slack::post_call call{slack::post_call::method::post_message, d.channel, d.id, parent_ts, d.user, d.thread_ts};
        if (d.kind == delivery_kind::item_update) call.to = slack::post_call::method::update;
        if (d.kind == delivery_kind::ephemeral) call.to = slack::post_call::method::post_ephemeral;
        req.target = api_.path + (call.to == slack::post_call::method::update           ? "/chat.update"
                                  : call.to == slack::post_call::method::post_ephemeral ? "/chat.postEphemeral"
                                                                                        : "/chat.postMessage");
        req.body = slack::post_body(m, call);
    }
    auto res = co_await client_.send(api_, req);
    if (!res.error.empty()) {
        out.post.outcome = slack::post_outcome::retry;
        out.post.error = res.error;
        out.post.maybe_posted = res.request_written;
        co_return out;
    }
    out.post = is_mark ? slack::classify_reaction_response(res.status, res.retry_after, res.body)
                       : slack::classify_post_response(res.status, res.retry_after, res.body);
    if (token.installed && out.post.outcome == slack::post_outcome::unauthorized) {
        // One workspace took its token back: that is its rows' problem, not every workspace's
        // (a refused SLACK_BOT_TOKEN holds all of Slack instead, as it always has).
        tokens_.token_refused(d.workspace);
        out.post.outcome = slack::post_outcome::dead;
        out.post.error = "Slack workspace " + d.workspace + " refused cxos's token (" + out.post.error +
                         "): install cxos there again (/slack/install), then `cxos outbox retry --dead`";
    }
    co_return out;
}

boost::asio::awaitable<void> slack_sender::join_council_channel(const delivery& item, const std::string& token) {
    const std::string key = item.workspace + ":" + item.channel;
    // An agenda's items are replies to its parent post: one join for each parent.
    if (auto [at, first] = joined_.try_emplace(key, item.parent_id); !first) {
        if (at->second == item.parent_id) co_return;
        at->second = item.parent_id;
    }
    const std::string& channel = item.channel;
    const nlohmann::json join = {{"channel", channel}};
    const std::string method = "conversations.join";
    auto joined = co_await call(token, method, join);
    // A private channel cannot be joined, but cxos posts there only when invited: it is in.
    if (joined.error.empty() || joined.error == "method_not_supported_for_channel_type") co_return;
    // An outage passes: tried again at the next item. A refusal (a scope, an archived channel)
    // stands for this agenda, and is said once.
    if (!slack::is_permanent_lookup_error(joined.error) && joined.error != "is_archived") joined_.erase(key);
    log_warn("cxos could not join the council channel: votes by reaction arrive only once it is in it",
             {{"channel", channel}, {"error", joined.error}, {"hint", "/invite @cxos in that channel"}});
}

boost::asio::awaitable<slack::lookup_result> slack_sender::read_history(const delivery& d, const std::string& token) {
    // The last attempt's time (its start after a crash, its end after a lost answer) is within a
    // request's timeout of the post; clocks differ, so a minute either side, and the timeout.
    const std::int64_t attempt = d.updated_at / 1000;
    const slack::history_window window{attempt - 60, attempt + 60 + history_margin_seconds};
    unread_history progress{d.updated_at, "", 0};
    if (auto earlier = unread_.find(d.id); earlier != unread_.end() && earlier->second.attempt == d.updated_at)
        progress = earlier->second;
    unread_.erase(d.id);
    std::string cursor = progress.cursor;
    for (int page = 0; page < max_history_pages; ++page) {
        outbound_request req;
        req.method = boost::beast::http::verb::get;
        // Thread replies are not in a channel's history: read the thread instead.
        req.target = d.thread_ts.empty()
                         ? api_.path + "/conversations.history?" + slack::history_query(d.channel, window, cursor)
                         : api_.path + "/conversations.replies?" +
                               slack::replies_query(d.channel, d.thread_ts, window, cursor);
        req.bearer_token = token;
        auto res = co_await client_.send(api_, req);
        // The next check reads on from where this one stopped (from the top again when Slack no
        // longer takes that cursor); a lookup that failed for good is not asked again.
        auto keep_place = [&](const slack::lookup_result& failed) {
            progress.cursor = failed.error == "invalid_cursor" ? std::string() : cursor;
            if (!failed.permanent) unread_[d.id] = progress;
        };
        if (!res.error.empty()) {
            slack::lookup_result failed;
            failed.error = res.error;
            keep_place(failed);
            co_return failed;
        }
        auto found = slack::find_delivery_in_history(res.status, res.body, d.id);
        if (found.outcome == slack::lookup_outcome::failed) {
            keep_place(found);
            co_return found;
        }
        if (found.outcome == slack::lookup_outcome::found || found.next_cursor.empty()) co_return found;
        cursor = found.next_cursor;
    }
    progress.cursor = cursor;
    progress.checks += 1;
    const std::string read = std::to_string(progress.checks * max_history_pages) + " pages of messages";
    slack::lookup_result unread;
    if (progress.checks < max_history_checks) {
        unread_[d.id] = progress;
        unread.error = read + " around the attempt read so far: reading on at the next check";
        co_return unread;
    }
    // Waiting longer would hold the channel's later posts for a lookup that may never reach the
    // post: posting again (perhaps twice) is the lesser harm.
    unread.error = "over " + read + " around the attempt";
    unread.permanent = true;
    unread.window_unread = true;
    co_return unread;
}

boost::asio::awaitable<slack::lookup_result> slack_sender::find_posted(const delivery& d) {
    auto token = co_await tokens_.token_for(d.workspace);
    if (token.token.empty()) {
        slack::lookup_result none;
        none.error = token.error;
        none.permanent = token.permanent;
        co_return none;
    }
    if (slack::is_id(d.channel, slack::user_prefixes)) {
        // A notice to a person was posted to their id, and landed in the bot's DM with them; the
        // DM's history is read by the DM's own id (conversations.open: im:write, then im:history).
        const nlohmann::json open = {{"users", d.channel}};
        const std::string method = "conversations.open";
        auto dm = co_await call(token.token, method, open);
        std::string dm_id;
        if (auto channel = dm.body.find("channel"); dm.error.empty() && channel != dm.body.end())
            dm_id = slack::text_of(*channel, "id");
        if (dm_id.empty()) {
            slack::lookup_result unopened;
            unopened.error = dm.error.empty() ? "conversations.open named no channel" : dm.error;
            unopened.permanent = slack::is_permanent_lookup_error(unopened.error);
            co_return unopened;
        }
        delivery in_dm = d;
        in_dm.channel = dm_id;
        co_return co_await read_history(in_dm, token.token);
    }
    auto found = co_await read_history(d, token.token);
    if (found.outcome == slack::lookup_outcome::failed && found.error == "not_in_channel") {
        // chat:write.public posts without membership, but reading needs it: join, read again.
        const nlohmann::json join = {{"channel", d.channel}};
        const std::string method = "conversations.join";
        auto joined = co_await call(token.token, method, join);
        if (joined.error.empty()) found = co_await read_history(d, token.token);
    }
    co_return found;
}

namespace {

api_answer read_answer(const outbound_response& res) {
    api_answer out;
    if (!res.error.empty()) out.error = res.error;
    else if (res.status != 200) out.error = "HTTP " + std::to_string(res.status);
    else {
        out.body = nlohmann::json::parse(res.body, nullptr, false);
        if (out.body.is_discarded() || !out.body.is_object()) out.error = "the answer was not JSON";
        else if (!slack::bool_field(out.body, "ok")) {
            out.error = slack::text_of(out.body, "error");
            if (out.error.empty()) out.error = "unknown_error";
        }
    }
    return out;
}

std::string encoded(const std::string& v) { return boost::urls::encode(v, boost::urls::unreserved_chars); }

} // namespace

boost::asio::awaitable<api_answer> slack_sender::call(const std::string& token, const std::string& method,
                                                      const nlohmann::json& body) {
    outbound_request req;
    req.target = api_.path + "/" + method;
    req.content_type = "application/json; charset=utf-8";
    req.body = json_text(body);
    req.bearer_token = token;
    req.timeout = std::chrono::milliseconds(2500); // these answer a user within Slack's 3 seconds
    auto res = co_await client_.send(api_, req);
    co_return read_answer(res);
}

boost::asio::awaitable<api_answer> slack_sender::get(const std::string& token, const std::string& method,
                                                     const std::string& query, std::chrono::milliseconds timeout) {
    outbound_request req;
    req.method = boost::beast::http::verb::get;
    req.target = api_.path + "/" + method + "?" + query;
    req.bearer_token = token;
    req.timeout = timeout;
    auto res = co_await client_.send(api_, req);
    co_return read_answer(res);
}

boost::asio::awaitable<api_answer> slack_sender::check_token() {
    if (!tokens_.has_default_token()) co_return api_answer{};
    const std::string method = "auth.test", workspace;
    auto token = co_await tokens_.token_for(workspace);
    auto answer = co_await call(token.token, method, nlohmann::json::object());
    co_return answer;
}

boost::asio::awaitable<api_answer> slack_sender::open_view(const std::string& workspace, const std::string& trigger_id,
                                                           const neutral_form& form) {
    auto body = slack::views_open_body(trigger_id, form);
    const std::string method = "views.open";
    auto token = co_await tokens_.token_for(workspace);
    if (token.token.empty()) co_return api_answer{token.error, {}};
    auto answer = co_await call(token.token, method, body);
    co_return answer;
}

boost::asio::awaitable<std::string> slack_sender::permalink(const std::string& workspace, const std::string& channel,
                                                            const std::string& ts, std::chrono::milliseconds timeout) {
    const std::string method = "chat.getPermalink";
    const std::string query = "channel=" + encoded(channel) + "&message_ts=" + encoded(ts);
    auto token = co_await tokens_.token_for(workspace);
    if (token.token.empty()) co_return std::string();
    auto answer = co_await get(token.token, method, query, timeout);
    if (!answer.error.empty()) co_return std::string();
    auto p = answer.body.find("permalink");
    co_return p != answer.body.end() && p->is_string() ? p->get<std::string>() : std::string();
}

boost::asio::awaitable<std::optional<slack::fetched_message>>
slack_sender::fetch_message(const std::string& workspace, const std::string& channel, const std::string& ts) {
    auto token = co_await tokens_.token_for(workspace);
    if (token.token.empty()) co_return std::nullopt;
    // A top-level message is in history; a thread reply only in its thread.
    auto query = slack::single_message_query(channel, ts);
    const std::string history_method = "conversations.history";
    auto history = co_await get(token.token, history_method, query);
    if (history.error.empty())
        if (auto m = slack::find_message(json_text(history.body), ts)) co_return m;
    const std::string replies_method = "conversations.replies";
    const std::string replies_query = slack::single_reply_query(channel, ts);
    auto replies = co_await get(token.token, replies_method, replies_query);
    if (replies.error.empty()) co_return slack::find_message(json_text(replies.body), ts);
    co_return std::nullopt;
}

boost::asio::awaitable<api_answer> slack_sender::is_member(const std::string& workspace, const std::string& channel,
                                                           const std::string& user) {
    auto now = std::chrono::steady_clock::now();
    const std::string key = workspace + ":" + channel;
    auto cached = members_.find(key);
    // A miss on a list older than a few seconds is checked again: someone may just have joined.
    const bool stale_miss = cached != members_.end() && !cached->second.users.count(user) &&
                            now - cached->second.fetched > std::chrono::seconds(5);
    if (cached == members_.end() || now - cached->second.fetched > members_ttl || stale_miss) {
        member_list fresh;
        std::string cursor;
        auto token = co_await tokens_.token_for(workspace);
        if (token.token.empty()) co_return api_answer{token.error, {}};
        for (int page = 0; page < 50; ++page) {
            std::string query = "channel=" + encoded(channel) + "&limit=1000";
            if (!cursor.empty()) query += "&cursor=" + encoded(cursor);
            const std::string method = "conversations.members";
            auto answer = co_await get(token.token, method, query);
            if (!answer.error.empty()) co_return answer;
            if (auto m = answer.body.find("members"); m != answer.body.end() && m->is_array())
                for (const auto& u : *m)
                    if (u.is_string()) fresh.users.insert(u.get<std::string>());
            cursor.clear();
            if (auto meta = answer.body.find("response_metadata"); meta != answer.body.end() && meta->is_object())
                cursor = meta->value("next_cursor", std::string());
            if (cursor.empty()) break;
        }
        fresh.fetched = now;
        cached = members_.insert_or_assign(key, std::move(fresh)).first;
    }
    api_answer out;
    if (!cached->second.users.count(user)) out.error = "not_a_member";
    co_return out;
}

} // namespace cxos::bot
