#pragma once
// Request dispatch: one table from path to endpoint; each endpoint verifies, decodes through its
// adapter, runs a handler, commits, and lets the adapter render the answer.
#include "adapters/slack/signature.hpp"
#include "bot/config.hpp"
#include "bot/http_server.hpp"
#include "bot/outbox_worker.hpp"
#include "commands/grammar.hpp"
#include "commands/forms.hpp"
#include "commands/message.hpp"
#include "storage/commit_queue.hpp"

#include <functional>

#include <nlohmann/json.hpp>

namespace cxos::bot {

struct app_services {
    const app_config& config;
    storage::commit_queue& queue;
    const slack::slack_signature_verifier& slack_verifier;
    outbox_worker& outbox;
    slack_sender& slack;
    std::function<millis()> clock;
    std::function<void()> inbox_ready; // an event was queued for after-ack processing
};

// What a command answers: a message, or a form to open (in Slack, a modal needing the trigger).
struct command_reply {
    neutral_message message;
    std::optional<neutral_form> form;
};

class app {
  public:
    explicit app(app_services services) : s_(services) {}

    boost::asio::awaitable<http_response> handle(http_request& req);

  private:
    boost::asio::awaitable<http_response> health();
    boost::asio::awaitable<http_response> slack_events(http_request& req);
    boost::asio::awaitable<http_response> slack_interaction(const nlohmann::json& payload);
    boost::asio::awaitable<http_response> slack_event(const nlohmann::json& envelope);
    // Runs one parsed command for a reporter and says what to answer.
    boost::asio::awaitable<command_reply> run_command(const command& cmd, const source_ref& from,
                                                      std::string_view invoked_as);
    // Checks that `user` may triage `item_id`: a member of its owner's channel, acting there.
    // Returns the refusal to show, empty when allowed.
    boost::asio::awaitable<std::string> triage_refusal(std::int64_t item_id, const std::string& user,
                                                       const std::string& channel);
    boost::asio::awaitable<void> tell(const std::string& channel, const std::string& user, const neutral_message& m);
    // Logs a signal through intake and tells the outbox; the ack to show the reporter.
    boost::asio::awaitable<neutral_message> log_signal(const signal& s);

    app_services s_;
};

} // namespace cxos::bot
