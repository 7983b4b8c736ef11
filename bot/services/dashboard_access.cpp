#include "bot/services/dashboard_access.hpp"

#include <set>

namespace cxos::bot {

std::vector<dashboard_channel> dashboard_access::channels() const {
    if (!config_.dashboard.allowed_channels.empty()) return config_.dashboard.allowed_channels;
    std::vector<dashboard_channel> out;
    std::set<std::string> seen;
    auto add = [&](const std::string& platform, const std::string& workspace, const std::string& channel) {
        if (!channel.empty() && seen.insert(platform + "|" + workspace + "|" + channel).second)
            out.push_back({platform, workspace, channel});
    };
    add("slack", config_.council.slack_workspace, config_.council.slack_channel);
    add("teams", "", config_.council.teams_channel);
    for (const auto& [name, o] : config_.journey.owners) {
        add("slack", o.slack_workspace, o.slack_channel);
        add("teams", "", o.teams_channel);
    }
    return out;
}

std::string dashboard_access::channels_text() const {
    std::string text;
    for (const auto& c : channels())
        text += (text.empty() ? "" : ", ") + (c.workspace.empty() ? c.channel : c.workspace + ":" + c.channel);
    return text;
}

boost::asio::awaitable<dashboard_verdict> dashboard_access::may_see(const actor& who) {
    const auto key = who.platform + "|" + who.team_id + "|" + who.user_id;
    const millis now = clock_();
    if (auto it = remembered_.find(key); it != remembered_.end() && it->second.until > now)
        co_return dashboard_verdict{it->second.allowed, ""};
    auto port = by_platform_.find(who.platform);
    if (port == by_platform_.end() || !port->second) co_return dashboard_verdict{false, ""};
    std::string error;
    bool allowed = false;
    for (const auto& c : channels()) {
        // A qualified channel admits only people of its own workspace.
        if (c.platform != who.platform || (!c.workspace.empty() && c.workspace != who.team_id)) continue;
        const std::string channel = c.channel;
        auto answer = co_await port->second->is_member(who, channel);
        if (answer.member) {
            allowed = true;
            break;
        }
        if (!answer.error.empty()) error = answer.error;
    }
    // An unanswered question is not remembered: the next request asks again.
    if (allowed || error.empty()) remembered_[key] = remembered{allowed, now + remembered_for};
    co_return dashboard_verdict{allowed, allowed ? "" : error};
}

} // namespace cxos::bot
