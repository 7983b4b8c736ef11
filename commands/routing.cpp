#include "commands/routing.hpp"

#include <algorithm>
#include <cctype>

namespace cxos {

bool journey_config::has_stage(std::string_view s) const {
    return std::find(stages.begin(), stages.end(), s) != stages.end();
}

const owner* journey_config::find_owner(std::string_view name) const {
    auto it = owners.find(std::string(name));
    return it == owners.end() ? nullptr : &it->second;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    for (unsigned char c : text) {
        // Bytes >= 0x80 belong to UTF-8 sequences and stay inside words.
        if (std::isalnum(c) || c >= 0x80) {
            current.push_back(static_cast<char>(std::tolower(c)));
        } else if (!current.empty()) {
            words.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

namespace {

// A keyword may be a phrase ("wrong currency"): its words must appear consecutively.
bool contains_phrase(const std::vector<std::string>& text, const std::vector<std::string>& phrase) {
    if (phrase.empty() || phrase.size() > text.size()) return false;
    return std::search(text.begin(), text.end(), phrase.begin(), phrase.end()) != text.end();
}

template <class T> bool listed(const std::vector<T>& allowed, const T& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Returns the reason the rule matched, or nothing.
std::optional<std::string> match(const routing_rule& rule, const signal& s,
                                 const std::vector<std::string>& words) {
    std::vector<std::string> reasons;
    if (!rule.keywords.empty()) {
        auto hit = std::find_if(rule.keywords.begin(), rule.keywords.end(),
                                [&](const std::string& k) { return contains_phrase(words, words_of(k)); });
        if (hit == rule.keywords.end()) return std::nullopt;
        reasons.push_back("matched '" + *hit + "'");
    }
    if (!rule.stages.empty()) {
        if (s.stage.empty() || !listed(rule.stages, s.stage)) return std::nullopt;
        reasons.push_back("stage " + s.stage);
    }
    if (!rule.components.empty()) {
        if (!s.comp || !listed(rule.components, *s.comp)) return std::nullopt;
        reasons.push_back("component " + std::string(to_slug(*s.comp)));
    }
    if (!rule.severities.empty()) {
        if (!listed(rule.severities, s.sev)) return std::nullopt;
        reasons.push_back("severity " + std::string(to_string(s.sev)));
    }
    if (!rule.source_channels.empty()) {
        if (!listed(rule.source_channels, s.source.channel_id)) return std::nullopt;
        reasons.push_back("from channel " + s.source.channel_id);
    }
    if (reasons.empty()) return std::nullopt; // an empty rule never matches (config rejects it)
    std::string joined;
    for (const auto& r : reasons) joined += (joined.empty() ? "" : ", ") + r;
    return joined;
}

} // namespace

route_decision route(const journey_config& journey, const signal& s) {
    const auto words = words_of(s.description);
    for (const auto& rule : journey.rules) {
        if (auto why = match(rule, s, words)) return {rule.route_to, rule.name, *why};
    }
    return {journey.fallback, "", "no rule matched"};
}

} // namespace cxos
