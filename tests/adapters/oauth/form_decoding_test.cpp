// parse_form's edge cases, and its agreement with the Boost.URL decoder it replaced on every body
// of a generated set: the same bodies refused, the same fields from the rest.
#include "adapters/oauth/form_encoding.hpp"
#include "tests/support/boost_url_form.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace cxos;
using namespace cxos::oauth;

namespace {

// The fields as "name=value" lines in name order, so a mismatch prints what differs.
std::string listed(const std::optional<form_fields>& fields) {
    if (!fields) return "(refused)";
    std::string out;
    for (const auto& [name, value] : *fields) out += "[" + name + "]=[" + value + "]\n";
    return out;
}

std::string listed(std::string_view body, repeated_field repeats = repeated_field::first_wins) {
    return listed(parse_form(body, repeats));
}

} // namespace

TEST_CASE("form decoding of empty bodies, empty fields and fields without a value", "[oauth][form]") {
    CHECK(listed("") == "");
    CHECK(listed("a=1&") == "[]=[]\n[a]=[1]\n"); // a trailing '&' names an empty field
    CHECK(listed("&") == "[]=[]\n");
    CHECK(listed("a=1&&", repeated_field::refused) == "(refused)"); // the empty name, twice
    CHECK(listed("flag&b=2") == "[b]=[2]\n[flag]=[]\n");
    CHECK(listed("a=") == "[a]=[]\n");
    CHECK(listed("=x") == "[]=[x]\n");
}

TEST_CASE("form decoding splits a field at its first '=' and decodes '+' and %XX", "[oauth][form]") {
    CHECK(listed("a=b=c&d==") == "[a]=[b=c]\n[d]=[=]\n");
    CHECK(listed("a=x+y&b=x%2By&c=%2f%2F") == "[a]=[x y]\n[b]=[x+y]\n[c]=[//]\n");
    CHECK(listed("a+b=1&c%3Dd=2") == "[a b]=[1]\n[c=d]=[2]\n");
    CHECK(listed("a=%26b%3D") == "[a]=[&b=]\n"); // an encoded '&' or '=' splits nothing
    CHECK(listed("a=~-._!$'()*,;:@/?") == "[a]=[~-._!$'()*,;:@/?]\n");
    // Encoded names are ordered, and found repeated, by what they decode to.
    CHECK(listed("b=1&%61=2") == "[a]=[2]\n[b]=[1]\n");
    CHECK(listed("a=1&%61=2") == "[a]=[1]\n");
    CHECK(listed("a=1&%61=2", repeated_field::refused) == "(refused)");
}

TEST_CASE("form decoding refuses a malformed escape or a byte a query may not hold", "[oauth][form]") {
    for (const std::string_view body : {"a=%zz", "a=%", "a=%4", "a=%4g", "%=1", "a=%%41", "a=1&b=%2&c=3"})
        CHECK(listed(body) == "(refused)");
    for (const std::string_view body : {"a=b c", "a=b#c", "a=<b>", "a=[b]", "a[]=1", "a=b\"", "a=\\", "a=^", "a=`",
                                        "a={}", "a=|", "a=\x7f", "a=\t", "a=\xc3\xa9"})
        CHECK(listed(body) == "(refused)");
    CHECK(listed(std::string_view("a=b\0c", 5)) == "(refused)");
    CHECK(listed("a=%00") == std::string("[a]=[") + '\0' + "]\n"); // an escaped NUL is a byte like any other
}

TEST_CASE("form decoding keeps the first repeat wherever it stands and counts every field", "[oauth][form]") {
    CHECK(listed("c=1&a=2&b=3&a=4&c=5&a=6") == "[a]=[2]\n[b]=[3]\n[c]=[1]\n");
    CHECK(listed("c=1&a=2&b=3&c=5", repeated_field::refused) == "(refused)");
    std::string hundred;
    for (std::size_t i = 0; i < max_form_fields; ++i) hundred += (i ? "&f" : "f") + std::to_string(i) + "=%FF";
    REQUIRE(parse_form(hundred));
    CHECK(parse_form(hundred)->size() == max_form_fields);
    CHECK_FALSE(parse_form(hundred + "&"));        // a 101st field, empty
    CHECK_FALSE(parse_form("f0=1&" + hundred)); // a repeated name still counts
}

TEST_CASE("form decoding agrees with the Boost.URL decoder it replaced on generated bodies", "[oauth][form]") {
    // Short bodies over the bytes that matter to the grammar, so every combination of separators,
    // escapes (good, short, bad) and refused bytes turns up many times.
    // The NUL written in the letters is one of them; the one ending the literal is not.
    static constexpr char letters[] = "ab=&=&%%+2Fz0 #[\x80\0";
    constexpr std::string_view alphabet(letters, sizeof letters - 1);
    std::mt19937 random(18);
    std::uniform_int_distribution<std::size_t> length(0, 16), pick(0, alphabet.size() - 1);
    std::size_t accepted = 0;
    for (int i = 0; i < 50000; ++i) {
        std::string body;
        for (auto n = length(random); n > 0; --n) body += alphabet[pick(random)];
        for (const auto repeats : {repeated_field::first_wins, repeated_field::refused}) {
            const auto expected = testing::parse_form_with_boost_url(body, repeats);
            INFO("body: " << body);
            REQUIRE(listed(body, repeats) == listed(expected));
            accepted += expected.has_value();
        }
    }
    CHECK(accepted > 5000); // the set reaches the decoding, not only the refusals
}
