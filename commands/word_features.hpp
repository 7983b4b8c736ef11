#pragma once
// The words two normalised texts are compared by: hashed word and word-pair features, and the
// spelling alignment that lets a typo or a compound written apart count as the same word.
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace cxos {

// The features of normalised tokens: hashed word unigrams and bigrams, sorted, repeats kept.
// A word and a word pair never share a feature; distinct words rarely do (32-bit hashes).
std::vector<std::uint32_t> word_features(std::span<const std::string_view> tokens);
std::uint32_t word_feature(std::string_view word); // the unigram feature of one token
bool is_bigram(std::uint32_t feature);

// Whether two tokens may be one word misspelt: the same first letter and one edit (insertion,
// deletion, substitution or swap of neighbours) between them, or two for words of 7+ letters.
// Words under four letters and masks never are. "sign" and "sing" are one edit apart, so
// align_spelling only lines up a word (almost) nobody else writes with a common one.
bool is_typo_of(std::string_view a, std::string_view b);

// The query's tokens, spelled as the text spells them where they differ only by a typo (and
// `rare` says one of the two is a word hardly anyone writes) or by a compound written apart or
// together ("chat bot" / "chatbot", "time zone" / "timezone"). Tokens both sides have stay.
std::vector<std::string_view> align_spelling(const std::vector<std::string_view>& query,
                                             const std::vector<std::string_view>& text,
                                             const std::function<bool(std::string_view)>& rare);

// The pieces of `s` between `by`s, empty ones skipped.
std::vector<std::string_view> split(std::string_view s, char by);
bool has(const std::vector<std::string_view>& tokens, std::string_view t);

} // namespace cxos
