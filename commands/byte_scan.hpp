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

// How far into a word read from memory its first flagged byte surely is: exactly there on a
// little-endian machine; elsewhere a borrow may flag earlier bytes, so the word's start.
inline std::size_t first_flagged(std::uint64_t mask) {
    if constexpr (std::endian::native == std::endian::little) return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
    else return 0;
}

// The first byte at or after `from` to stop at, or text.size(): `flags(word)` flags such bytes in
// a word, `stop(c)` says it of one byte (the tail shorter than a word, and the check after a word).
template <class Flags, class Stop>
std::size_t find_first(std::string_view text, std::size_t from, Flags flags, Stop stop) {
    for (; text.size() - from >= 8; from += 8)
        if (const auto mask = flags(word_at(text.data() + from))) {
            from += first_flagged(mask);
            break;
        }
    while (from < text.size() && !stop(static_cast<unsigned char>(text[from]))) ++from;
    return from;
}

} // namespace cxos::bytes
