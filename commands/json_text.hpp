#pragma once
// JSON as text, never throwing on its strings: a byte that is not UTF-8 (stored before every edge
// checked, or cut by a careless clip) becomes U+FFFD instead of failing a post, an answer or a
// whole monitor run. Every JSON cxos writes goes through here.
#include <nlohmann/json.hpp>

#include <string>

namespace cxos {

// A JSON object's text field. Anything else (not an object, no such key, another type) reads as
// empty: the edges read what platforms and token issuers send without trusting its types.
inline std::string text_of(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace cxos
