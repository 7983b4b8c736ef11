#pragma once
// Every message and form cxos can show in chat, made by cxos's own renderers from ordinary and
// from hostile content (huge titles and notes, many owners and options, many fields, unicode and
// markup characters), so the platform checks see what users and attackers can make cxos send.
#include "commands/message.hpp"

#include <string>
#include <vector>

namespace cxos::cards {

struct named_message {
    std::string name; // a file-name-safe id: "item_card-new"
    neutral_message message;
    bool refreshes_card = false; // Teams answers an Action.Execute on it with the refreshed card
};

struct named_form {
    std::string name;
    neutral_form form;
    form_errors errors; // empty: the form as it opens; otherwise as it comes back with errors
};

std::vector<named_message> every_message();
// Grouping's acknowledgements, answers and figures (card_catalog_grouping.cpp).
void add_grouping_messages(std::vector<named_message>& out);
std::vector<named_form> every_form();

// Text that is long and made of what breaks renderers: markup, entities, mentions, emoji with
// modifiers, combining marks, right-to-left script, quotes and backslashes.
std::string hostile_text(std::size_t min_bytes);

} // namespace cxos::cards
