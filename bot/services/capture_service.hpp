#pragma once
// Capture, for every platform: a report becomes a signal on an item, its owner's post and the
// reporter's acknowledgement, committed together. Platform edges decode who and where; this
// decides and stores.
#include "bot/services/intake.hpp"
#include "bot/services/membership.hpp"
#include "bot/services/service_deps.hpp"
#include "commands/forms.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxos::bot {

class capture_service {
  public:
    explicit capture_service(service_deps deps) : d_(std::move(deps)) {}

    // Logs `s`; the acknowledgement to show the reporter, committed with it.
    // (Coroutines here take no defaulted or temporary arguments: GCC 12 may destroy a temporary
    // inside a co_await expression twice.)
    boost::asio::awaitable<neutral_message> log(signal s, const std::vector<std::string>& unknown_tags);

    // Logs `s` unless `event_key` was seen before (a platform redelivering one activity); with
    // `reply`, the acknowledgement is queued there (a reply in the reporter's thread) in the same
    // commit. Nothing when the key was seen: the first delivery already did all of it.
    boost::asio::awaitable<std::optional<neutral_message>> log_once(const signal& s, const std::string& event_key,
                                                                    const std::vector<std::string>& unknown_tags,
                                                                    const std::optional<delivery>& reply);

    // A submitted capture form (a modal, a message action's task module), logged for `reporter`
    // whose source the edge filled in; `fallback_link` is the captured message's link when the
    // form names none. The form's errors when it cannot be logged; nothing when `event_key`
    // (may be empty) was logged before.
    using form_result = std::variant<neutral_message, form_errors, std::monostate>;
    boost::asio::awaitable<form_result> log_form(const capture_request& req, source_ref reporter,
                                                 const std::string& fallback_link, const std::string& event_key);

    // Signals another tool sent (already verified and validated), stored as one commit: a
    // (source, external id) stored before answers with the original signal and stores nothing.
    struct ingested {
        signal sig;
        bool duplicate = false;
    };
    boost::asio::awaitable<std::vector<ingested>> ingest(const std::vector<signal>& signals);

    // A reporter's answer to grouping (regroup.hpp), from a button on the acknowledgement or typed:
    // what to tell them. `reply_channel` is set to where the report was made, for an edge whose
    // click came from nowhere in particular (a Slack modal).
    struct regrouped {
        neutral_message answer;
        std::string reply_channel;
    };
    boost::asio::awaitable<regrouped> regroup(const regroup_choice& choice, const actor& who);

    // Queues `m` in `row` (a thread reply, an ephemeral) unless `event_key` (may be empty) was
    // seen before, and rings the outbox.
    boost::asio::awaitable<void> say(const delivery& row, const neutral_message& m, const std::string& event_key);

  private:
    // How people on the report's platform call cxos, for the acknowledgement's typed choices.
    std::string invoked_as(const signal& s, const app_config& config) const;

    service_deps d_;
};

} // namespace cxos::bot
