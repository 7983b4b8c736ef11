// normalise: fold, split into whitespace chunks, mask what varies between reports of one
// friction (amounts, ids, addresses), then drop stop words and stem.
#include "commands/text_normaliser.hpp"

#include <algorithm>
#include <iterator>

namespace cxos {

std::optional<text_language> parse_text_language(std::string_view code) {
    if (code == "en") return text_language::en;
    return std::nullopt;
}

std::string unsupported_language_message(std::string_view code) {
    return "grouping.language: '" + std::string(code) + "' is not supported (supported: en)";
}

std::string_view to_code(text_language) { return "en"; }

bool is_mask_token(std::string_view token) { return !token.empty() && token.front() == '#'; }

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_letter(c) || is_digit(c); }
// Characters that hold an id, number or word together when letters or digits stand either side.
bool is_joiner(char c) { return c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == ',' || c == '\''; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

template <std::size_t N> bool listed(const std::string_view (&words)[N], std::string_view w) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

constexpr std::string_view top_level_domains[] = {
    "com", "io", "net", "org", "co", "app", "dev", "ai", "uk", "de", "fr", "eu", "us",
    "me", "info", "biz", "es", "it", "nl", "ca", "au", "ch", "at", "se", "in", "cloud"};

constexpr std::string_view currency_words[] = {
    "usd", "eur", "gbp", "chf", "cad", "aud", "jpy", "inr", "sek", "nok", "dkk", "pln",
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "buck", "bucks"};

bool is_url(std::string_view chunk) {
    if (chunk.find("://") != std::string_view::npos || chunk.starts_with("www.")) return true;
    // A bare host: letters, digits and dashes in dot-separated labels ending in a known TLD.
    auto host = chunk.substr(0, chunk.find('/'));
    auto last_dot = host.rfind('.');
    if (last_dot == std::string_view::npos || last_dot == 0) return false;
    if (!std::all_of(host.begin(), host.end(), [](char c) { return is_alnum(c) || c == '-' || c == '.'; }))
        return false;
    return listed(top_level_domains, host.substr(last_dot + 1));
}

bool is_email(std::string_view chunk) {
    auto at = chunk.find('@');
    return at != std::string_view::npos && at > 0 && chunk.find('.', at) != std::string_view::npos;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

// A piece holds letters, digits and inner joiners: 1,234.56 or abc-1234 or don't or sign-up.
std::string_view classify_piece(std::string_view piece) {
    int letters = 0, digits = 0;
    bool joined = false;
    for (char c : piece) {
        letters += is_letter(c);
        digits += is_digit(c);
        joined = joined || is_joiner(c);
    }
    if (digits == 0) return {};
    if (letters == 0) return mask_token::number;
    std::string_view tail = piece.substr(piece.find_last_of("0123456789") + 1);
    if (letters == static_cast<int>(tail.size()) && (tail == "st" || tail == "nd" || tail == "rd" || tail == "th"))
        return mask_token::number;
    if (is_uuid(piece) || piece.starts_with("0x")) return mask_token::id;
    // ABC-1234, INV_2024_0042, a1b2c3d4, 5f3a9c0e. Short mixes are words: 2fa, mp4, s3, b2b.
    if ((joined && digits >= 2) || (piece.size() >= 6 && digits >= 2)) return mask_token::id;
    return {};
}

// Currency written next to the number: usd40, 40eur, 12,50eur.
bool currency_glued(std::string_view piece) {
    auto is_code = [](std::string_view s) { return s.size() == 3 && listed(currency_words, s); };
    auto first_digit = piece.find_first_of("0123456789");
    auto last_digit = piece.find_last_of("0123456789");
    if (first_digit == std::string_view::npos) return false;
    return (first_digit == 3 && is_code(piece.substr(0, 3))) ||
           (piece.size() - last_digit - 1 == 3 && is_code(piece.substr(last_digit + 1)));
}

// One whitespace chunk to raw words and masks (not yet stemmed or filtered).
void lex_chunk(std::string_view chunk, std::vector<std::string>& out) {
    auto first = chunk.find_first_not_of("([{<\"'*`");
    auto last = chunk.find_last_not_of(")]}>\"'.,;:!?*`");
    if (first == std::string_view::npos || last == std::string_view::npos || last < first) return;
    chunk = chunk.substr(first, last - first + 1);
    if (is_url(chunk)) return out.emplace_back(mask_token::url), void();
    if (is_email(chunk)) return out.emplace_back(mask_token::email), void();
    if (chunk.front() == '@') return; // a mention names a person, not the friction
    for (std::size_t i = 0; i < chunk.size();) {
        if (!is_alnum(chunk[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < chunk.size() &&
               (is_alnum(chunk[end]) || (is_joiner(chunk[end]) && end + 1 < chunk.size() && is_alnum(chunk[end + 1]))))
            ++end;
        std::string_view piece = chunk.substr(i, end - i);
        bool dollar = (i > 0 && chunk[i - 1] == '$') || (end < chunk.size() && chunk[end] == '$');
        auto mask = classify_piece(piece);
        if (currency_glued(piece) || (dollar && mask == mask_token::number)) {
            out.emplace_back(mask_token::money);
        } else if (!mask.empty()) {
            out.emplace_back(mask);
        } else {
            // Words: "don't" -> dont, "customer's" -> customer, "e-mail" -> email, "sign-up" -> sign up.
            std::string word;
            for (std::size_t k = 0; k < piece.size(); ++k) {
                char c = piece[k];
                if (c == '\'') {
                    if (piece.substr(k) == "'s") break;
                    continue;
                }
                if (is_joiner(c)) {
                    if (word.size() == 1 && c == '-') continue;
                    out.push_back(std::move(word));
                    word.clear();
                    continue;
                }
                word.push_back(c);
            }
            if (!word.empty()) out.push_back(std::move(word));
        }
        i = end;
    }
}

// "40 dollars", "USD 40": a number beside a currency word is an amount.
void merge_amounts(std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        bool number = words[i] == mask_token::number;
        if (number && i + 1 < words.size() && listed(currency_words, words[i + 1])) {
            out.emplace_back(mask_token::money);
            ++i;
        } else if (number && !out.empty() && listed(currency_words, out.back())) {
            out.back() = mask_token::money;
        } else {
            out.push_back(std::move(words[i]));
        }
    }
    words = std::move(out);
}

// One spelling for words English writes two ways, and for the few phrases support text
// abbreviates as often as it spells out. Kept short on purpose: a synonym list would decide
// what counts as the same friction; this only undoes spelling.
struct respelling {
    std::string_view from[3]; // a phrase of up to three words; unused slots are empty
    std::string_view to;
};
constexpr respelling respellings[] = {
    {{"single", "sign", "on"}, "sso"}, {{"two", "factor"}, "2fa"},   {{"multi", "factor"}, "mfa"},
    {{"knowledge", "base"}, "kb"},     {{"centre"}, "center"},       {{"centres"}, "centers"},
    {{"cancelled"}, "canceled"},       {{"cancelling"}, "canceling"}, {{"grey"}, "gray"},
    {{"greyed"}, "grayed"},            {{"colour"}, "color"},         {{"colours"}, "colors"},
    {{"licence"}, "license"},          {{"organisation"}, "organization"}, {{"organisations"}, "organizations"},
    {{"authorise"}, "authorize"},      {{"authorised"}, "authorized"}, {{"personalise"}, "personalize"},
    {{"customise"}, "customize"},      {{"catalogue"}, "catalog"},    {{"behaviour"}, "behavior"},
};

void respell(std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < words.size();) {
        const respelling* hit = nullptr;
        std::size_t length = 0;
        for (const auto& r : respellings) {
            std::size_t n = 0;
            while (n < 3 && !r.from[n].empty()) ++n;
            bool same = i + n <= words.size();
            for (std::size_t k = 0; same && k < n; ++k) same = words[i + k] == r.from[k];
            if (same) {
                hit = &r;
                length = n;
                break;
            }
        }
        if (hit) out.emplace_back(hit->to);
        else out.push_back(std::move(words[i]));
        i += hit ? length : 1;
    }
    words = std::move(out);
}

// Function words, negations (nearly every report is negative, so "not" tells nothing) and the
// words agents wrap reports in ("customer says", "still", "again", "please").
constexpr std::string_view english_stop_words[] = {
    "a", "about", "after", "again", "all", "already", "also", "am", "an", "and", "any", "anymore", "anyone",
    "are", "arent", "as", "at", "be", "because", "been", "before", "being", "both", "but", "by", "can",
    "cannot", "cant", "client", "clients", "could", "couldnt", "customer", "customers", "did", "didnt", "do",
    "does", "doesnt", "doing", "dont", "during", "each", "either", "even", "ever", "every", "everyone", "few",
    "for", "from", "get", "gets", "getting", "got", "had", "hadnt", "has", "hasnt", "have", "havent", "having",
    "he", "hello", "help", "her", "here", "hey", "hi", "him", "his", "how", "i", "if", "im", "in", "into", "is",
    "isnt", "issue", "issues", "it", "its", "ive", "just", "keep", "keeps", "kept", "let", "lets", "like", "me",
    "more", "most", "my", "never", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
    "our", "out", "over", "people", "please", "problem", "problems", "really", "report", "reported", "reporting",
    "reports", "said", "same", "say", "saying", "says", "seem", "seems", "she", "should", "shouldnt", "since",
    "so", "some", "someone", "still", "such", "than", "thanks", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "today", "too", "tried", "tries", "try", "trying",
    "unable", "up", "us", "user", "users", "very", "was", "wasnt", "we", "were", "werent", "what", "when",
    "where", "which", "while", "who", "why", "will", "with", "wont", "would", "yesterday", "you", "your"};

// Verb + particle written three ways (log in, log-in, login; timed out, timeout) become one word.
constexpr std::string_view phrasal_verbs[] = {"log",  "sign", "set",  "check", "opt",  "pop",  "drop",
                                                            "roll", "back", "lock", "time",  "top",  "walk", "follow"};
constexpr std::string_view particles[] = {"in", "out", "up", "on", "down", "through"};

} // namespace

std::vector<std::string> normalise(std::string_view text, text_language) {
    const std::string folded = fold_text(text);
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < folded.size()) {
        auto start = folded.find_first_not_of(" \t\n\r\f\v", i);
        if (start == std::string::npos) break;
        auto end = std::min(folded.find_first_of(" \t\n\r\f\v", start), folded.size());
        lex_chunk(std::string_view(folded).substr(start, end - start), words);
        i = end;
    }
    merge_amounts(words);
    respell(words);
    std::vector<std::string> tokens;
    for (std::size_t k = 0; k < words.size(); ++k) {
        const std::string& w = words[k];
        if (is_mask_token(w)) {
            tokens.push_back(w);
            continue;
        }
        std::string stem = stem_english(w);
        if (listed(phrasal_verbs, stem) && k + 1 < words.size() && listed(particles, words[k + 1])) {
            tokens.push_back(stem + words[k + 1]);
            ++k;
            continue;
        }
        if (listed(english_stop_words, w) || w.size() < 2) continue;
        tokens.push_back(std::move(stem));
    }
    return tokens;
}

std::string normalised_key(std::string_view text, text_language lang) {
    std::string key;
    for (const auto& t : normalise(text, lang)) key += (key.empty() ? "" : " ") + t;
    return key;
}

} // namespace cxos
