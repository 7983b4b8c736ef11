#include "commands/byte_scan.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace cxos;

namespace {

// What the scans in json_writer and the Slack renderer stop at: a control character, '"' or '\\'.
constexpr auto stop = [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; };
constexpr auto flags = [](std::uint64_t w) {
    return bytes::below_space(w) | bytes::equal_to(w, '"') | bytes::equal_to(w, '\\');
};

std::size_t one_by_one(std::string_view text, std::size_t from) {
    while (from < text.size() && !stop(static_cast<unsigned char>(text[from]))) ++from;
    return from;
}

} // namespace

TEST_CASE("a word-at-a-time scan stops where a byte-by-byte one does, from any start in any length", "[json]") {
    // Texts of every length up to three words, each byte drawn from values next to the ones that
    // stop the scan (where a borrow between bytes could flag the wrong one), some stopping twice.
    const unsigned char near[] = {'a', ' ', '!', '"', '#', '\\', ']', '[', 0x00, 0x01, 0x1f, 0x7f, 0x80, 0xff, 0x21, 0xa2};
    std::uint64_t seed = 42;
    for (std::size_t length = 0; length <= 24; ++length)
        for (int round = 0; round < 200; ++round) {
            std::string text;
            for (std::size_t i = 0; i < length; ++i) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                // Mostly plain bytes, so that long clean runs come before what stops the scan.
                text += static_cast<char>((seed >> 60) < 12 ? 'a' + (seed >> 33) % 26 : near[(seed >> 40) % std::size(near)]);
            }
            for (std::size_t from = 0; from <= length; ++from) {
                INFO("length " << length << " from " << from << " round " << round);
                REQUIRE(bytes::find_first(text, from, flags, stop) == one_by_one(text, from));
            }
        }
}
