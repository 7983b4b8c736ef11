#pragma once
// Chooses the owner for a signal: the first rule whose conditions all hold, else the fallback.
#include "commands/journey.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cxos {

// Lower-cased ASCII words of a text, the unit keywords are matched against: runs of ASCII letters
// and digits and of UTF-8 bytes; every other byte separates them.
std::vector<std::string> words_of(std::string_view text);
// The next of those words in `rest` as written (not lowered), and `rest` moved past it; empty at
// the end. For walking text without copying it.
std::string_view next_word(std::string_view& rest);

route_decision route(const journey_config& journey, const signal& s);

} // namespace cxos
