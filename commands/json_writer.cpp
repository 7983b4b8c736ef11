#include "commands/json_writer.hpp"

#include "commands/byte_scan.hpp"
#include "commands/utf8.hpp"

#include <algorithm>

namespace cxos {

namespace {

// A control character, '"', '\\' or a byte of a multi-byte character: what needs more than
// copying. (Objects, not functions, so that the scan is compiled around them.)
constexpr auto needs_care = [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; };
constexpr auto care_flags = [](std::uint64_t word) {
    return bytes::non_ascii(word) | bytes::below_space(word) | bytes::equal_to(word, '"') | bytes::equal_to(word, '\\');
};

// How JSON writes an ASCII byte that needs care: the escape's text and its length.
struct escaped_byte {
    char text[6];
    std::size_t length;
};

escaped_byte escaped(unsigned char c) {
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': return {{'\\', '"'}, 2};
    case '\\': return {{'\\', '\\'}, 2};
    case '\b': return {{'\\', 'b'}, 2};
    case '\f': return {{'\\', 'f'}, 2};
    case '\n': return {{'\\', 'n'}, 2};
    case '\r': return {{'\\', 'r'}, 2};
    case '\t': return {{'\\', 't'}, 2};
    default: return {{'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]}, 6};
    }
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    json_writer w(text.size() + 2);
    w.value(text);
    out += w.text();
}

void json_writer::grow(std::size_t n) { out_.resize(std::max(out_.size() * 2, size_ + n)); }

// Runs of plain bytes (and whole valid characters) are copied in one piece each.
void json_writer::escape(std::string_view text) {
    std::size_t run = 0; // text[run, at) is still to be copied as it is
    std::size_t at = bytes::find_first(text, 0, care_flags, needs_care);
    while (at < text.size()) {
        const auto c = static_cast<unsigned char>(text[at]);
        if (c >= 0x80) {
            const auto ch = utf8_char_at(text, at);
            if (!ch.valid) {
                put(text.substr(run, at - run));
                put("\xEF\xBF\xBD");
                run = at + ch.length;
            }
            at = bytes::find_first(text, at + ch.length, care_flags, needs_care);
            continue;
        }
        put(text.substr(run, at - run));
        const auto e = escaped(c);
        put(std::string_view(e.text, e.length));
        run = at + 1;
        at = bytes::find_first(text, run, care_flags, needs_care);
    }
    put(text.substr(run));
}

json_writer& json_writer::boolean(bool v) {
    const std::string_view text = v ? "true" : "false";
    return finish(copy(start(text.size()), text), true);
}

json_writer& json_writer::number(std::int64_t v) {
    const auto text = std::to_string(v);
    return finish(copy(start(text.size()), text), true);
}

} // namespace cxos
