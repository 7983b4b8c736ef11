#pragma once
// POST /slack/events: the one Request URL for slash commands, interactivity and the Events API.
// Verifies the signature on the raw bytes, decodes through adapters/slack, and hands the typed
// request to the neutral services; Slack's answers are rendered here.
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/signature.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/command_service.hpp"
#include "bot/services/triage_service.hpp"
#include "bot/slack/slack_membership.hpp"

#include <functional>

namespace cxos::bot {

class slack_endpoint final : public endpoint {
  public:
    slack_endpoint(const app_config& config, const slack::slack_signature_verifier& verifier, slack_sender& slack,
                   service_deps deps, command_service& commands, capture_service& capture, triage_service& triage,
                   council_service& council, std::function<void()> inbox_ready)
        : config_(config), verifier_(verifier), slack_(slack), deps_(std::move(deps)), commands_(commands),
          capture_(capture), triage_(triage), council_(council), inbox_ready_(std::move(inbox_ready)), members_(slack) {}

    boost::asio::awaitable<http_response> handle(http_request& req) override;
    // A request already verified and decoded (by handle, or by another transport such as Socket
    // Mode): the one path from a Slack request to its answer.
    boost::asio::awaitable<http_response> handle_inbound(const slack::inbound& in);

  private:
    boost::asio::awaitable<http_response> slash(const slack::slash_command& cmd);
    boost::asio::awaitable<http_response> interaction(const nlohmann::json& payload);   // slack_interactions.cpp
    boost::asio::awaitable<http_response> click(const slack::block_action& click);      // slack_interactions.cpp
    boost::asio::awaitable<http_response> submitted(const slack::view_submitted& s);    // slack_interactions.cpp
    boost::asio::awaitable<http_response> council_click(const slack::block_action& click); // slack_council.cpp
    boost::asio::awaitable<http_response> event(const nlohmann::json& envelope);        // slack_council.cpp
    // Stores an event for the inbox worker unless `key` was seen before; true when it is new.
    boost::asio::awaitable<bool> queue_event(storage::inbox_row row, std::string key);
    // An ephemeral note to `user` in `channel`, through the outbox.
    boost::asio::awaitable<void> tell(const std::string& channel, const std::string& user, const neutral_message& m);

    const app_config& config_;
    const slack::slack_signature_verifier& verifier_;
    slack_sender& slack_;
    service_deps deps_;
    command_service& commands_;
    capture_service& capture_;
    triage_service& triage_;
    council_service& council_;
    std::function<void()> inbox_ready_;
    slack_membership members_;
};

// Who acted in Slack, for the services.
actor actor_of(const slack::actor& by, const std::string& channel);

} // namespace cxos::bot
