#pragma once
// Membership in Teams: a channel's cards and messages reach only the members of its team, so a
// person acting in a channel belongs to it; there is nothing to ask Microsoft.
#include "bot/services/membership.hpp"

namespace cxos::bot {

class teams_membership final : public membership {
  public:
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        co_return membership_answer{!channel.empty() && who.channel_id == channel, ""};
    }
};

} // namespace cxos::bot
