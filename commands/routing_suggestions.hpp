#pragma once
// Routing that learns where rules fall short: when owners keep rerouting items from one owner to
// the same other owner and those items share a word, cxos suggests the rule that would have sent
// them right ("4 reroutes from triage to identity mention 'sso': add `when: { keywords: [sso] }
// → identity`?"), with the YAML to paste. A suggestion only: the config is the CX lead's.
#include "commands/journey.hpp"
#include "commands/message.hpp"
#include "commands/text_normaliser.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cxos {

// One reroute from the audit trail, with the item's words.
struct reroute_record {
    std::int64_t item_id = 0;
    std::string from; // the owner it left
    std::string to;   // the owner it went to
    std::string title;
    std::string rule; // the rule that routed the item first ("" = the fallback)
    millis at = 0;
};

// "billing -> identity" as the audit writes a reroute; false when `detail` is not of that shape.
bool parse_reroute_detail(std::string_view detail, std::string& from, std::string& to);

struct rule_suggestion {
    std::string from, to;
    std::string keyword;   // as people write it, lower case: "sso"
    int reroutes = 0;      // items rerouted from -> to whose words include it
    std::vector<std::string> rules; // the rules that routed those items first ("" = fallback)
    std::string key() const { return from + "->" + to + ":" + keyword; } // once per key
    std::string yaml() const; // the rule to paste under routing.rules
};

// At least `min_reroutes` items rerouted from one owner to the same other owner that share a
// word: the word most of them share (ties: the alphabetically first), one suggestion per pair of
// owners, most reroutes first. Words already a keyword of a rule to that owner, stop words and
// masked numbers or ids are never suggested. An item counts once per pair however often moved.
std::vector<rule_suggestion> suggest_routing_rules(const std::vector<reroute_record>& reroutes,
                                                   const journey_config& journey, text_language lang,
                                                   int min_reroutes = 3);

// The CX lead's message: the sentence, the YAML, and where the rule goes (above the rules that
// misrouted them, since the first matching rule wins).
neutral_message render_rule_suggestion(const rule_suggestion& s);
// The suggestions as `stats routing` lists them under the accuracy figures.
void add_rule_suggestions(neutral_message& stats, const std::vector<rule_suggestion>& suggestions);

} // namespace cxos
