#pragma once
// Slack in the outbox: posts, thread replies, updates, ephemerals and reactions through the Web
// API, about one post a second per channel with a burst of five, and a post left in doubt looked
// up in the channel's history (by the delivery id in its metadata) before it is posted again.
#include "bot/slack/slack_sender.hpp"
#include "bot/workers/sender.hpp"

namespace cxos::bot {

class slack_outbox_sender final : public platform_sender {
  public:
    explicit slack_outbox_sender(slack_sender& slack) : slack_(slack) {}

    std::string_view platform() const override { return "slack"; }
    double rate() const override { return 1.0; }
    double burst() const override { return 5.0; }
    boost::asio::awaitable<send_outcome> deliver(const outbox_row& row) override;
    boost::asio::awaitable<posted_check> find_posted(const delivery& d) override;
    boost::asio::awaitable<credential_check> check_credentials() override;

  private:
    slack_sender& slack_;
};

} // namespace cxos::bot
