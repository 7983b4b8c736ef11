#include "bot/teams/teams_membership.hpp"

#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"

namespace cxos::bot {

namespace http = boost::beast::http;

boost::asio::awaitable<std::string> teams_roster_membership::service_url_for(const actor& who, const std::string& channel,
                                                                            std::string& error) {
    // The channel's own route, else the person's tenant's latest. An Entra object id belongs to
    // one tenant, so the person can only be in a channel of their own tenant, and one tenant's
    // serviceUrl serves all its teams; the route seen last of any tenant may be another region's
    // (two tenants, two regions) and would refuse a member there, so it is never asked.
    const std::string tenant = who.team_id;
    std::optional<storage::teams_route> route;
    try {
        auto read = store_call(queue_, [channel, tenant](storage::store& st) -> std::optional<storage::teams_route> {
            auto own = st.teams_route_for(channel);
            if (own && own->conversation == channel) return own;
            return st.teams_route_in_tenant(tenant);
        });
        route = co_await std::move(read);
    } catch (const std::exception& e) {
        log_warn("where a Teams channel lives could not be read", {{"channel", channel}, {"error", e.what()}});
        error = "the store did not answer";
        co_return "";
    }
    if (route) co_return connector_.trust_remembered(route->service_url);
    if (config_.proactive_service_url.empty()) {
        error = "cxos has not heard from " + channel + " yet and teams.proactive_service_url is empty";
        co_return "";
    }
    log_info("no serviceUrl known for a Teams channel: asking teams.proactive_service_url",
             {{"channel", channel}, {"service_url", config_.proactive_service_url}});
    co_return config_.proactive_service_url;
}

boost::asio::awaitable<membership_answer> teams_roster_membership::is_member(const actor& who, const std::string& channel) {
    std::string error;
    const std::string service_url = co_await service_url_for(who, channel, error);
    if (service_url.empty()) co_return membership_answer{false, error};
    const std::string path = "/v3/conversations/" + channel + "/members/" + who.user_id;
    const nlohmann::json none;
    auto answer = co_await connector_.call(http::verb::get, service_url, path, none, channel);
    if (answer.outcome == teams::connector_outcome::sent) co_return membership_answer{true, ""};
    if (answer.outcome == teams::connector_outcome::dead) co_return membership_answer{false, ""};
    co_return membership_answer{false, answer.error.empty() ? "the Bot Connector did not answer" : answer.error};
}

} // namespace cxos::bot
