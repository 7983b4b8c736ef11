#pragma once
// Outbox rows for Teams, over the Bot Connector: a routed item starts a thread in the owner's
// channel, replies go into that thread, refreshes replace the card in place, and notices to a
// person open a one-to-one chat. A row's platform_ref is "<conversation id>|<activity id>".
#include "bot/teams/teams_connector.hpp"
#include "bot/workers/sender.hpp"
#include "storage/store.hpp"

namespace cxos::bot {

class teams_sender final : public platform_sender {
  public:
    explicit teams_sender(teams_connector& connector) : connector_(connector) {}

    std::string_view platform() const override { return "teams"; }
    // Teams allows 7 posts a second and 60 per 30 s per conversation: a burst of 5 then 55 per
    // 30 s keeps every 1 s window under 7 and every 30 s window at 60.
    double rate() const override { return 55.0 / 30.0; }
    double burst() const override { return 5.0; }
    // A row needs to know where its conversation lives (the serviceUrl Teams gave when cxos was
    // added there): it waits, retried every minute, until cxos has been added.
    send_preparation prepare(storage::store& st, const delivery& d) const override;
    boost::asio::awaitable<send_outcome> deliver(const outbox_row& row) override;
    // Teams keeps no history a bot can read: a post in doubt is posted again (at least once).
    boost::asio::awaitable<posted_check> find_posted(const delivery&) override { co_return posted_check{}; }
    // The client-credentials token is fetched when needed and renewed on a 401.
    boost::asio::awaitable<credential_check> check_credentials() override { co_return credential_check{}; }

  private:
    boost::asio::awaitable<teams::connector_result> post(const delivery& d, const nlohmann::json& activity,
                                                         const storage::teams_route& route, std::string& conversation);
    teams_connector& connector_;
};

} // namespace cxos::bot
