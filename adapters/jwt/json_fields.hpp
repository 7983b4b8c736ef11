#pragma once
// Reads the JSON of token headers, claims and key documents without trusting its types: a wrong
// type reads as absent, a text that is not one JSON object as nothing.
#include "commands/json_text.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cxos::jwt {

using cxos::text_of;

inline std::optional<nlohmann::json> parse_object(std::string_view text) {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

} // namespace cxos::jwt
