#pragma once
// The `/friction` grammar's commands, for every platform: help, logging (with its questions
// first), status, +1, stats, the dashboard link and the council. An edge decodes the text and who
// typed it, calls run, and renders the reply its own way.
#include "bot/services/capture_service.hpp"
#include "bot/services/council_service.hpp"
#include "bot/services/membership.hpp"
#include "bot/services/service_deps.hpp"
#include "commands/grammar.hpp"
#include "commands/kpis.hpp"
#include "commands/outcomes.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxos::bot {

// What a command answers: a message, or a form to open (in Slack, a modal needing the trigger).
struct command_reply {
    neutral_message message;
    std::optional<neutral_form> form;
};

// The KPI report and the outcomes of the fixes for `f`, computed on the storage thread; with
// `with_signals`, the signal rows too.
struct kpi_figures {
    kpi_report report;
    outcome_report outcomes;
    std::vector<kpi_signal> signals;
};
boost::asio::awaitable<kpi_figures> read_kpis(const service_deps& d, kpi_filter f, bool with_signals = false);

// One item's thread, fix check and cost, as `/friction status` and the dashboard's item page
// show them; read on the storage thread.
item_outcome outcome_of_item(storage::store& st, const item& it, const app_config& config, millis now);

class command_service {
  public:
    // `dashboard_on`: CXOS_DASHBOARD_TOKEN is set, so the dashboard answers.
    command_service(service_deps deps, capture_service& capture, council_service& council, bool dashboard_on)
        : d_(std::move(deps)), capture_(capture), council_(council), dashboard_on_(dashboard_on) {}

    // Runs `cmd` for the person `from` (who typed it, where); `invoked_as` is how the platform
    // calls cxos ("/friction", "@cxos"), for answers that name commands.
    boost::asio::awaitable<command_reply> run(const command& cmd, const source_ref& from, std::string_view invoked_as,
                                              membership& members);
    // What a person chose on a "Did you mean…?" prompt (confirm_actions), run as they asked.
    boost::asio::awaitable<command_reply> confirm(std::string_view action_id, const std::string& value,
                                                  const source_ref& from, std::string_view invoked_as,
                                                  membership& members);
    // The command a prompt's button stands for: the text to log, or the suggestion to run.
    command command_of_choice(std::string_view action_id, const std::string& value) const;
    // A "Did you mean…?" prompt is answered once (its buttons stay on screen, and a second click
    // would log or run it again): `prompt` names it on its platform (its message; empty: cannot
    // tell, always first). Runs `choose` for the first choice and says true; a later one is not
    // run. A choice that throws, or that says it is not done yet (it opened a form, which may be
    // closed unsent), leaves the prompt open to another.
    boost::asio::awaitable<bool> choose_once(const std::string& prompt,
                                             const std::function<boost::asio::awaitable<bool>()>& choose);
    // What a later click on an answered prompt is told.
    static neutral_message choice_already_made();
    // What a reporter chose on their acknowledgement's grouping buttons (grouping_actions): the
    // answer, and where the report was made (for a click that came from no channel).
    boost::asio::awaitable<capture_service::regrouped> choose_grouping(std::string_view action_id,
                                                                      const std::string& value, const source_ref& from);

  private:
    neutral_message dashboard_link() const;
    boost::asio::awaitable<neutral_message> stats_reply(const stats_command& stats);

    service_deps d_;
    capture_service& capture_;
    council_service& council_;
    bool dashboard_on_;
};

// The actor a typed command comes from.
actor actor_of(const source_ref& from);

} // namespace cxos::bot
