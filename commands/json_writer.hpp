#pragma once
// JSON written straight to text, for answers on the hot path: the ack of every report used to be
// built as a DOM (a std::map and a heap node per value) only to be dumped once. Strings are
// escaped as json_text() escapes them, a byte that is not UTF-8 becoming U+FFFD, so either route
// gives the same value.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace cxos {

// Appends `text` as a JSON string literal (quoted, escaped, invalid UTF-8 replaced).
void append_json_string(std::string& out, std::string_view text);

// Text fixed in the code (a member's name, a type tag): checked when compiling to need no
// escaping, so that it is written as it is. (Text that needs escaping does not compile.)
class json_literal {
  public:
    template <std::size_t N>
    consteval json_literal(const char (&name)[N]) : text_(name, N - 1) {
        for (const char c : text_)
            if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\' || static_cast<unsigned char>(c) >= 0x80)
                throw "a json_literal is written unescaped";
    }
    std::string_view text() const { return text_; }

  private:
    std::string_view text_;
};

// The caller keeps the nesting balanced; the writer places the commas and colons.
class json_writer {
  public:
    // `capacity`: the size the text is expected to reach, so that it is allocated once.
    explicit json_writer(std::size_t capacity = 256) { out_.resize(capacity); }

    json_writer& begin_object() { return open('{'); }
    json_writer& end_object() { return close('}'); }
    json_writer& begin_array() { return open('['); }
    json_writer& end_array() { return close(']'); }
    json_writer& key(json_literal name) {
        char* p = start(name.text().size() + 3);
        *p++ = '"';
        p = copy(p, name.text());
        *p++ = '"';
        *p++ = ':';
        return finish(p, false);
    }
    json_writer& value(std::string_view text) { return begin_string().string_part(text).end_string(); }
    json_writer& boolean(bool v);
    json_writer& number(std::int64_t v);
    // key(name).value(text); a literal value is written as it is, any other text escaped.
    template <class Text>
        requires(!std::is_array_v<Text> && std::is_convertible_v<const Text&, std::string_view>)
    json_writer& member(json_literal name, const Text& text) {
        return key(name).value(std::string_view(text));
    }
    json_writer& member(json_literal name, json_literal text) {
        key(name);
        char* p = room(text.text().size() + 2);
        *p++ = '"';
        p = copy(p, text.text());
        *p++ = '"';
        return finish(p, true);
    }

    // A string value written in parts, each escaped as value() escapes a whole text, for text
    // assembled from pieces without a joined copy. Parts must meet at an ASCII byte: a character,
    // or a broken one, split over two parts would be judged as two halves.
    json_writer& begin_string() {
        char* p = start(1);
        *p++ = '"';
        return finish(p, false);
    }
    json_writer& string_part(std::string_view text) {
        escape(text);
        return *this;
    }
    json_writer& end_string() { return close('"'); }

    // Where the text stands, to come back to when what was begun there is to be written otherwise.
    struct position {
        std::size_t size;
        bool after_value;
    };
    position where() const { return {size_, after_value_}; }
    void rewind(position p) {
        size_ = p.size;
        after_value_ = p.after_value;
    }

    std::string_view text() const { return {out_.data(), size_}; }
    std::string take() {
        out_.resize(size_);
        size_ = 0;
        return std::move(out_);
    }

  private:
    json_writer& open(char bracket) {
        char* p = start(1);
        *p++ = bracket;
        return finish(p, false);
    }
    json_writer& close(char bracket) {
        char* p = room(1);
        *p++ = bracket;
        return finish(p, true);
    }
    void escape(std::string_view text);

    // Every write takes room first, fills it through a pointer of its own and then says where it
    // ended: a store through char* may alias size_, which a write through out_ would load again
    // after every byte.
    char* room(std::size_t n) {
        if (out_.size() - size_ < n) grow(n);
        return out_.data() + size_;
    }
    // Room for `n` bytes after the comma that goes before an element that follows a value.
    char* start(std::size_t n) {
        char* p = room(n + 1);
        if (after_value_) *p++ = ',';
        return p;
    }
    json_writer& finish(char* end, bool after_value) {
        size_ = static_cast<std::size_t>(end - out_.data());
        after_value_ = after_value;
        return *this;
    }
    static char* copy(char* to, std::string_view s) {
        // An empty view may hold no pointer at all, which memcpy must not be given even for 0 bytes.
        if (!s.empty()) std::memcpy(to, s.data(), s.size());
        return to + s.size();
    }
    void grow(std::size_t n);
    void put(std::string_view s) {
        char* p = room(s.size());
        size_ = static_cast<std::size_t>(copy(p, s) - out_.data());
    }

    std::string out_; // out_[0, size_) is the text so far; the rest is room for what comes next
    std::size_t size_ = 0;
    bool after_value_ = false; // the next element needs a comma before it
};

} // namespace cxos
