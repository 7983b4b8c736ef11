#pragma once
// Outbox rows for Teams, over the Bot Connector: a routed item starts a thread in the owner's
// channel, replies go into that thread, refreshes replace the card in place, and notices to a
// person open a one-to-one chat. A row's platform_ref is "<conversation id>|<activity id>".
#include "bot/slack/slack_sender.hpp"
#include "bot/teams/teams_connector.hpp"
#include "storage/store.hpp"

namespace cxos::bot {

class teams_sender {
  public:
    explicit teams_sender(teams_connector& connector) : connector_(connector) {}

    // `parent_ref` is the platform_ref an item_update replaces; `route` says where the
    // conversation lives (its serviceUrl and tenant).
    boost::asio::awaitable<send_result> deliver(const delivery& d, const neutral_message& m, const std::string& parent_ref,
                                                const storage::teams_route& route);

  private:
    boost::asio::awaitable<teams::connector_result> post(const delivery& d, const nlohmann::json& activity,
                                                         const storage::teams_route& route, std::string& conversation);
    teams_connector& connector_;
};

} // namespace cxos::bot
