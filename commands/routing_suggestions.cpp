#include "commands/routing_suggestions.hpp"

#include "commands/item_views.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace cxos {

namespace {

// The words of a title as a routing keyword matches them: folded, lower case, letters and digits.
std::vector<std::string> plain_words(std::string_view title) {
    std::vector<std::string> out;
    std::string word;
    for (char c : fold_text(title) + " ") {
        const bool part = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (part) word += c;
        else if (!word.empty()) out.push_back(std::exchange(word, {}));
    }
    return out;
}

bool has_digit(const std::string& w) { return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }); }

// Words already routing to `owner`: suggesting them again would change nothing.
std::set<std::string> keywords_to(const journey_config& journey, const std::string& owner) {
    std::set<std::string> out;
    for (const auto& r : journey.rules)
        if (r.route_to == owner)
            for (const auto& k : r.keywords) out.insert(fold_text(k));
    return out;
}

std::string rule_name(const std::string& keyword, const std::string& to) {
    std::string name = keyword + "-to-" + to;
    std::replace(name.begin(), name.end(), ' ', '-');
    return name;
}

} // namespace

bool parse_reroute_detail(std::string_view detail, std::string& from, std::string& to) {
    const auto arrow = detail.find(" -> ");
    if (arrow == std::string_view::npos || arrow == 0 || arrow + 4 >= detail.size()) return false;
    from = std::string(detail.substr(0, arrow));
    to = std::string(detail.substr(arrow + 4));
    return true;
}

std::string rule_suggestion::yaml() const {
    return "- name: " + rule_name(keyword, to) + "\n  when: { keywords: [" + keyword + "] }\n  route_to: " + to;
}

std::vector<rule_suggestion> suggest_routing_rules(const std::vector<reroute_record>& reroutes,
                                                   const journey_config& journey, text_language lang,
                                                   int min_reroutes) {
    struct word_count {
        std::set<std::int64_t> items;
        std::map<std::string, int> spellings;
        std::set<std::string> rules;
    };
    std::map<std::pair<std::string, std::string>, std::map<std::string, word_count>> pairs; // (from,to) -> stem
    std::set<std::pair<std::pair<std::string, std::string>, std::int64_t>> counted;
    for (const auto& r : reroutes) {
        const auto pair = std::make_pair(r.from, r.to);
        if (r.from == r.to || !counted.emplace(pair, r.item_id).second) continue;
        std::set<std::string> seen; // each stem once per item
        for (const auto& w : plain_words(r.title)) {
            if (w.size() < 2 || has_digit(w)) continue;
            auto tokens = normalise(w, lang); // drops stop words, stems the rest
            if (tokens.size() != 1 || is_mask_token(tokens.front()) || !seen.insert(tokens.front()).second) continue;
            auto& c = pairs[pair][tokens.front()];
            c.items.insert(r.item_id);
            ++c.spellings[w];
            c.rules.insert(r.rule);
        }
    }
    std::vector<rule_suggestion> out;
    for (const auto& [pair, stems] : pairs) {
        const auto known = keywords_to(journey, pair.second);
        const std::pair<const std::string, word_count>* best = nullptr;
        std::string best_word;
        for (const auto& entry : stems) {
            const auto& c = entry.second;
            if (static_cast<int>(c.items.size()) < min_reroutes) continue;
            // The spelling most of them use; a keyword matches whole words, so that one is pasted.
            auto spelling = std::max_element(c.spellings.begin(), c.spellings.end(),
                                             [](const auto& a, const auto& b) { return a.second < b.second; })->first;
            if (known.contains(spelling)) continue;
            if (!best || c.items.size() > best->second.items.size()) best = &entry, best_word = spelling;
        }
        if (!best) continue;
        rule_suggestion s;
        s.from = pair.first;
        s.to = pair.second;
        s.keyword = best_word;
        s.reroutes = static_cast<int>(best->second.items.size());
        s.rules.assign(best->second.rules.begin(), best->second.rules.end());
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.reroutes > b.reroutes; });
    return out;
}

namespace {

std::string sentence(const rule_suggestion& s) {
    return plural(s.reroutes, "reroute") + " from " + s.from + " to " + s.to + " mention '" + s.keyword +
           "': add `when: { keywords: [" + s.keyword + "] }` → " + s.to + "?";
}

std::string placement(const rule_suggestion& s) {
    std::vector<std::string> named;
    for (const auto& r : s.rules)
        if (!r.empty()) named.push_back("`" + r + "`");
    if (named.empty()) return "Paste it under routing.rules in the cxos config; those items reached " + s.from +
                              " through the fallback, so any place in the list works.";
    std::string list;
    for (std::size_t i = 0; i < named.size(); ++i) list += (i ? ", " : "") + named[i];
    return "Paste it under routing.rules in the cxos config, above " + list +
           " (the first rule that matches wins), and restart cxos.";
}

} // namespace

neutral_message render_rule_suggestion(const rule_suggestion& s) {
    neutral_message m;
    m.title = "A routing rule to consider";
    m.text = sentence(s) + "\n```\n" + s.yaml() + "\n```\n" + placement(s);
    m.context = "cxos suggests and never edits the config. `/friction stats routing` lists every suggestion.";
    return m;
}

void add_rule_suggestions(neutral_message& stats, const std::vector<rule_suggestion>& suggestions) {
    for (const auto& s : suggestions)
        stats.fields.push_back({"Suggested rule", sentence(s) + "\n```\n" + s.yaml() + "\n```"});
}

} // namespace cxos
