#pragma once
// The journey map, owners and routing rules: the CX lead's configuration, already validated.
#include "commands/domain.hpp"

#include <map>
#include <string>
#include <vector>

namespace cxos {

struct owner {
    std::string name;
    std::string slack_channel; // channel id, e.g. C0BILLING
    std::string teams_channel; // Teams channel (conversation) id, e.g. 19:abc…@thread.tacv2
    // The Slack workspace (T…, or E… for an org-wide install) the channel lives in, when the
    // config qualified it ("T0123ABCD:C0BILLING"); empty: the default workspace.
    std::string slack_workspace;
    // Where the owner's item cards live: Slack when the owner has a Slack channel, else Teams.
    std::string_view home_platform() const { return slack_channel.empty() ? "teams" : "slack"; }
    const std::string& home_channel() const { return slack_channel.empty() ? teams_channel : slack_channel; }
    // The owner's channel on one platform ("slack", "teams"); empty when it has none there.
    const std::string& channel_on(std::string_view platform) const {
        static const std::string none;
        return platform == "slack" ? slack_channel : platform == "teams" ? teams_channel : none;
    }
};

// One if/then rule; every listed condition must hold, an empty list means "any".
struct routing_rule {
    std::string name;
    std::vector<std::string> keywords; // any of them, case-insensitive, whole words/phrases
    std::vector<std::string> stages;
    std::vector<component> components;
    std::vector<severity> severities;
    std::vector<std::string> source_channels;
    std::string route_to;
    int line = 0; // where the rule stands in the config file, for messages
};

// What happens to an item after it is fixed (config `items`): a fix holds when the report rate
// in the span after it is at most `fix_holds_share` of the rate in the span before it, and a new
// report of it within `regression_window_days` of the fix reopens it as regressed.
struct item_policy {
    double fix_holds_share = 0.2;
    int regression_window_days = 60;
};

struct journey_config {
    std::vector<std::string> stages;
    std::map<std::string, owner> owners;
    std::vector<routing_rule> rules; // evaluated in order, first match wins
    std::string fallback;
    // The top-level `items`, copied here so intake (regressions) and every view of an item see it.
    item_policy items;

    bool has_stage(std::string_view s) const;
    const owner* find_owner(std::string_view name) const;
};

} // namespace cxos
