#pragma once
// Signing in to the dashboard as a person, OpenID Connect's code flow, one endpoint for both
// providers (they differ only in their URLs, issuer and the claims naming the person):
//   GET /dashboard/signin/<provider>           starts: a browser-bound single-use state and a
//                                              nonce (oauth_flow.hpp), then the provider's authorize page
//   GET /dashboard/signin/<provider>/callback  the state checked first (forged, replayed, expired or
//                                              from another browser: refused, nothing asked of the
//                                              provider), the code exchanged for an id_token, the
//                                              id_token verified (signature by the provider's JWKS,
//                                              iss, aud, exp, nonce), the tenant checked (Microsoft),
//                                              then the allow-list (dashboard_access) and a session.
// <provider> is "slack" (Sign in with Slack) or "microsoft" (Entra ID, for Teams deployments).
#include "adapters/jwt/jwks.hpp"
#include "adapters/jwt/rs256.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/server/http_client.hpp"
#include "bot/services/dashboard_access.hpp"
#include "bot/web/dashboard_sessions.hpp"

#include <functional>
#include <map>
#include <set>

namespace cxos::bot {

struct signin_provider {
    std::string name;     // "slack", "microsoft": the path segment and the state's purpose
    std::string platform; // "slack", "teams": whose channels admit the person
    std::string label;    // "Sign in with Slack"
    std::string authorize_url;
    endpoint_url token_url;
    endpoint_url keys_url;
    std::string issuer; // may hold "{tenantid}" (Microsoft)
    std::string client_id, client_secret;
    std::set<std::string> tenants; // Microsoft: the tenants whose people may sign in
};

// The providers `dashboard.signin` names, from the config and the environment's credentials;
// `problem` says what is missing for one that cannot be offered.
signin_provider slack_signin_provider(const app_config& config, std::string client_id, std::string client_secret);
signin_provider microsoft_signin_provider(const app_config& config, std::string client_id, std::string client_secret,
                                          const std::string& app_tenant);

class signin_endpoint final : public endpoint {
  public:
    signin_endpoint(std::vector<signin_provider> providers, dashboard_sessions& sessions, dashboard_access& access,
                    http_client& client, const app_config& config, storage::commit_queue& queue,
                    std::function<millis()> clock);
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    boost::asio::awaitable<http_response> start(const http_request& req, const signin_provider& p);
    boost::asio::awaitable<http_response> finish(const http_request& req, signin_provider& p);
    boost::asio::awaitable<jwt::jwt_verdict> verify(signin_provider& p, const std::string& id_token,
                                                    const std::string& nonce);
    boost::asio::awaitable<void> refresh_keys(const signin_provider& p);
    std::string redirect_uri(const signin_provider& p) const;

    std::vector<signin_provider> providers_;
    dashboard_sessions& sessions_;
    dashboard_access& access_;
    http_client& client_;
    const app_config& config_;
    storage::commit_queue& queue_;
    std::function<millis()> clock_;
    std::map<std::string, jwt::key_cache> keys_; // by provider; io thread only
};

} // namespace cxos::bot
