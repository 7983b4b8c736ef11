#pragma once
// The KPI dashboard: GET /dashboard (the page, or the login form), its script and styles under
// /dashboard/, GET|POST /dashboard/login (the sign-in page with sign-in on, else the token form),
// POST /dashboard/signout, GET|POST /dashboard/signout-everywhere (a page that says what ends, and
// the POST that ends every session of the signed-in person); and its JSON API and CSV export under /api/v1/. Registered when
// CXOS_DASHBOARD_TOKEN is set or sign-in is configured; every answer but the login and sign-in
// pages and the assets needs the token or a session (dashboard_auth.hpp).
#include "bot/core/live_config.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/command_service.hpp"
#include "bot/web/dashboard_auth.hpp"

namespace cxos::bot {

class dashboard_endpoint final : public endpoint {
  public:
    dashboard_endpoint(const dashboard_auth& auth, const live_config& config) : auth_(auth), config_(config) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    http_response signin_page(unsigned status, const std::string& message) const;
    boost::asio::awaitable<http_response> confirm_signout_everywhere(http_request& req);
    boost::asio::awaitable<http_response> signout_everywhere(http_request& req);
    const dashboard_auth& auth_;
    const live_config& config_; // public_url: the dashboard's own origin
};

class kpi_api_endpoint final : public endpoint {
  public:
    kpi_api_endpoint(const dashboard_auth& auth, service_deps deps) : auth_(auth), deps_(std::move(deps)) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;
    // The API answers in JSON, a busy store too.
    http_response unavailable(const service_failure& f) override;

  private:
    const dashboard_auth& auth_;
    service_deps deps_;
};

} // namespace cxos::bot
