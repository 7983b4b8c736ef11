#pragma once
// Grouping decides with people, not for them: a report that reads almost exactly like an open
// item joins it (and the ack offers "Not the same"); one that reads somewhat like a few items
// offers them ("Same as item 12?") beside "New item"; anything else starts a new item.
#include "commands/similarity_index.hpp"

#include <vector>

namespace cxos {

// The config's `grouping:` section. The defaults were chosen on half of the frictions in
// tests/data/grouping/reports.tsv and checked on the other half (bench/grouping_bench.cpp).
struct grouping_thresholds {
    // With the firmer stage and component penalties (similarity_settings) 0.46 joins as precisely
    // as 0.48 did before them, and more often.
    double auto_join = 0.46; // grouping.auto_join: at or above, the report joins the item
    double suggest = 0.12;   // grouping.suggest: at or above (and below auto_join), offer the item
    std::size_t max_suggestions = 3;
    // Joining needs this many shared words too: one rare word in common ("paused") can carry a
    // cosine past auto_join on its own, and a single word is too little to decide without asking.
    int min_shared_words = 2;
};

enum class grouping_verdict { auto_join, suggest, new_item };
std::string_view to_string(grouping_verdict v); // "auto_join", "suggest", "new_item"

struct grouping_decision {
    grouping_verdict verdict = grouping_verdict::new_item;
    // auto_join: the one item; suggest: 1 to max_suggestions items, best first; new_item: none.
    std::vector<similar_item> items;
};

// `ranked` is a similarity_index::query answer (best first). A close item that shares fewer than
// min_shared_words words is suggested rather than joined. A fixed item (the index holds only those
// fixed within the regression window) is joined like an open one: a report that reads as surely
// the same friction is the same evidence that the fix did not hold as a report in the same words,
// so the caller reopens it as regressed, and its reporter can still say *Not the same*.
grouping_decision decide_grouping(const std::vector<similar_item>& ranked, const grouping_thresholds& t);

} // namespace cxos
