#pragma once
// The journeys and items the card catalog renders: one ordinary setup and one hostile one.
#include "commands/items.hpp"

namespace cxos::cards {

inline constexpr millis catalog_now = 1'795'000'000'000; // 18 Nov 2026, fixed: the files are reproducible
inline constexpr millis catalog_day = 24LL * 3600 * 1000;

// Three owners (Slack only, Teams only, both) and four stages.
journey_config ordinary_journey();
// 150 owners with long unicode names and 60 long stages: more options than any menu may hold.
journey_config hostile_journey();

// An item in `status` with everything a card can show about that status filled in.
item ordinary_item(item_status status);
// The same with every free-text part huge and hostile, reported from Teams.
item hostile_item(item_status status, const journey_config& journey);

// Many user ids, Slack and Teams shaped, for voter and reporter lists.
std::vector<std::string> many_users(int n);

} // namespace cxos::cards
