#pragma once
// The Slack targets share one check: whatever `slack::decode` accepts, followed through the bot's
// own decoding (interactions, reactions), has Slack-shaped ids, is UTF-8 and renders.
#include "adapters/slack/inbound.hpp"

namespace cxos::fuzz {

void require_slack_request_renders(const slack::inbound& in);

} // namespace cxos::fuzz
