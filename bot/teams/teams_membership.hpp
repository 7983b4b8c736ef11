#pragma once
// Membership in Teams: a channel's cards and messages reach only the members of its team, so a
// person acting in a channel belongs to it; there is nothing to ask Microsoft.
#include "bot/services/membership.hpp"
#include "bot/teams/teams_connector.hpp"

namespace cxos::bot {

class teams_membership final : public membership {
  public:
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        co_return membership_answer{!channel.empty() && who.channel_id == channel, ""};
    }
};

// Membership asked of the Bot Connector's roster, for a person who signed in with Microsoft
// rather than acting in a channel: GET /v3/conversations/<channel>/members/<Entra object id> at
// the first `teams.service_url_allowlist` entry (Teams knows its members by that id too).
class teams_roster_membership final : public membership {
  public:
    teams_roster_membership(teams_connector& connector, const teams_config& config)
        : connector_(connector), config_(config) {}
    boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) override {
        if (config_.service_url_allowlist.empty()) co_return membership_answer{false, "no teams.service_url_allowlist"};
        const std::string service_url = config_.service_url_allowlist.front();
        const std::string path = "/v3/conversations/" + channel + "/members/" + who.user_id;
        const nlohmann::json none;
        auto answer = co_await connector_.call(boost::beast::http::verb::get, service_url, path, none, channel);
        if (answer.outcome == teams::connector_outcome::sent) co_return membership_answer{true, ""};
        if (answer.outcome == teams::connector_outcome::dead) co_return membership_answer{false, ""};
        co_return membership_answer{false, answer.error.empty() ? "the Bot Connector did not answer" : answer.error};
    }

  private:
    teams_connector& connector_;
    const teams_config& config_;
};

} // namespace cxos::bot
