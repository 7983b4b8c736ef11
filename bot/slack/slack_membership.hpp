#pragma once
// Membership in Slack: the owner and council roles are channel membership, asked of Slack
// (conversations.members, cached by the sender).
#include "bot/services/membership.hpp"
#include "bot/slack/slack_sender.hpp"

namespace cxos::bot {

class slack_membership final : public membership {
  public:
    explicit slack_membership(slack_sender& slack) : slack_(slack) {}
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        auto answer = co_await slack_.is_member(who.team_id, channel, who.user_id);
        if (answer.error == "not_a_member") co_return membership_answer{false, ""};
        co_return membership_answer{answer.error.empty(), answer.error};
    }

  private:
    slack_sender& slack_;
};

} // namespace cxos::bot
