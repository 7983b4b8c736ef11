#pragma once
// Membership in Teams: a channel's cards and messages reach only the members of its team, so a
// person acting in a channel belongs to it; there is nothing to ask Microsoft.
#include "bot/services/membership.hpp"
#include "bot/teams/teams_connector.hpp"
#include "storage/commit_queue.hpp"

namespace cxos::bot {

class teams_membership final : public membership {
  public:
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        co_return membership_answer{!channel.empty() && who.channel_id == channel, ""};
    }
};

// Membership asked of the Bot Connector's roster, for a person who signed in with Microsoft
// rather than acting in a channel: GET /v3/conversations/<channel>/members/<Entra object id>
// (Teams knows its members by that id too), at the serviceUrl Teams gave for that channel. Each
// conversation lives on its own regional Bot Connector; another region answers "no such member".
class teams_roster_membership final : public membership {
  public:
    teams_roster_membership(teams_connector& connector, const teams_config& config, storage::commit_queue& queue)
        : connector_(connector), config_(config), queue_(queue) {}
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override;

  private:
    // Where to ask about `channel`; empty with `error` set when nowhere can be asked.
    boost::asio::awaitable<std::string> service_url_for(const actor& who, const std::string& channel,
                                                        std::string& error);

    teams_connector& connector_;
    const teams_config& config_;
    storage::commit_queue& queue_;
};

} // namespace cxos::bot
