#include "commands/grouping.hpp"

namespace cxos {

std::string_view to_string(grouping_verdict v) {
    switch (v) {
    case grouping_verdict::auto_join: return "auto_join";
    case grouping_verdict::suggest: return "suggest";
    case grouping_verdict::new_item: return "new_item";
    }
    return "new_item";
}

grouping_decision decide_grouping(const std::vector<similar_item>& ranked, const grouping_thresholds& t) {
    grouping_decision d;
    if (ranked.empty()) return d;
    const auto& best = ranked.front();
    if (best.score >= t.auto_join && best.shared_words >= t.min_shared_words) {
        d.verdict = grouping_verdict::auto_join;
        d.items.push_back(best);
        return d;
    }
    for (const auto& c : ranked)
        if (c.score >= t.suggest && d.items.size() < t.max_suggestions) d.items.push_back(c);
    if (!d.items.empty()) d.verdict = grouping_verdict::suggest;
    return d;
}

} // namespace cxos
