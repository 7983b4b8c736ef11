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
        out.in_doubt = res.request_written;
        co_return out;
    }
    out.post = slack::classify_post_response(res.status, res.retry_after, res.body);
    co_return out;
}

boost::asio::awaitable<slack::lookup_result> slack_sender::find_posted(const delivery& d) {
    outbound_request req;
    req.method = boost::beast::http::verb::get;
    // Look a little before the last attempt: clocks differ and the post happened after it.
    req.target = api_.path + "/conversations.history?" +
                 slack::history_query(d.channel, d.updated_at / 1000 - 60);
    req.bearer_token = token_;
    auto res = co_await client_.send(api_, req);
    if (!res.error.empty()) co_return slack::lookup_result{slack::lookup_outcome::failed, "", res.error};
    co_return slack::find_delivery_in_history(res.status, res.body, d.id);
}

} // namespace cxos::bot
