#include "commands/routing.hpp"

#include "commands/text_case.hpp"

#include <algorithm>

namespace cxos {

bool journey_config::has_stage(std::string_view s) const {
    return std::find(stages.begin(), stages.end(), s) != stages.end();
}

const owner* journey_config::find_owner(std::string_view name) const {
    auto it = owners.find(std::string(name));
    return it == owners.end() ? nullptr : &it->second;
}

namespace {

// ASCII letters and digits; bytes >= 0x80 belong to UTF-8 sequences and stay inside words.
bool is_word_byte(char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80;
}

} // namespace

std::string_view next_word(std::string_view& rest) {
    std::size_t start = 0;
    while (start < rest.size() && !is_word_byte(rest[start])) ++start;
    std::size_t end = start;
    while (end < rest.size() && is_word_byte(rest[end])) ++end;
    const auto word = rest.substr(start, end - start);
    rest.remove_prefix(end);
    return word;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    for (auto w = next_word(text); !w.empty(); w = next_word(text)) words.push_back(lower(w));
    return words;
}

namespace {

// A keyword may be a phrase ("wrong currency"): its words must appear consecutively. Both are
// walked where they lie, neither split nor lowered into copies: every report meets every keyword.
bool contains_phrase(std::string_view text, std::string_view phrase) {
    const auto first = next_word(phrase);
    if (first.empty()) return false;
    for (auto w = next_word(text); !w.empty(); w = next_word(text)) {
        if (!equals_folded(w, first)) continue;
        auto text_after = text, phrase_after = phrase;
        for (auto p = next_word(phrase_after);; p = next_word(phrase_after)) {
            if (p.empty()) return true;
            if (!equals_folded(next_word(text_after), p)) break;
        }
    }
    return false;
}

template <class T> bool listed(const std::vector<T>& allowed, const T& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Whether every condition of the rule holds; `keyword` is then the keyword that matched (null
// when the rule lists none). An empty rule never matches (the config rejects it).
bool holds(const routing_rule& rule, const signal& s, const std::string*& keyword) {
    keyword = nullptr;
    if (!rule.keywords.empty()) {
        auto hit = std::find_if(rule.keywords.begin(), rule.keywords.end(),
                                [&](const std::string& k) { return contains_phrase(s.description, k); });
        if (hit == rule.keywords.end()) return false;
        keyword = &*hit;
    }
    if (!rule.stages.empty() && (s.stage.empty() || !listed(rule.stages, s.stage))) return false;
    if (!rule.components.empty() && (!s.comp || !listed(rule.components, *s.comp))) return false;
    if (!listed(rule.severities, s.sev)) return false;
    if (!listed(rule.source_channels, s.source.channel_id)) return false;
    return keyword || !rule.stages.empty() || !rule.components.empty() || !rule.severities.empty() ||
           !rule.source_channels.empty();
}

// Why the rule matched, condition by condition: built only for the rule that did.
std::string reason_of(const routing_rule& rule, const signal& s, const std::string* keyword) {
    std::string out;
    out.reserve(64);
    auto part = [&](std::string_view what, std::string_view value, std::string_view after = {}) {
        if (!out.empty()) out += ", ";
        out.append(what).append(value).append(after);
    };
    if (keyword) part("matched '", *keyword, "'");
    if (!rule.stages.empty()) part("stage ", s.stage);
    if (!rule.components.empty()) part("component ", to_slug(*s.comp));
    if (!rule.severities.empty()) part("severity ", to_string(s.sev));
    if (!rule.source_channels.empty()) part("from channel ", s.source.channel_id);
    return out;
}

} // namespace

route_decision route(const journey_config& journey, const signal& s) {
    const std::string* keyword = nullptr;
    for (const auto& rule : journey.rules)
        if (holds(rule, s, keyword)) return {rule.route_to, rule.name, reason_of(rule, s, keyword)};
    return {journey.fallback, "", "no rule matched"};
}

} // namespace cxos
