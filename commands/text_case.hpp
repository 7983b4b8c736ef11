#pragma once
// Folding case where people's words are matched without it (command words, stage and component
// names, routing keywords, item keys) and where the web compares hosts: ASCII letters only, never
// through the locale, so UTF-8 text passes through unchanged byte for byte.
#include <string>
#include <string_view>

namespace cxos {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

// lower(a) == lower(b), without building either.
inline bool equals_folded(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

// lower(text) starts with lower(prefix), without building either.
inline bool starts_with_folded(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equals_folded(text.substr(0, prefix.size()), prefix);
}

} // namespace cxos
