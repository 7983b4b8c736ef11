// fold_text: a table for the characters support agents actually type (Latin letters with
// accents, what phones and word processors substitute for quotes and dashes, full-width forms
// pasted from CJK input methods, ligatures from PDFs). ICU's NFKC plus Latin-ASCII would cover
// every script, but it is a large dependency whose output shifts with its version, and grouping
// only folds Latin text to ASCII until a second language is supported.
#include "commands/text_normaliser.hpp"

#include <array>
#include <cstdint>

namespace cxos {
namespace {

constexpr char32_t invalid = 0xFFFD;

// Decodes one UTF-8 sequence at text[i], advancing i; malformed bytes decode as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int extra = b0 >= 0xF0 && b0 < 0xF5 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC2 && b0 < 0xE0 ? 1 : -1;
    if (extra < 0 || i + extra >= text.size()) {
        ++i;
        return invalid;
    }
    char32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
        unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return invalid;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < smallest[extra] || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF) {
        ++i;
        return invalid;
    }
    i += extra + 1;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// U+00C0..U+00FF; "" for × and ÷, which are symbols.
constexpr std::array<std::string_view, 64> latin1_letters = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

// U+0100..U+017F, one base letter each; '2' marks the two-letter ones (Ĳ ĳ Œ œ).
constexpr std::string_view latin_extended_a = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii22jjkkk"
                                              "llllllllllnnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuu"
                                              "uuwwyyyzzzzzzs";
static_assert(latin_extended_a.size() == 0x80);

bool is_currency(char32_t cp) {
    return cp == 0xA3 || cp == 0xA5 || cp == 0x20AC || cp == 0x20B9 || cp == 0x20BD || cp == 0x20A9 ||
           cp == 0x20BA || cp == 0x20B1 || cp == 0x20A6 || cp == 0x20AB;
}

bool is_invisible(char32_t cp) {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x0300 && cp <= 0x036F); // last: combining accents
}

// Punctuation, symbols, arrows, shapes, dingbats and emoji: word boundaries, nothing more.
bool is_symbol(char32_t cp) {
    return (cp >= 0x80 && cp < 0xC0) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == invalid;
}

// The ASCII text a non-ASCII code point folds to, or nullopt when it passes through unchanged.
std::optional<std::string_view> fold_code_point(char32_t cp) {
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035: case 0x02BC:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036: case 0xAB: case 0xBB:
    case 0x2039: case 0x203A:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0x2043:
    case 0xFE58: case 0xFE63:
        return "-";
    case 0x2026: return "...";
    case 0x2024: return ".";
    case 0x2044: return "/";
    case 0xB2: return "2";
    case 0xB3: return "3";
    case 0xB9: return "1";
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05: case 0xFB06: return "st";
    case 0x0218: case 0x0219: return "s"; // Romanian comma-below letters
    case 0x021A: case 0x021B: return "t";
    case 0x0192: return "f";
    }
    if (is_currency(cp)) return "$";
    if (is_invisible(cp)) return "";
    if (cp >= 0xC0 && cp <= 0xFF) {
        auto s = latin1_letters[cp - 0xC0];
        return s.empty() ? " " : s;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x132 || cp == 0x133) return "ij";
        if (cp == 0x152 || cp == 0x153) return "oe";
        return latin_extended_a.substr(cp - 0x100, 1);
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) return std::nullopt; // full-width: handled by the caller
    if (cp == 0xA0 || cp == 0x3000 || is_symbol(cp)) return " ";
    return std::nullopt;
}

} // namespace

std::string fold_text(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = next_code_point(utf8, i);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21; // full-width ASCII
        if (cp < 0x80) {
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
            out.push_back(c);
        } else if (auto folded = fold_code_point(cp)) {
            out += *folded;
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

} // namespace cxos
