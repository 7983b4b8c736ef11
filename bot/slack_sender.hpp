#pragma once
// Delivers outbox rows to Slack's Web API through the shared HTTP client.
#include "adapters/slack/web_api.hpp"
#include "bot/http_client.hpp"
#include "commands/domain.hpp"
#include "commands/message.hpp"

namespace cxos::bot {

struct send_result {
    slack::post_result post; // maybe_posted also covers a request written with no answer back
};

class slack_sender {
  public:
    slack_sender(http_client& client, endpoint_url api, std::string bot_token);

    boost::asio::awaitable<send_result> post(const delivery& d, const neutral_message& m);
    // After a crash or a lost answer: did Slack post this delivery after all?
    boost::asio::awaitable<slack::lookup_result> find_posted(const delivery& d);

  private:
    static constexpr int max_history_pages = 10;
    boost::asio::awaitable<slack::lookup_result> read_history(const delivery& d);

    http_client& client_;
    endpoint_url api_;
    std::string token_;
};

} // namespace cxos::bot
