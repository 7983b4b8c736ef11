#include "adapters/teams/ids.hpp"

#include <algorithm>

namespace cxos::teams {

bool is_absent_or_id(std::string_view id, std::size_t max_bytes) {
    return id.size() <= max_bytes && std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

} // namespace cxos::teams
