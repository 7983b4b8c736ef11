#pragma once
// Who may see the dashboard once signed in: a member of one of `dashboard.allowed_channels` or,
// none named, of the council's or an owner's channel (the people the figures are about and
// for). Asked through the membership port of the person's platform, and remembered for a few
// minutes so reading the dashboard does not ask Slack on every request.
#include "bot/core/config.hpp"
#include "bot/core/clock.hpp"
#include "bot/services/membership.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cxos::bot {

struct dashboard_verdict {
    bool allowed = false;
    std::string error; // the platform did not answer: nothing could be decided
};

class dashboard_access {
  public:
    static constexpr millis remembered_for = 5 * 60 * 1000;

    dashboard_access(const app_config& config, std::map<std::string, membership*> by_platform,
                     std::function<millis()> clock)
        : config_(config), by_platform_(std::move(by_platform)), clock_(std::move(clock)) {}

    boost::asio::awaitable<dashboard_verdict> may_see(const actor& who);
    // The channels that admit people, as configured or by default.
    std::vector<dashboard_channel> channels() const;
    // How the allow-list reads on the refusal page: "C0COUNCIL, T0ACME001:C0BILLING".
    std::string channels_text() const;

  private:
    struct remembered {
        bool allowed = false;
        millis until = 0;
    };
    const app_config& config_;
    std::map<std::string, membership*> by_platform_;
    std::function<millis()> clock_;
    std::map<std::string, remembered> remembered_; // by platform, team and user; io thread only
};

} // namespace cxos::bot
