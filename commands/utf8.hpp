#pragma once
// UTF-8 checks for text that arrives from outside. Every adapter refuses invalid UTF-8 at its
// boundary with this one definition, so nothing stored can later make a JSON dump() throw.
#include <cstddef>
#include <string>
#include <string_view>

namespace cxos {

// Well-formed UTF-8 as RFC 3629 and nlohmann's dump() define it: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool is_valid_utf8(std::string_view text);
// The character that starts at byte `at` of `text`: `valid` with its length (1 to 4), or not
// valid with the length of the defect (the lead byte and the continuation bytes that still fitted)
// so that a reader replacing it resumes at the next byte that may start a character, as
// nlohmann's dump() with error_handler_t::replace does.
struct utf8_char {
    std::size_t length;
    bool valid;
};
utf8_char utf8_char_at(std::string_view text, std::size_t at);
// How many bytes from the start of `text` are well-formed UTF-8: where the first defect is.
std::size_t valid_utf8_prefix(std::string_view text);

// At most `max_bytes` of `text`, cut at a character boundary: for display text (names) that may
// legitimately be long and is only shown, never matched.
std::string utf8_prefix(std::string text, std::size_t max_bytes);

} // namespace cxos
