#include "commands/json_writer.hpp"

#include "commands/utf8.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace cxos {

namespace {

// The bytes of the eight in `x` that may need more than copying (a control character, '"', '\\'
// or a byte of a multi-byte character), as a high bit per byte: zero for a word of plain ASCII
// (most of every ack), passed over in one step instead of eight. A borrow can only add flags
// above a byte that truly needs care, so the lowest flag is always one.
std::uint64_t care_mask(std::uint64_t x) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto has_zero = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;
    return (x & highs) | below_space | has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\'));
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t at = 0, run = 0; // text[run, at) is still to be copied as it is
    while (at < text.size()) {
        if (text.size() - at >= 8) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + at, sizeof word);
            const auto care = care_mask(word);
            if (care == 0) {
                at += 8;
                continue;
            }
            // Straight to the first byte that needs care (the lowest byte is the first in memory).
            if constexpr (std::endian::native == std::endian::little)
                at += static_cast<std::size_t>(std::countr_zero(care)) / 8;
        }
        const auto c = static_cast<unsigned char>(text[at]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++at;
            continue;
        }
        if (c >= 0x80) {
            const auto ch = utf8_char_at(text, at);
            if (ch.valid) {
                at += ch.length;
                continue;
            }
            out.append(text.data() + run, at - run);
            out += "\xEF\xBF\xBD";
            at += ch.length;
            run = at;
            continue;
        }
        out.append(text.data() + run, at - run);
        ++at;
        run = at;
        out.push_back('\\');
        switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '\b': out.push_back('b'); break;
        case '\f': out.push_back('f'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        default:
            out += "u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    out.append(text.data() + run, at - run);
    out.push_back('"');
}

void json_writer::separate() {
    if (after_value_) out_.push_back(',');
}

json_writer& json_writer::open(char bracket) {
    separate();
    out_.push_back(bracket);
    after_value_ = false;
    return *this;
}

json_writer& json_writer::close(char bracket) {
    out_.push_back(bracket);
    after_value_ = true;
    return *this;
}

json_writer& json_writer::key(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_.push_back(':');
    after_value_ = false;
    return *this;
}

json_writer& json_writer::value(std::string_view text) {
    separate();
    append_json_string(out_, text);
    after_value_ = true;
    return *this;
}

json_writer& json_writer::boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
    after_value_ = true;
    return *this;
}

json_writer& json_writer::number(std::int64_t v) {
    separate();
    out_ += std::to_string(v);
    after_value_ = true;
    return *this;
}

} // namespace cxos
