#include "commands/json_writer.hpp"

#include "commands/utf8.hpp"

namespace cxos {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t at = 0, run = 0; // text[run, at) is still to be copied as it is
    while (at < text.size()) {
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
