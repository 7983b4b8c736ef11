#pragma once
// Eight bytes tested at once for the few values a text scan stops at: plain text (most of what
// cxos writes) is passed over a word at a time instead of a byte at a time.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cxos::bytes {

inline constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

// A high bit in each byte of `word` that equals `c`. A borrow can only flag bytes above a true
// match, so the lowest flag is always right (and the only one the scans use).
constexpr std::uint64_t equal_to(std::uint64_t word, unsigned char c) {
    const std::uint64_t v = word ^ (ones * c);
    return (v - ones) & ~v & highs;
}

// The same for bytes below 0x20 (control characters), the lowest flag again exact.
constexpr std::uint64_t below_space(std::uint64_t word) { return (word - ones * 0x20) & ~word & highs; }

constexpr std::uint64_t non_ascii(std::uint64_t word) { return word & highs; }

inline std::uint64_t word_at(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// The 1 to 7 bytes at `p` as the low bytes of a word, zeros above (little-endian): two reads that
// overlap, or three single bytes, instead of a loop.
inline std::uint64_t short_word(const char* p, std::size_t n) {
    if (n >= 4) {
        std::uint32_t low, high;
        std::memcpy(&low, p, 4);
        std::memcpy(&high, p + n - 4, 4);
        return low | static_cast<std::uint64_t>(high) << (8 * (n - 4));
    }
    const auto byte = [p](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i); };
    return byte(0) | byte(n / 2) | byte(n - 1);
}

// The first byte at or after `from` to stop at, or text.size(): `flags(word)` flags such bytes in
// a word, `stop(c)` says it of one byte. On a little-endian machine the lowest flag is exact and
// the last bytes of a text are read as one word too; elsewhere bytes are checked one by one from
// the word that has a flag.
template <class Flags, class Stop>
std::size_t find_first(std::string_view text, std::size_t from, Flags flags, Stop stop) {
    constexpr bool little = std::endian::native == std::endian::little;
    const std::size_t size = text.size();
    for (; size - from >= 8; from += 8)
        if (const auto mask = flags(word_at(text.data() + from))) {
            if constexpr (little) return from + static_cast<std::size_t>(std::countr_zero(mask)) / 8;
            else break;
        }
    if constexpr (little) {
        if (from == size) return size;
        // The last bytes: the word that ends the text when there is one (its bytes before `from`
        // were passed without a flag, so no borrow from them can flag the rest), else the bytes
        // that are there with zeros above (whose flags are masked off: a borrow only goes up).
        const std::size_t left = size - from;
        const std::uint64_t word = size >= 8 ? word_at(text.data() + size - 8) >> (8 * (8 - left))
                                             : short_word(text.data() + from, left);
        const auto mask = flags(word) & (~std::uint64_t{0} >> (8 * (8 - left)));
        return mask ? from + static_cast<std::size_t>(std::countr_zero(mask)) / 8 : size;
    }
    while (from < size && !stop(static_cast<unsigned char>(text[from]))) ++from;
    return from;
}

} // namespace cxos::bytes
