#pragma once
// Chooses the owner for a signal: the first rule whose conditions all hold, else the fallback.
#include "commands/journey.hpp"

#include <string>
#include <vector>

namespace cxos {

// Lower-cased ASCII words of a text, the unit keywords are matched against.
std::vector<std::string> words_of(std::string_view text);

route_decision route(const journey_config& journey, const signal& s);

} // namespace cxos
