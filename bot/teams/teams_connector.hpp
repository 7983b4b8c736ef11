#pragma once
// cxos's side of the Bot Framework on the shared HTTP client: the signing keys that authenticate
// inbound activities (OpenID metadata → JWKS, cached with Microsoft's refresh policy), the
// client-credentials token for outbound calls (renewed 5 minutes before expiry), and sending to a
// serviceUrl only when a validated activity brought it or the allowlist names it.
#include "adapters/jwt/jwks.hpp"
#include "adapters/teams/bot_framework_jwt.hpp"
#include "adapters/teams/connector.hpp"
#include "bot/core/flight_gate.hpp"
#include "bot/server/http_client.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <set>

namespace cxos::bot {

struct teams_credentials {
    std::string app_id;
    std::string app_password;
    std::string tenant_id; // empty: the legacy multi-tenant "botframework.com"
};

class teams_connector {
  public:
    teams_connector(boost::asio::any_io_executor ex, http_client& client, const teams_config& config,
                    teams_credentials credentials, std::function<std::int64_t()> now_seconds);

    const std::string& app_id() const { return credentials_.app_id; }
    const std::string& tenant_id() const { return credentials_.tenant_id; }

    // Validates `Authorization` for an activity from `channel_id` carrying `service_url`.
    boost::asio::awaitable<jwt::jwt_verdict> authenticate(std::string_view authorization,
                                                            const std::string& channel_id,
                                                            const std::string& service_url);
    // A serviceUrl cxos may send its token to.
    bool trusted(const std::string& service_url) const;
    void trust(const std::string& service_url) { vouched_.insert(service_url); }
    // A route cxos remembered for a conversation (storage::teams_route). Routes are stored only
    // from activities whose JWT vouched for their serviceUrl, so one is as trusted after a restart
    // as when it arrived: posting to it and asking its roster rely on that alike.
    const std::string& trust_remembered(const std::string& service_url) {
        trust(service_url);
        return service_url;
    }

    // One Bot Connector call with the bot's token; a 401 renews the token and tries once more.
    // `path` ("/v3/conversations/…") is appended to the serviceUrl's own path.
    boost::asio::awaitable<teams::connector_result> call(boost::beast::http::verb method, const std::string& service_url,
                                                         const std::string& path, const nlohmann::json& body,
                                                         const std::string& conversation);

  private:
    boost::asio::awaitable<void> refresh_keys();
    boost::asio::awaitable<std::string> token(bool renew, std::string& error);
    boost::asio::awaitable<outbound_response> fetch(const std::string& url);

    boost::asio::any_io_executor executor_;
    http_client& client_;
    const teams_config& config_;
    teams_credentials credentials_;
    std::function<std::int64_t()> now_;
    jwt::key_cache keys_;
    std::int64_t last_key_attempt_ = -1'000'000;
    flight_gate keys_fetch_;
    teams::connector_token token_;
    flight_gate token_fetch_;
    std::set<std::string> vouched_;
};

} // namespace cxos::bot
