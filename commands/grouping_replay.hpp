#pragma once
// Measures grouping on labelled reports: replays them one by one, as signals arriving, through
// a similarity_index and decide_grouping, and counts how often it joined, suggested or missed the
// right item. The benchmark and the regression test run it on tests/data/grouping/reports.tsv;
// a CX lead could run it on their own corrections to choose thresholds.
#include "commands/grouping.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cxos {

struct labelled_report {
    std::string group; // reports with the same group are one friction
    std::string stage;
    std::optional<component> comp;
    std::string text;
};

// Tab-separated `group, stage, component, text` lines; '#' lines are comments. Throws
// std::invalid_argument naming the line when one has the wrong number of fields or an unknown
// component.
std::vector<labelled_report> parse_labelled_reports(std::string_view tsv);

// The reports of every other group, chosen by a hash of the group name (part 0 or 1), so
// thresholds can be tuned on one half and checked on frictions they never saw.
std::vector<labelled_report> half_of(const std::vector<labelled_report>& reports, int part);

// The same reports in an order fixed by `seed` on every platform (std::shuffle's is not).
std::vector<labelled_report> shuffled(std::vector<labelled_report> reports, std::uint64_t seed);

struct replay_result {
    int reports = 0;
    int joinable = 0;      // reports whose friction already had an item when they arrived
    int auto_joins = 0;
    int right_auto_joins = 0;
    int not_auto_joined = 0; // joinable reports that were suggested or became new items…
    int right_suggested = 0; // …and of those, how many had the right item among the suggestions
    int fresh = 0;           // reports of a friction with no item yet…
    int fresh_suggested = 0; // …that were offered items anyway (noise in the ack)
    int items = 0;           // items created by the end (ideally: the number of groups)
    std::vector<std::string> wrong_joins; // "report -> item title (score)", for tuning
    std::vector<std::string> misses;      // joinable, right item not suggested

    double precision() const { return auto_joins ? double(right_auto_joins) / auto_joins : 1.0; }
    double recall() const { return joinable ? double(right_auto_joins) / joinable : 1.0; }
    double suggestion_hit_rate() const { return not_auto_joined ? double(right_suggested) / not_auto_joined : 1.0; }
    double noise_rate() const { return fresh ? double(fresh_suggested) / fresh : 0.0; }
};

// Replays `reports` in their order, as people would answer: a right auto-join stays and a wrong
// one is split out ("Not the same") into a new item; a suggested right item is picked, so the
// report joins it; otherwise the report becomes a new item. Joined reports add their words to
// the item (similarity_index::add_text).
// `background` items are in the index from the start and belong to no group: joining or
// suggesting one is never right (the benchmark's synthetic items at scale).
replay_result replay_grouping(const std::vector<labelled_report>& reports, const similarity_settings& similarity,
                              const grouping_thresholds& thresholds, const std::vector<indexed_item>& background = {});

} // namespace cxos
