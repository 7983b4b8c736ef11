// The Experience Council in Slack: vote and Decide… buttons on agenda replies, and the Events API
// (vote reactions and flag reactions), stored for the inbox worker before Slack's 200.
#include "adapters/slack/interactions.hpp"
#include "bot/core/log.hpp"
#include "bot/slack/slack_endpoint.hpp"
#include "commands/council.hpp"
#include "commands/json_text.hpp"

#include <algorithm>

namespace cxos::bot {

namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

boost::asio::awaitable<http_response> slack_requests::council_click(const slack::block_action& click) {
    const auto config = deps_.config.get();
    const std::int64_t item_id = parse_id(click.value).value_or(0);
    if (click.action_id == council_action_ids::decide) {
        // The modal must open within Slack's 3 seconds: membership is checked on submit.
        auto form = co_await council_.decide_form_for(item_id);
        if (!form) co_return text_response(200, "");
        auto opened = co_await slack_.open_view(click.by.team_id, click.trigger_id, *form);
        if (!opened.error.empty()) {
            const auto why = form_not_opened(opened.error, "press Decide again.");
            co_await answer(click, why);
        }
        co_return text_response(200, "");
    }
    const bool up = click.action_id == council_action_ids::prioritise;
    const auto who = actor_of(click.by, click.channel_id);
    auto refused = co_await council_.vote(who, item_id, up, members_);
    if (refused) {
        const auto why = error_note("Not counted", refused->text);
        co_await answer(click, why, config->council.slack_channel);
    }
    co_return text_response(200, "");
}

boost::asio::awaitable<http_response> slack_requests::event(const nlohmann::json& envelope) {
    const auto config = deps_.config.get();
    // Reactions are acknowledged at once and worked on from the store (reading the message needs
    // Web API calls that may not fit Slack's 3 seconds).
    if (auto lifecycle = slack::decode_app_lifecycle(envelope)) {
        co_await app_lifecycle(*lifecycle);
        co_return text_response(200, "");
    }
    auto reaction = slack::decode_reaction(envelope);
    // Acknowledged; nothing cxos acts on (its own reactions are neither flags nor votes).
    if (!reaction || reaction->by_the_app) co_return text_response(200, "");
    const auto& council = config->council;
    const int vote = reaction->channel_id != council.slack_channel || council.slack_channel.empty() ? 0
                     : listed(council.prioritise_reactions, reaction->reaction)                   ? 1
                     : listed(council.not_now_reactions, reaction->reaction)                      ? -1
                                                                                                  : 0;
    const bool flag = vote == 0 && reaction->added && reaction->reaction == config->capture_reaction;
    if (vote == 0 && !flag) co_return text_response(200, "");
    storage::inbox_row row;
    row.platform = "slack";
    row.kind = vote ? "slack.vote" : "slack.reaction";
    row.payload = vote ? json_text({{"team", reaction->team_id}, {"user", reaction->user_id}, {"channel", reaction->channel_id},
                                    {"ts", reaction->message_ts}, {"value", vote}, {"added", reaction->added}})
                       : json_text({{"team", reaction->team_id}, {"user", reaction->user_id},
                                    {"channel", reaction->channel_id}, {"ts", reaction->message_ts}});
    // Without an event id (never from Slack, but cheap to survive) the reaction itself is the key.
    const std::string fallback = reaction->channel_id + ":" + reaction->message_ts + ":" + reaction->user_id +
                                 (vote ? std::string(":") + (reaction->added ? "+" : "-") + reaction->reaction : "");
    auto key = "slack:" + (reaction->event_id.empty() ? fallback : reaction->event_id);
    co_await queue_event(std::move(row), std::move(key));
    co_return text_response(200, "");
}

boost::asio::awaitable<void> slack_requests::app_lifecycle(const slack::app_lifecycle_event& e) {
    // Slack sends these once the token no longer works: it is forgotten at once (a retried event
    // finds nothing left to forget).
    auto& workspaces = slack_.workspaces();
    const int gone = co_await workspaces.forget(e);
    const auto& where = e.team_id.empty() ? e.enterprise_id : e.team_id;
    if (gone == 0 && e.uninstalled && workspaces.has_default_token())
        log_error("cxos was uninstalled from a Slack workspace; SLACK_BOT_TOKEN no longer works if it was that "
                  "workspace's", {{"workspace", where}, {"hint", "reinstall the app and set the new token"}});
    else if (gone == 0)
        log_info("Slack ended an installation cxos did not hold", {{"workspace", where}});
}

} // namespace cxos::bot
