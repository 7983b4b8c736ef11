#pragma once
// Reads fields from JSON Slack sent without trusting their types: a wrong type reads as absent.
#include <nlohmann/json.hpp>

#include <string>

namespace cxos::slack {

inline std::string string_field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline bool bool_field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return false;
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

} // namespace cxos::slack
