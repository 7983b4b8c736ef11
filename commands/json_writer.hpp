#pragma once
// JSON written straight to text, for answers on the hot path: the ack of every report used to be
// built as a DOM (a std::map and a heap node per value) only to be dumped once. Strings are
// escaped as json_text() escapes them, a byte that is not UTF-8 becoming U+FFFD, so either route
// gives the same value.
#include <cstdint>
#include <string>
#include <string_view>

namespace cxos {

// Appends `text` as a JSON string literal (quoted, escaped, invalid UTF-8 replaced).
void append_json_string(std::string& out, std::string_view text);

// The caller keeps the nesting balanced; the writer places the commas and colons.
class json_writer {
  public:
    // `capacity`: the size the text is expected to reach, so that it is allocated once.
    explicit json_writer(std::size_t capacity = 256) { out_.reserve(capacity); }

    json_writer& begin_object() { return open('{'); }
    json_writer& end_object() { return close('}'); }
    json_writer& begin_array() { return open('['); }
    json_writer& end_array() { return close(']'); }
    json_writer& key(std::string_view name);
    json_writer& value(std::string_view text);
    json_writer& boolean(bool v);
    json_writer& number(std::int64_t v);
    // key(name).value(text)
    json_writer& member(std::string_view name, std::string_view text) { return key(name).value(text); }

    // A string value written in parts, each escaped as value() escapes a whole text, for text
    // assembled from pieces without a joined copy. Parts must meet at an ASCII byte: a character,
    // or a broken one, split over two parts would be judged as two halves.
    json_writer& begin_string();
    json_writer& string_part(std::string_view text);
    json_writer& end_string();

    // Where the text stands, to come back to when what was begun there is to be written otherwise.
    struct position {
        std::size_t size;
        bool after_value;
    };
    position where() const { return {out_.size(), after_value_}; }
    void rewind(position p) {
        out_.resize(p.size);
        after_value_ = p.after_value;
    }

    const std::string& text() const { return out_; }
    std::string take() { return std::move(out_); }

  private:
    json_writer& open(char bracket);
    json_writer& close(char bracket);
    void separate();

    std::string out_;
    bool after_value_ = false; // the next element needs a comma before it
};

} // namespace cxos
