#pragma once
// POST /api/messages: Microsoft Teams over the Bot Framework. The JWT is checked before anything
// else is believed; the activity is decoded by adapters/teams and runs through the same services
// as Slack. Replies leave through the outbox (Teams answers message activities with a bare 200);
// invokes are answered in the HTTP response body, as Teams requires.
#include "adapters/teams/activity.hpp"
#include "bot/server/endpoint.hpp"
#include "bot/services/command_service.hpp"
#include "bot/services/triage_service.hpp"
#include "bot/teams/teams_connector.hpp"
#include "bot/teams/teams_membership.hpp"

#include <map>
#include <set>

namespace cxos::bot {

// What a card button's click answers: a note, or the refreshed card (Action.Execute shows it in
// place; the outbox refreshes it for everyone).
struct card_answer {
    std::string note;
    std::optional<neutral_message> card;
    // The fallback's note is a reply in the thread, seen by everyone there: false when the thread
    // has the answer already, or when it is the clicker's alone (how they voted).
    bool said_in_thread = true;
};
// The adaptiveCard/action invoke's response body for it.
http_response card_invoke_response(const card_answer& answer); // teams_actions.cpp

class teams_bot_endpoint final : public endpoint {
  public:
    // `sole_server`: no other instance serves this database (SQLite), so a command remembered
    // as running that runs nowhere here was cut short by this server's crash.
    teams_bot_endpoint(teams_connector& teams, service_deps deps, command_service& commands, capture_service& capture,
                       triage_service& triage, council_service& council, bool sole_server)
        : teams_(teams), deps_(std::move(deps)), commands_(commands), capture_(capture),
          triage_(triage), council_(council), sole_server_(sole_server) {}

    boost::asio::awaitable<http_response> handle(http_request& req) override;

  private:
    boost::asio::awaitable<http_response> message(const teams::inbound_activity& a);
    boost::asio::awaitable<card_answer> card_click(const teams::inbound_activity& a);        // teams_actions.cpp
    // What a "Did you mean…?" prompt's button stands for, run (teams_actions.cpp).
    boost::asio::awaitable<card_answer> confirmed(const teams::inbound_activity& a, const teams::card_click& click);
    boost::asio::awaitable<http_response> task(const teams::inbound_activity& a);            // teams_actions.cpp
    boost::asio::awaitable<http_response> message_action(const teams::inbound_activity& a);  // teams_actions.cpp
    // A reply in the conversation (and thread) of `a`, once: a redelivery of `a` queues nothing.
    boost::asio::awaitable<void> reply(const teams::inbound_activity& a, const neutral_message& m);
    // Logs a report typed in Teams; the ack is a reply in its thread, in the same commit.
    boost::asio::awaitable<void> log(const teams::inbound_activity& a, const log_command& cmd);
    // Remembers where the conversation lives (its serviceUrl): the only way back to it.
    boost::asio::awaitable<void> remember_route(const teams::inbound_activity& a, const std::string& service_url);
    // Whether the command of `a` should run now, remembering that it does (see message()); if so,
    // `run_key` is in running_ until the command has failed or been answered.
    boost::asio::awaitable<bool> claim_run(const teams::inbound_activity& a, const std::string& run_key);
    // Ends a command's hold on PostgreSQL (claim_run); nothing on SQLite. Never throws.
    boost::asio::awaitable<void> release_run(const std::string& run_key);

    teams_connector& teams_;
    service_deps deps_;
    command_service& commands_;
    capture_service& capture_;
    triage_service& triage_;
    council_service& council_;
    teams_membership members_;
    std::map<std::string, std::string> routes_; // conversation → serviceUrl already stored
    bool sole_server_;
    std::set<std::string> running_; // run keys of the commands running here now
};

// Who acted in Teams, for the services: acting in a channel is what membership means there.
actor actor_of(const teams::inbound_activity& a);

} // namespace cxos::bot
