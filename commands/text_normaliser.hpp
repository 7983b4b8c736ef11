#pragma once
// Turns a friction description into the tokens grouping compares: folded to lower-case ASCII,
// numbers, ids, emails, URLs and amounts masked, stop words dropped, words stemmed. Two reports
// of one friction in different words should come out with mostly the same tokens:
//   "Order #1234 FAILED — customer’s card declined" -> [order #num fail card declin]
// Pure functions; the language is a config setting (grouping.language), English first.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos {

enum class text_language { en };

// "en" -> en. Any other code is unsupported: nullopt, and the config check says so with
// unsupported_language_message, so an unsupported language is refused at start-up, not per report.
std::optional<text_language> parse_text_language(std::string_view code);
std::string unsupported_language_message(std::string_view code);
std::string_view to_code(text_language lang);

// Unicode compatibility folding without ICU: upper case to lower, full-width forms to ASCII,
// ligatures (ﬁ -> fi), accented Latin letters to their base (é -> e, ß -> ss, Œ -> oe),
// combining accents dropped, curly quotes to ' and ", dashes to -, odd spaces to a space,
// invisible characters dropped, symbols and emoji to a space, and currency signs (€ £ ¥ ₹ …)
// to '$' so amounts in any currency mask alike. Other scripts pass through unchanged.
std::string fold_text(std::string_view utf8);

// What masked spans become: tokens no word can be, since words are only letters and digits.
namespace mask_token {
inline constexpr std::string_view number = "#num";  // 1234, 1,234.56, 2024-03-01, 10:30, 3rd
inline constexpr std::string_view id = "#id";       // ABC-1234, a1b2c3d4, 0x1f3a, UUIDs
inline constexpr std::string_view email = "#email"; // ana@example.com
inline constexpr std::string_view url = "#url";     // https://…, www.…, acme.io/billing
inline constexpr std::string_view money = "#money"; // $40, €12,50, 40 USD, 99.90 euros
} // namespace mask_token

bool is_mask_token(std::string_view token);

// Porter's (1980) English stemmer on one lower-case ASCII word: failed, failing, fails -> fail.
std::string stem_english(std::string_view word);

// Tokens in reading order (bigrams are taken from neighbours in this list).
std::vector<std::string> normalise(std::string_view text, text_language lang);

// The tokens joined by single spaces: a readable key for logs and tests.
std::string normalised_key(std::string_view text, text_language lang);

} // namespace cxos
