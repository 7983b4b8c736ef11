#pragma once
// Triage, for every platform: who may act on an item, and what a click or a submitted form does.
// The rules are written once: the item's owner must be configured with a channel on the person's
// platform, they must act there (when they act in a channel) and belong to it (the membership
// port asks the platform). Verbs that need words open a form first; it is checked again on submit.
#include "bot/services/intake.hpp"
#include "bot/services/membership.hpp"
#include "bot/services/refusal.hpp"
#include "bot/services/service_deps.hpp"
#include "commands/forms.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <variant>

namespace cxos::bot {

struct triage_check {
    refusal_if_any refused;
    std::optional<item> it; // the item, when it exists
};

// What a triage button did: refused (why), a form to open, or the change applied (or explained).
struct triage_click_result {
    refusal_if_any refused;
    std::optional<neutral_form> form;
    std::optional<triage_outcome> outcome;
};

class triage_service {
  public:
    explicit triage_service(service_deps deps) : d_(std::move(deps)) {}

    // Why `who` may not triage `item_id` now; `check_membership` is false where a form must open
    // at once (Slack's 3 seconds): membership is then checked when the form comes back.
    boost::asio::awaitable<triage_check> check(std::int64_t item_id, const actor& who, membership& members,
                                               bool check_membership);
    // Applies an authorised action in one commit and rings the outbox.
    boost::asio::awaitable<triage_outcome> apply(std::int64_t item_id, const triage_action& a);

    // A triage button (`action_id`, `value` as the card carries them) pressed by `who`.
    boost::asio::awaitable<triage_click_result> click(triage_verb verb, const std::string& value, const actor& who,
                                                      membership& members);
    // A triage form submitted by `who`: done (nothing), or the errors to show on the form.
    boost::asio::awaitable<std::optional<form_errors>> submit(const form_submission& form, const actor& who,
                                                              membership& members);

  private:
    service_deps d_;
};

} // namespace cxos::bot
