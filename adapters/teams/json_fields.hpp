#pragma once
// Reads fields from JSON Teams sent without trusting their types: a wrong type reads as absent.
#include "commands/json_text.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cxos::teams {

using cxos::text_of;

inline const nlohmann::json& object_of(const nlohmann::json& j, const char* key) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!j.is_object()) return empty;
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

} // namespace cxos::teams
