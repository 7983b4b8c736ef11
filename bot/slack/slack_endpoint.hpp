#pragma once
// Slack's requests: slash commands, interactivity and the Events API, decoded by adapters/slack,
// handed to the neutral services, and answered the way Slack expects (rendered here). Two
// transports bring them: POST /slack/events (below) and Socket Mode (slack_socket_mode.hpp).
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/oauth.hpp"
#include "adapters/slack/signature.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/command_service.hpp"
#include "bot/services/triage_service.hpp"
#include "bot/slack/slack_membership.hpp"

#include <functional>

namespace cxos::bot {

// Every Slack request after its transport verified and decoded it (POST /slack/events, or a
// Socket Mode envelope): the one path from a Slack request to its answer.
class slack_requests {
  public:
    slack_requests(slack_sender& slack, service_deps deps, command_service& commands, capture_service& capture,
                   triage_service& triage, council_service& council, std::function<void()> inbox_ready)
        : slack_(slack), deps_(std::move(deps)), commands_(commands), capture_(capture),
          triage_(triage), council_(council), inbox_ready_(std::move(inbox_ready)), members_(slack) {}

    // `retry_attempt`: Slack's redelivery count for an event (0 for the first delivery).
    boost::asio::awaitable<http_response> handle(const slack::inbound& in, int retry_attempt);
    // The same, for a transport without the router (Socket Mode): what the router would map a
    // store failure to (503, so the envelope stays unacknowledged and Slack sends it again).
    boost::asio::awaitable<http_response> handle_without_router(slack::inbound in, int retry_attempt);

  private:
    boost::asio::awaitable<http_response> slash(const slack::slash_command& cmd);
    boost::asio::awaitable<http_response> interaction(const nlohmann::json& payload);   // slack_interactions.cpp
    boost::asio::awaitable<http_response> click(const slack::block_action& click);      // slack_interactions.cpp
    boost::asio::awaitable<http_response> submitted(const slack::view_submitted& s);    // slack_interactions.cpp
    boost::asio::awaitable<http_response> council_click(const slack::block_action& click); // slack_council.cpp
    boost::asio::awaitable<http_response> event(const nlohmann::json& envelope);        // slack_council.cpp
    boost::asio::awaitable<void> app_lifecycle(const slack::app_lifecycle_event& e);    // slack_council.cpp
    // Stores an event for the inbox worker unless `key` was seen before; true when it is new.
    boost::asio::awaitable<bool> queue_event(storage::inbox_row row, std::string key);
    // An ephemeral note to `user` in `channel` of `workspace`, through the outbox: to the
    // interaction's `response_url` when cxos answers through it (slack_sender::answers_through).
    boost::asio::awaitable<void> tell(const std::string& workspace, const std::string& channel, const std::string& user,
                                      const neutral_message& m, const std::string& response_url);
    // The note for whoever clicked, where they clicked; a click in a modal names no channel, so
    // the note goes to `elsewhere` (nowhere when that is empty too). A view, not a string: a
    // defaulted std::string would be a temporary in the co_await (GCC 12 destroys those twice).
    boost::asio::awaitable<void> answer(const slack::block_action& click, const neutral_message& m,
                                        std::string_view elsewhere = {});

    slack_sender& slack_;
    service_deps deps_;
    command_service& commands_;
    capture_service& capture_;
    triage_service& triage_;
    council_service& council_;
    std::function<void()> inbox_ready_;
    slack_membership members_;
};

// POST /slack/events: the one Request URL. Verifies the signature on the raw bytes before
// anything is parsed, decodes, and hands the request to slack_requests.
class slack_http_endpoint final : public endpoint {
  public:
    slack_http_endpoint(const slack::slack_signature_verifier& verifier, slack_requests& requests)
        : verifier_(verifier), requests_(requests) {}
    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    const slack::slack_signature_verifier& verifier_;
    slack_requests& requests_;
};

// What the person hears when Slack would not open a form (views.open's `error`, an expired
// trigger most often), and what to do: `again` says how to ask for it once more.
neutral_message form_not_opened(const std::string& error, std::string_view again);

// Who acted in Slack, for the services.
actor actor_of(const slack::actor& by, const std::string& channel);

} // namespace cxos::bot
