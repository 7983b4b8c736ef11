#pragma once
// Everything cxos says to Slack's Web API goes through here, on the shared HTTP client:
// outbox deliveries (posts, thread replies, updates, ephemerals) and the few calls that must
// answer a user within Slack's 3 seconds (opening a modal, permalinks, membership).
#include "adapters/slack/web_api.hpp"
#include "bot/server/http_client.hpp"
#include "commands/domain.hpp"
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace cxos::bot {

struct send_result {
    slack::post_result post; // maybe_posted also covers a request written with no answer back
};

// A Web API answer: `error` empty and `body` the JSON when ok:true.
struct api_answer {
    std::string error;
    nlohmann::json body;
};

class slack_sender {
  public:
    slack_sender(http_client& client, endpoint_url api, std::string bot_token);

    // Sends one outbox row; `parent_ts` is the message an item_update edits.
    boost::asio::awaitable<send_result> deliver(const delivery& d, const neutral_message& m,
                                                const std::string& parent_ts);
    // After a crash or a lost answer: did Slack post this delivery after all?
    boost::asio::awaitable<slack::lookup_result> find_posted(const delivery& d);

    boost::asio::awaitable<api_answer> open_view(const std::string& trigger_id, const neutral_form& form);
    boost::asio::awaitable<std::string> permalink(const std::string& channel, const std::string& ts);
    boost::asio::awaitable<std::optional<slack::fetched_message>> fetch_message(const std::string& channel,
                                                                               const std::string& ts);
    // `auth.test`: whether Slack accepts the bot token (an empty error when it does).
    boost::asio::awaitable<api_answer> check_token();
    // Channel members, cached for a minute: the owner role is channel membership.
    boost::asio::awaitable<api_answer> is_member(const std::string& channel, const std::string& user);

  private:
    static constexpr int max_history_pages = 10;
    boost::asio::awaitable<slack::lookup_result> read_history(const delivery& d);
    boost::asio::awaitable<api_answer> call(const std::string& method, const nlohmann::json& body);
    boost::asio::awaitable<api_answer> get(const std::string& method, const std::string& query);

    http_client& client_;
    endpoint_url api_;
    std::string token_;
    struct member_list {
        std::set<std::string> users;
        std::chrono::steady_clock::time_point fetched;
    };
    std::map<std::string, member_list> members_;
};

} // namespace cxos::bot
