#pragma once
// Reads fields from JSON Slack sent without trusting their types: a wrong type reads as absent.
#include "commands/json_text.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cxos::slack {

using cxos::text_of;

inline bool bool_field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return false;
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

} // namespace cxos::slack
