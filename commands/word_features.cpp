// The words two texts are compared by: hashed features, and spellings lined up.
#include "commands/word_features.hpp"

#include "commands/text_normaliser.hpp"

#include <algorithm>

namespace cxos {
namespace {

// The low bit of a feature says what it is, so a word and a pair never collide.
constexpr std::uint32_t unigram = 0, bigram = 1;

std::uint32_t fnv1a(std::string_view s, std::uint32_t h = 2166136261u) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

// Murmur3's finaliser: FNV leaves the low bits (the kind's, and the hash table's) poorly mixed.
std::uint32_t mix(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

std::uint32_t feature(std::uint32_t kind, std::string_view a, std::string_view b = {}) {
    std::uint32_t h = fnv1a(a);
    if (!b.empty()) h = fnv1a(b, fnv1a(" ", h));
    return (mix(h) & ~1u) | kind;
}

bool same_word(std::string_view a, std::string_view b) { return a == b || is_typo_of(a, b); }

} // namespace

bool is_bigram(std::uint32_t feature) { return (feature & 1u) == bigram; }

std::vector<std::string_view> split(std::string_view s, char by) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0; start <= s.size();) {
        auto end = std::min(s.find(by, start), s.size());
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool has(const std::vector<std::string_view>& tokens, std::string_view t) {
    return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

std::vector<std::uint32_t> word_features(std::span<const std::string_view> tokens) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        out.push_back(word_feature(tokens[i]));
        if (i + 1 < tokens.size()) out.push_back(feature(bigram, tokens[i], tokens[i + 1]));
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_typo_of(std::string_view a, std::string_view b) {
    const std::size_t shorter = std::min(a.size(), b.size());
    if (shorter < 4 || a.front() != b.front() || is_mask_token(a) || is_mask_token(b)) return false;
    const std::size_t limit = shorter >= 7 ? 2 : 1;
    if (std::max(a.size(), b.size()) - shorter > limit) return false;
    // Optimal string alignment distance over three rolling rows.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        std::size_t row_best = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
            row_best = std::min(row_best, current[j]);
        }
        if (row_best > limit) return false;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()] <= limit;
}

std::uint32_t word_feature(std::string_view word) { return feature(unigram, word); }

// The query's tokens, spelled as the item's text spells them where they differ only by a typo
// or by a compound written apart or together ("chat bot" / "chatbot", "time zone" / "timezone").
// Only tokens the other side lacks are touched, so a word both sides have is never re-spelled,
// and a typo needs one side to be a word (almost) nobody else writes: "bank" and "blank" are
// both common, so they are two words, while "invioce" is a typo of the common "invoice".
std::vector<std::string_view> align_spelling(const std::vector<std::string_view>& query,
                                             const std::vector<std::string_view>& text,
                                             const std::function<bool(std::string_view)>& rare) {
    auto missing_from = [](const std::vector<std::string_view>& tokens, std::string_view t) {
        return !is_mask_token(t) && !has(tokens, t);
    };
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < query.size(); ++i) {
        const std::string_view t = query[i];
        if (!missing_from(text, t)) {
            out.push_back(t);
            continue;
        }
        std::string_view match;
        for (auto u : text)
            if (missing_from(query, u) && is_typo_of(t, u) && (rare(t) || rare(u))) match = u;
        if (!match.empty()) {
            out.push_back(match);
            continue;
        }
        if (i + 1 < query.size() && missing_from(text, query[i + 1])) { // apart here, together there
            const std::string together = std::string(t) + std::string(query[i + 1]);
            for (auto u : text)
                if (missing_from(query, u) && same_word(together, u)) match = u;
            if (!match.empty()) {
                out.push_back(match);
                ++i;
                continue;
            }
        }
        for (std::size_t k = 0; k + 1 < text.size() && match.empty(); ++k) // together here, apart there
            if (missing_from(query, text[k]) && missing_from(query, text[k + 1]) &&
                same_word(t, std::string(text[k]) + std::string(text[k + 1]))) {
                out.push_back(text[k]);
                out.push_back(text[k + 1]);
                match = t;
            }
        if (match.empty()) out.push_back(t);
    }
    return out;
}

} // namespace cxos
