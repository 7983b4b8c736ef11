#pragma once
// Request dispatch: one table from path to endpoint; each endpoint verifies, decodes through its
// adapter, runs a handler, commits, and lets the adapter render the answer.
#include "adapters/slack/signature.hpp"
#include "bot/config.hpp"
#include "bot/http_server.hpp"
#include "bot/outbox_worker.hpp"
#include "commands/grammar.hpp"
#include "commands/message.hpp"
#include "storage/commit_queue.hpp"

#include <functional>

namespace cxos::bot {

struct app_services {
    const app_config& config;
    storage::commit_queue& queue;
    const slack::slack_signature_verifier& slack_verifier;
    outbox_worker& outbox;
    std::function<millis()> clock;
};

class app {
  public:
    explicit app(app_services services) : s_(services) {}

    boost::asio::awaitable<http_response> handle(http_request& req);

  private:
    boost::asio::awaitable<http_response> health();
    boost::asio::awaitable<http_response> slack_events(http_request& req);
    // Runs one parsed command for a reporter and says what to answer.
    boost::asio::awaitable<neutral_message> run_command(const command& cmd, const source_ref& from,
                                                        std::string_view invoked_as);

    app_services s_;
};

} // namespace cxos::bot
