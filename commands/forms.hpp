#pragma once
// The dialogs cxos opens, and the validation of what comes back: the capture form (log a
// signal, optionally from an existing message) and the triage forms (won't fix, fixed,
// duplicate). Platform-neutral: the adapter renders and decodes them.
#include "commands/grammar.hpp"
#include "commands/items.hpp"
#include "commands/message.hpp"

#include <variant>

namespace cxos {

namespace form_ids {
inline constexpr std::string_view capture = "capture";
inline constexpr std::string_view wont_fix = "triage.wont_fix";
inline constexpr std::string_view fixed = "triage.fixed";
inline constexpr std::string_view duplicate = "triage.duplicate";
} // namespace form_ids

// Where a captured message came from; carried through the form's state.
struct capture_context {
    std::string channel_id;
    std::string message_ts;
    std::string thread_ts;
    std::string permalink;
    std::string text; // pre-fills the description
};

neutral_form capture_form(const journey_config& journey, const capture_context& from);

// A valid capture: the signal's words and tags plus where it came from.
struct capture_request {
    log_command log;
    std::string customer;
    std::string link;
    capture_context from;
};

std::variant<capture_request, form_errors> read_capture(const form_submission& s,
                                                        const journey_config& journey);

// The form behind a triage button that needs words; nothing for verbs that need none.
std::optional<neutral_form> triage_form(triage_verb verb, const item& it);
// The triage form a submission came from, rebuilt to show its errors again (an unknown form id
// gets the won't-fix form, whose one required input says what is missing).
neutral_form triage_form_of(const form_submission& s);

// A valid triage submission: the item and the action (actor is filled in by the caller).
struct triage_request {
    std::int64_t item_id = 0;
    triage_action action;
};

std::variant<triage_request, form_errors> read_triage(const form_submission& s);

} // namespace cxos
