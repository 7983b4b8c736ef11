#pragma once
// Routing suggestions for the CX lead (commands/routing_suggestions.hpp), said once each.
#include "bot/services/intake.hpp"

namespace cxos::bot {

// After a reroute, in its commit: each rule suggestion not yet sent is queued for
// routing.suggestions_channel (a Slack channel id, or a Teams one "19:…") and remembered, so a
// suggestion is said at most once. Nothing when no channel is configured: `stats routing` still
// lists them. The config is never edited.
void suggest_routing_rules_to_lead(storage::store& st, const app_config& config, millis now, queued_channels& queued);

} // namespace cxos::bot
