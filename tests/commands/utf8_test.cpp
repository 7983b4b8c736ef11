#include "commands/utf8.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

// What nlohmann's dump() makes of the text: the check must agree with it, or something the
// adapters let through could still throw when rendered.
bool dumps(const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

} // namespace

TEST_CASE("well-formed UTF-8 passes: ASCII, two, three and four byte characters", "[utf8]") {
    for (std::string text : {std::string(), std::string("plain"), std::string("caf\xC3\xA9"),
                             std::string("\xE2\x82\xAC" "5"), std::string("\xF0\x9F\x9A\xA9 flag"),
                             std::string("\xEF\xBF\xBF"), std::string("\xF4\x8F\xBF\xBF"),
                             std::string("nul\0inside", 10)}) {
        CHECK(is_valid_utf8(text));
        CHECK(dumps(text));
    }
}

TEST_CASE("ill-formed UTF-8 is refused exactly where dump() would throw", "[utf8]") {
    for (std::string text : {"x\xFF", "\x80", "trunc\xC3", "\xE2\x82", "\xC0\xAF" /* overlong '/' */,
                             "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xED\xA0\x80" /* surrogate */,
                             "\xED\xBF\xBF", "\xF4\x90\x80\x80" /* above U+10FFFF */, "\xF5\x80\x80\x80",
                             "\xC3\x28", "\xE2\x28\xA1"}) {
        CHECK_FALSE(is_valid_utf8(text));
        CHECK_FALSE(dumps(text));
    }
}

TEST_CASE("a prefix never splits a character", "[utf8]") {
    const std::string euros = "\xE2\x82\xAC\xE2\x82\xAC"; // two 3-byte characters
    CHECK(utf8_prefix(euros, 6) == euros);
    CHECK(utf8_prefix(euros, 5) == "\xE2\x82\xAC");
    CHECK(utf8_prefix(euros, 2).empty());
    CHECK(utf8_prefix("abc", 2) == "ab");
}

TEST_CASE("the valid prefix ends where the first defect starts", "[utf8]") {
    CHECK(valid_utf8_prefix("caf\xC3\xA9") == 5);
    CHECK(valid_utf8_prefix("ok\xFFthen") == 2);
    CHECK(valid_utf8_prefix("\xE2\x82") == 0);
    CHECK(valid_utf8_prefix("ab\xF0\x9F\x9A") == 2);
}

TEST_CASE("a defect is found wherever it stands in a long ASCII text", "[utf8]") {
    // ASCII is checked eight bytes at a time: a defect in any lane, or in the tail after the last
    // whole eight, still ends the prefix where it starts.
    for (std::size_t length = 1; length <= 40; ++length)
        for (std::size_t at = 0; at < length; ++at) {
            std::string text(length, 'a');
            text[at] = '\xFF';
            CHECK(valid_utf8_prefix(text) == at);
            text[at] = '\xC3';
            if (at + 1 < length) text[at + 1] = '\xA9';
            CHECK(valid_utf8_prefix(text) == (at + 1 < length ? length : at));
        }
}
