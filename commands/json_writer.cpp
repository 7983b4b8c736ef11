#include "commands/json_writer.hpp"

#include "commands/byte_scan.hpp"
#include "commands/utf8.hpp"

namespace cxos {

namespace {

// A control character, '"', '\\' or a byte of a multi-byte character: what needs more than
// copying. (Objects, not functions, so that the scan is compiled around them.)
constexpr auto needs_care = [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; };
constexpr auto care_flags = [](std::uint64_t word) {
    return bytes::non_ascii(word) | bytes::below_space(word) | bytes::equal_to(word, '"') | bytes::equal_to(word, '\\');
};

// `text` escaped, without quotes: runs of plain bytes (and whole valid characters) are copied in one
// append each.
void append_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t run = 0; // text[run, at) is still to be copied as it is
    std::size_t at = bytes::find_first(text, 0, care_flags, needs_care);
    while (at < text.size()) {
        const auto c = static_cast<unsigned char>(text[at]);
        if (c >= 0x80) {
            const auto ch = utf8_char_at(text, at);
            if (!ch.valid) {
                out.append(text.data() + run, at - run);
                out += "\xEF\xBF\xBD";
                run = at + ch.length;
            }
            at = bytes::find_first(text, at + ch.length, care_flags, needs_care);
            continue;
        }
        out.append(text.data() + run, at - run);
        run = at + 1;
        char escaped[6] = {'\\', 0, 0, 0, 0, 0};
        std::size_t length = 2;
        switch (c) {
        case '"': escaped[1] = '"'; break;
        case '\\': escaped[1] = '\\'; break;
        case '\b': escaped[1] = 'b'; break;
        case '\f': escaped[1] = 'f'; break;
        case '\n': escaped[1] = 'n'; break;
        case '\r': escaped[1] = 'r'; break;
        case '\t': escaped[1] = 't'; break;
        default:
            escaped[1] = 'u', escaped[2] = '0', escaped[3] = '0', escaped[4] = hex[c >> 4], escaped[5] = hex[c & 0xF];
            length = 6;
        }
        out.append(escaped, length);
        at = bytes::find_first(text, run, care_flags, needs_care);
    }
    out.append(text.data() + run, text.size() - run);
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    append_escaped(out, text);
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

json_writer& json_writer::begin_string() {
    separate();
    out_.push_back('"');
    return *this;
}

json_writer& json_writer::string_part(std::string_view text) {
    append_escaped(out_, text);
    return *this;
}

json_writer& json_writer::end_string() {
    out_.push_back('"');
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
