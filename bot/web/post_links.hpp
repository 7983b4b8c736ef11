#pragma once
// Links from the dashboard to an item's posts in Slack and Teams, built from what the outbox
// stored when the post was delivered: no extra API call per item.
#include "commands/kpis.hpp"

#include <string>

namespace cxos::bot {

// Slack: the workspace-independent archive link `https://slack.com/archives/<channel>/p<ts
// without its dot>`, which Slack opens in whichever workspace the reader is signed in to (the
// `https://<workspace>.slack.com/…` form would need chat.getPermalink or the workspace's domain).
// Teams: the deep link `https://teams.microsoft.com/l/message/<channel>/<message id>` with the
// tenant when known and the thread's root as parentMessageId. "" when the post cannot be linked.
std::string post_link(const item_post& post);

} // namespace cxos::bot
