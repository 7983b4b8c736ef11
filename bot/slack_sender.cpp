#include "bot/slack_sender.hpp"

#include "adapters/slack/blocks.hpp"

namespace cxos::bot {

slack_sender::slack_sender(http_client& client, endpoint_url api, std::string bot_token)
    : client_(client), api_(std::move(api)), token_(std::move(bot_token)) {}

boost::asio::awaitable<send_result> slack_sender::post(const delivery& d, const neutral_message& m) {
    outbound_request req;
    req.method = boost::beast::http::verb::post;
    req.target = api_.path + "/chat.postMessage";
    req.content_type = "application/json; charset=utf-8";
    req.body = slack::render_post(m, d.channel, d.id).dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
    req.bearer_token = token_;
    auto res = co_await client_.send(api_, req);
    send_result out;
    if (!res.error.empty()) {
        out.post.outcome = slack::post_outcome::retry;
        out.post.error = res.error;
        out.post.maybe_posted = res.request_written;
        co_return out;
    }
    out.post = slack::classify_post_response(res.status, res.retry_after, res.body);
    co_return out;
}

boost::asio::awaitable<slack::lookup_result> slack_sender::read_history(const delivery& d) {
    // Look a little before the last attempt: clocks differ and the post happened after it.
    const std::int64_t oldest = d.updated_at / 1000 - 60;
    std::string cursor;
    slack::lookup_result found;
    for (int page = 0; page < max_history_pages; ++page) {
        outbound_request req;
        req.method = boost::beast::http::verb::get;
        req.target = api_.path + "/conversations.history?" + slack::history_query(d.channel, oldest, cursor);
        req.bearer_token = token_;
        auto res = co_await client_.send(api_, req);
        if (!res.error.empty()) {
            slack::lookup_result failed;
            failed.error = res.error;
            co_return failed;
        }
        found = slack::find_delivery_in_history(res.status, res.body, d.id);
        if (found.outcome != slack::lookup_outcome::not_found || found.next_cursor.empty()) co_return found;
        cursor = found.next_cursor;
    }
    co_return found;
}

boost::asio::awaitable<slack::lookup_result> slack_sender::find_posted(const delivery& d) {
    auto found = co_await read_history(d);
    if (found.outcome == slack::lookup_outcome::failed && found.error == "not_in_channel") {
        // chat:write.public posts without membership, but reading needs it: join, read again.
        outbound_request join;
        join.target = api_.path + "/conversations.join";
        join.content_type = "application/json; charset=utf-8";
        join.body = slack::join_body(d.channel);
        join.bearer_token = token_;
        auto joined = co_await client_.send(api_, join);
        if (joined.error.empty() && joined.status == 200) found = co_await read_history(d);
    }
    co_return found;
}

} // namespace cxos::bot
