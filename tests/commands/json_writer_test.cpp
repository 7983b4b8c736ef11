#include "commands/json_text.hpp"
#include "commands/json_writer.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

std::string written(const std::string& text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

} // namespace

TEST_CASE("the writer escapes strings exactly as json_text does", "[json]") {
    // Quotes, backslashes, control characters, non-ASCII kept as it is, and every kind of broken
    // UTF-8: a stray continuation byte, an overlong form, a surrogate, a code point past U+10FFFF,
    // a sequence cut short mid-string and at the end.
    const std::vector<std::string> texts = {
        "",
        "plain words",
        "say \"hi\" \\ then\n\ttab\r\b\f",
        std::string("nul\0and\x01\x1f\x7f", 11),
        "“quoted” → café 😀",
        "bad \x80 byte",
        "overlong \xC0\xAF slash",
        "surrogate \xED\xA0\x80 here",
        "too big \xF4\x90\x80\x80",
        "cut \xE2\x82 short",
        "cut at the end \xF0\x9F\x98",
        "\xE0\x80\x80",
        "\xFF\xFE",
    };
    for (const auto& t : texts) {
        INFO(t);
        CHECK(written(t) == json_text(nlohmann::json(t)));
    }
}

TEST_CASE("the writer places commas and colons and nests", "[json]") {
    json_writer w;
    w.begin_object().member("a", "x").key("list").begin_array();
    w.value("one").begin_object().key("n").number(-42).end_object().boolean(true);
    w.begin_array().end_array().end_array().key("empty").begin_object().end_object().end_object();
    const auto text = w.take();
    CHECK(text == R"({"a":"x","list":["one",{"n":-42},true,[]],"empty":{}})");
    const auto parsed = nlohmann::json::parse(text);
    CHECK(parsed["list"][1]["n"] == -42);
}

TEST_CASE("an empty text, even a view of nothing, is written as an empty string", "[json]") {
    json_writer w;
    const std::string_view nothing; // no pointer behind it: what a field never set hands over
    w.begin_array().value(nothing).value(std::string()).begin_string().string_part(nothing).end_string();
    w.end_array();
    CHECK(w.take() == R"(["","",""])");
}

TEST_CASE("a byte that needs escaping is found in every position of a long plain run", "[json]") {
    // Plain ASCII is passed over eight bytes at a time; whatever lane of such a step the one
    // byte that needs care falls in, it is escaped as json_text escapes it.
    const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", " ", "\x7f", "é", "\x80",
                                               "\xF0\x9F\x98\x80"};
    for (const auto& special : specials)
        for (std::size_t at = 0; at <= 24; ++at) {
            std::string text(24, 'a');
            text.insert(at, special);
            INFO("at " << at);
            CHECK(written(text) == json_text(nlohmann::json(text)));
        }
}
