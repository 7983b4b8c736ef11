#pragma once
// Folding case where people's words are matched without it (command words, stage and component
// names) and where the web compares hosts: ASCII letters only (no locale is ever set), so UTF-8
// text passes through unchanged.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace cxos {

inline std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace cxos
