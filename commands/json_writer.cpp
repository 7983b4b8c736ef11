#include "commands/json_writer.hpp"

#include "commands/utf8.hpp"

namespace cxos {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t at = 0;
    while (at < text.size()) {
        const auto c = static_cast<unsigned char>(text[at]);
        if (c >= 0x80) {
            const auto ch = utf8_char_at(text, at);
            if (ch.valid) out.append(text.data() + at, ch.length);
            else out += "\xEF\xBF\xBD";
            at += ch.length;
            continue;
        }
        ++at;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 0xF]);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
    }
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
