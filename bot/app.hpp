#pragma once
// Request dispatch: one table from path to endpoint; each endpoint verifies, decodes through its
// adapter, runs a handler, commits, and lets the adapter render the answer.
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/signature.hpp"
#include "adapters/teams/activity.hpp"
#include "adapters/ingest/signature.hpp"
#include "adapters/teams/webhook.hpp"
#include "bot/config.hpp"
#include "bot/dashboard_auth.hpp"
#include "bot/http_server.hpp"
#include "bot/outbox_worker.hpp"
#include "bot/teams_connector.hpp"
#include "commands/grammar.hpp"
#include "commands/forms.hpp"
#include "commands/items.hpp"
#include "commands/kpis.hpp"
#include "commands/message.hpp"
#include "storage/commit_queue.hpp"

#include <functional>
#include <map>

#include <nlohmann/json.hpp>

namespace cxos::bot {

// A 200 JSON answer; text that is not valid UTF-8 is replaced rather than thrown on.
http_response json_answer(const nlohmann::json& body);

struct app_services {
    const app_config& config;
    storage::commit_queue& queue;
    // Null when Slack is not configured (a Teams-only deployment): /slack/events is off.
    const slack::slack_signature_verifier* slack_verifier;
    outbox_worker& outbox;
    slack_sender& slack;
    std::function<millis()> clock;
    std::function<void()> inbox_ready; // an event was queued for after-ack processing
    // Teams outgoing-webhook mode: null unless TEAMS_WEBHOOK_SECRET is set.
    const teams::outgoing_webhook_verifier* teams_webhook = nullptr;
    // The Bot Framework (POST /api/messages): null unless MICROSOFT_APP_ID is set.
    teams_connector* teams = nullptr;
    // Set only under `cxos serve --test-clock`: moves the clock (POST /_test/clock).
    std::function<void(millis)> set_test_clock;
    // CXOS_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>`.
    std::string metrics_token;
    // POST /ingest/v1/signals: null when no `sources:` are configured (then it answers 404).
    const ingest::ingest_signature_verifier* ingest = nullptr;
    // The KPI dashboard and its JSON API: null (all of it answers 404) unless CXOS_DASHBOARD_TOKEN is set.
    const dashboard_auth* dashboard = nullptr;
    // Platforms whose posts wait for a working token (the outbox holds them): health and acks say so.
    const delivery_holds& holds;
};

// What a command answers: a message, or a form to open (in Slack, a modal needing the trigger).
struct command_reply {
    neutral_message message;
    std::optional<neutral_form> form;
};

struct triage_check {
    std::string refusal;
    std::optional<item> it;
};

class app {
  public:
    explicit app(app_services services) : s_(services) {}

    boost::asio::awaitable<http_response> handle(http_request& req);
    // What to answer a verified, decoded Slack request: POST /slack/events and Socket Mode both
    // end here (slack_endpoint.cpp). `retry_attempt` is Slack's redelivery count for an event.
    boost::asio::awaitable<http_response> slack_request(slack::inbound decoded, int retry_attempt);

  private:
    boost::asio::awaitable<http_response> dispatch(http_request& req);
    boost::asio::awaitable<http_response> health();
    boost::asio::awaitable<http_response> metrics_scrape(http_request& req);       // metrics_endpoint.cpp
    boost::asio::awaitable<http_response> ingest_signals(http_request& req);       // ingest_endpoint.cpp
    boost::asio::awaitable<http_response> slack_events(http_request& req);
    boost::asio::awaitable<http_response> slack_interaction(const nlohmann::json& payload);
    boost::asio::awaitable<http_response> slack_event(const nlohmann::json& envelope);
    // Runs one parsed command for a reporter and says what to answer.
    boost::asio::awaitable<command_reply> run_command(const command& cmd, const source_ref& from,
                                                      std::string_view invoked_as);
    // Checks that `user` may triage `item_id`: acting in its owner's channel (when `channel` is
    // given) and a member of it (when asked). `refusal` is empty when allowed.
    // Applies a triage action the caller authorised, in one commit, and wakes the outbox.
    boost::asio::awaitable<triage_outcome> commit_triage(std::int64_t item_id, const triage_action& a);
    boost::asio::awaitable<triage_check> check_triage(std::int64_t item_id, const std::string& user,
                                                      const std::string& channel, bool check_membership);
    boost::asio::awaitable<http_response> test_clock(http_request& req);
    boost::asio::awaitable<http_response> teams_webhook(http_request& req);
    // Microsoft Teams over the Bot Framework (teams_endpoint.cpp, teams_actions.cpp).
    boost::asio::awaitable<http_response> teams_messages(http_request& req);
    boost::asio::awaitable<http_response> teams_message(const teams::inbound_activity& a);
    boost::asio::awaitable<http_response> teams_card_click(const teams::inbound_activity& a);
    boost::asio::awaitable<http_response> teams_task(const teams::inbound_activity& a);
    boost::asio::awaitable<http_response> teams_message_action(const teams::inbound_activity& a);
    boost::asio::awaitable<http_response> teams_decide(const teams::inbound_activity& a, const form_submission& submitted);
    // Queues a reply in the conversation (thread) of `a`; `event_key` makes a redelivery a no-op.
    boost::asio::awaitable<void> teams_reply(const teams::inbound_activity& a, const neutral_message& m);
    // Why this person may not triage the item from this Teams channel; empty when they may.
    boost::asio::awaitable<triage_check> teams_triage_check(std::int64_t item_id, const teams::inbound_activity& a);
    // The Experience Council (app_council.cpp). council_refusal is empty for a council member.
    boost::asio::awaitable<std::string> council_refusal(const std::string& user);
    boost::asio::awaitable<command_reply> council_reply(const council_command& cmd, const source_ref& from);
    boost::asio::awaitable<http_response> council_click(const slack::block_action& click);
    boost::asio::awaitable<http_response> council_decide(const slack::view_submitted& submitted);
    // Records a council member's vote, refreshes every card of the item, wakes the outbox; the
    // number of refreshes queued.
    boost::asio::awaitable<std::size_t> commit_vote(const vote& v);
    // Records a council decision the caller authorised, in one commit, and wakes the outbox.
    boost::asio::awaitable<decision_outcome> commit_decision(const decision_request& req, const std::string& actor);
    // True when the reaction is a council vote (then it was queued for the inbox).
    boost::asio::awaitable<bool> queue_vote_reaction(const slack::reaction_event& r);
    // Stores an event for the inbox worker unless `key` was seen before; true when it is new.
    boost::asio::awaitable<bool> queue_event(storage::inbox_row row, std::string key);
    boost::asio::awaitable<void> tell(const std::string& channel, const std::string& user, const neutral_message& m);
    // KPIs (app.cpp) and the dashboard, its JSON API and CSV export (dashboard_endpoint.cpp).
    // The report for `f`; with `with_signals`, also the signal rows it was computed from (CSV).
    boost::asio::awaitable<std::pair<kpi_report, std::vector<kpi_signal>>> read_kpis(kpi_filter f, bool with_signals = false);
    neutral_message render_dashboard_link() const;
    boost::asio::awaitable<http_response> dashboard_route(http_request& req, std::string_view path);
    // Logs a signal through intake and tells the outbox; the ack to show the reporter.
    boost::asio::awaitable<neutral_message> log_signal(const signal& s);

    app_services s_;
    std::map<std::string, std::string> teams_routes_; // conversation → serviceUrl already stored
};

} // namespace cxos::bot
