#pragma once
// Everything cxos says to Slack's Web API goes through here, on the shared HTTP client:
// outbox deliveries (posts, thread replies, updates, ephemerals) and the few calls that must
// answer a user within Slack's 3 seconds (opening a modal, permalinks, membership).
#include "adapters/slack/web_api.hpp"
#include "bot/server/http_client.hpp"
#include "bot/slack/slack_workspaces.hpp"
#include "commands/domain.hpp"
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <set>

namespace cxos::bot {

struct send_result {
    slack::post_result post; // maybe_posted also covers a request written with no answer back
};

// A Web API answer: `error` empty and `body` the JSON when ok:true.
struct api_answer {
    std::string error;
    nlohmann::json body;
};

// Every call names the workspace it concerns (a team id, the request's or the row's; empty: the
// default workspace) and goes out with that workspace's token (slack_workspaces.hpp).
class slack_sender {
  public:
    // `hooks`: the origin a click's response_url must be on to be answered through
    // (slack.hooks_url); other URLs are never called.
    slack_sender(http_client& client, endpoint_url api, slack_workspaces& tokens, endpoint_url hooks);

    // Whether a click's answer may go to this response_url rather than chat.postEphemeral.
    bool answers_through(const std::string& response_url) const;

    // Sends one outbox row (with the token of d.workspace); `parent_ts` is the message an
    // item_update edits. An ephemeral with a reply_url goes there first, and by
    // chat.postEphemeral when that URL is spent.
    boost::asio::awaitable<send_result> deliver(const delivery& d, const neutral_message& m,
                                                const std::string& parent_ts);
    // After a crash or a lost answer: did Slack post this delivery after all?
    boost::asio::awaitable<slack::lookup_result> find_posted(const delivery& d);

    boost::asio::awaitable<api_answer> open_view(const std::string& workspace, const std::string& trigger_id,
                                                 const neutral_form& form);
    // Empty when Slack does not name it within `timeout`.
    boost::asio::awaitable<std::string> permalink(const std::string& workspace, const std::string& channel,
                                                  const std::string& ts,
                                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2500));
    boost::asio::awaitable<std::optional<slack::fetched_message>>
    fetch_message(const std::string& workspace, const std::string& channel, const std::string& ts);
    // `auth.test`: whether Slack accepts SLACK_BOT_TOKEN (an empty error when it does, or when
    // there is none: installations' tokens are checked by their own posts).
    boost::asio::awaitable<api_answer> check_token();
    // Channel members, cached for a minute: the owner role is channel membership.
    boost::asio::awaitable<api_answer> is_member(const std::string& workspace, const std::string& channel,
                                                 const std::string& user);
    slack_workspaces& workspaces() { return tokens_; }

  private:
    static constexpr int max_history_pages = 10;   // read by one check of an in-doubt post
    static constexpr int max_history_checks = 3;   // checks that read on before it is posted again
    // The longest a post can have taken after its attempt began: an outbound request's timeout.
    static constexpr std::int64_t history_margin_seconds = 30;
    boost::asio::awaitable<slack::lookup_result> read_history(const delivery& d, const std::string& token);
    // Sent through d.reply_url; dead when that URL is spent or not one cxos answers through.
    boost::asio::awaitable<send_result> reply(const delivery& d, const neutral_message& m);
    // Sent through the Web API with the workspace's token.
    boost::asio::awaitable<send_result> deliver_by_api(const delivery& d, const neutral_message& m,
                                                       const std::string& parent_ts);
    boost::asio::awaitable<api_answer> call(const std::string& token, const std::string& method,
                                            const nlohmann::json& body);
    boost::asio::awaitable<api_answer> get(const std::string& token, const std::string& method,
                                           const std::string& query,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds(2500));

    // An in-doubt post's lookup whose ten pages did not reach the attempt: Slack's cursor, where
    // the next check reads on (a flood after the post need not make it post twice), and the
    // checks so far. In memory: after a restart a lookup starts from the newest message again.
    struct unread_history {
        millis attempt = 0; // the row's updated_at the window was taken from: another attempt reads anew
        std::string cursor;
        int checks = 0;
    };
    std::map<std::int64_t, unread_history> unread_; // by delivery id
    // Slack sends vote reactions only from channels cxos is in, and chat:write.public posts
    // without joining: a council channel is joined before an agenda's first item is posted, once
    // an agenda (someone may have removed cxos since the last one).
    boost::asio::awaitable<void> join_council_channel(const delivery& item, const std::string& token);
    // workspace:channel → the agenda (its parent post's delivery id) it was joined, refused or
    // is being joined for.
    std::map<std::string, std::int64_t> joined_;

    http_client& client_;
    endpoint_url api_;
    endpoint_url hooks_;
    slack_workspaces& tokens_;
    struct member_list {
        std::set<std::string> users;
        std::chrono::steady_clock::time_point fetched;
    };
    std::map<std::string, member_list> members_; // by workspace and channel
};

} // namespace cxos::bot
