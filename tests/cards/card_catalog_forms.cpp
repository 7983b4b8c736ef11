// The forms of the catalog: capture (slash command, message action, Teams message extension),
// the triage forms and the council's Decide…, each as it opens and as it comes back with errors.
#include "tests/cards/card_catalog.hpp"

#include "commands/council.hpp"
#include "commands/forms.hpp"
#include "tests/cards/catalog_fixtures.hpp"

namespace cxos::cards {
namespace {

// Every input named in `errors`, plus the whole-form error a refused action shows.
form_errors errors_for(const neutral_form& f, const std::string& message) {
    form_errors errors{{"", message}};
    for (const auto& in : f.inputs) errors[in.id] = message;
    return errors;
}

void add(std::vector<named_form>& out, const std::string& name, const neutral_form& f, const std::string& hostile_error) {
    out.push_back({name, f, {}});
    out.push_back({name + "-errors", f, errors_for(f, "Say why: the reporters will read it.")});
    out.push_back({name + "-hostile_errors", f, errors_for(f, hostile_error)});
}

} // namespace

std::vector<named_form> every_form() {
    const auto journey = ordinary_journey(), hostile = hostile_journey();
    const auto hostile_error = hostile_text(3'000);
    std::vector<named_form> out;

    add(out, "capture", capture_form(journey, {}), hostile_error);
    // The Slack message action and the Teams message extension pre-fill the captured message.
    add(out, "capture-from_message",
        capture_form(journey, {"C0SUPPORT", "1700000000.000100", "1700000000.000001",
                               "https://acme.slack.com/archives/C0SUPPORT/p1700000000000100",
                               "Customer says: the invoice is in USD, not EUR"}),
        hostile_error);
    add(out, "capture-hostile",
        capture_form(hostile, {"19:" + std::string(60, 'c') + "@thread.tacv2", "1700000000000", "",
                               "https://teams.microsoft.com/l/message/" + std::string(1'500, 'p'), hostile_text(40'000)}),
        hostile_error);

    const auto it = ordinary_item(item_status::routed);
    const auto bad = hostile_item(item_status::routed, hostile);
    for (auto verb : {triage_verb::duplicate, triage_verb::wont_fix, triage_verb::fixed}) {
        const auto name = "triage_form-" + std::string(to_string(verb));
        add(out, name, *triage_form(verb, it), hostile_error);
        add(out, name + "-hostile", *triage_form(verb, bad), hostile_error);
    }
    // A submission whose form id is unknown is shown the won't-fix form with its error.
    add(out, "triage_form-unknown", triage_form_of({"no.such.form", "42", {}}), hostile_error);

    add(out, "decide_form", decide_form(ordinary_item(item_status::routed), journey, catalog_now), hostile_error);
    add(out, "decide_form-decided", decide_form(ordinary_item(item_status::in_progress), journey, catalog_now), hostile_error);
    add(out, "decide_form-hostile-150_owners", decide_form(hostile_item(item_status::in_progress, hostile), hostile, catalog_now),
        hostile_error);
    return out;
}

} // namespace cxos::cards
