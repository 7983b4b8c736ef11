#include "commands/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace cxos {

bool is_valid_utf8(std::string_view text) { return valid_utf8_prefix(text) == text.size(); }

utf8_char utf8_char_at(std::string_view text, std::size_t at) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + at;
    const std::size_t left = text.size() - at;
    const unsigned char lead = p[0];
    if (lead < 0x80) return {1, true};
    // The range the second byte must fall in tells overlong forms, surrogates and code points
    // beyond U+10FFFF apart from real characters (RFC 3629, section 4).
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) length = 3, low = 0xA0;
    else if (lead == 0xED) length = 3, high = 0x9F;
    else if (lead >= 0xE1 && lead <= 0xEF) length = 3;
    else if (lead == 0xF0) length = 4, low = 0x90;
    else if (lead == 0xF4) length = 4, high = 0x8F;
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else return {1, false};
    std::size_t i = 1;
    for (; i < length && i < left; ++i) {
        const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
        if (p[i] < lo || p[i] > hi) return {i, false};
    }
    return {i, i == length};
}

std::size_t valid_utf8_prefix(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        // ASCII, most of what every request carries, is passed over eight bytes at a time.
        if (text.size() - at >= 8) {
            std::uint64_t eight;
            std::memcpy(&eight, text.data() + at, 8);
            if ((eight & 0x8080808080808080u) == 0) {
                at += 8;
                continue;
            }
        }
        const auto c = utf8_char_at(text, at);
        if (!c.valid) break;
        at += c.length;
    }
    return at;
}

std::string utf8_prefix(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return text;
}

} // namespace cxos
