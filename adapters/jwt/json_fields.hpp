#pragma once
// Reads the JSON of token headers, claims and key documents without trusting its types: a wrong
// type reads as absent, a text that is not one JSON object as nothing.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cxos::jwt {

inline std::string text_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::optional<nlohmann::json> parse_object(std::string_view text) {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

} // namespace cxos::jwt
