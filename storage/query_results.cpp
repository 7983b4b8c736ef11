#include "storage/query_results.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace cxos::storage {

void check_schema_version(std::size_t current, std::size_t known) {
    if (current > known)
        throw store_error("database schema version " + std::to_string(current) + " is newer than this cxos (" +
                          std::to_string(known) + ")");
}

void count_fixed_item(closed_loop_stats& out, millis first_seen, std::int64_t notices, std::int64_t told,
                      millis last_told_at) {
    ++out.fixed_items;
    if (notices == 0 || told < notices) return;
    ++out.closed_loops;
    out.loop_times.push_back(std::max<millis>(0, last_told_at - first_seen));
}

void candidate_list::add_item(item it) {
    index_[it.id] = out_.size();
    out_.push_back({std::move(it), 0, false, {}, {}});
}

void candidate_list::set_last_week(std::int64_t item_id, int week_number) {
    auto at = index_.find(item_id);
    if (at == index_.end()) return;
    auto& c = out_[at->second];
    c.last_week = week_number;
    c.carried_over = c.it.decision.empty(); // decided items are followed up, not carried over
}

void candidate_list::add_vote(vote v) { votes_[v.item_id].push_back(std::move(v)); }

std::vector<agenda_candidate> candidate_list::take() {
    for (auto& [item_id, list] : votes_)
        if (auto at = index_.find(item_id); at != index_.end()) out_[at->second].votes = tally_of(list);
    votes_.clear();
    index_.clear();
    return std::move(out_);
}

namespace {

std::unordered_map<std::int64_t, kpi_item*> by_id(std::vector<kpi_item>& items) {
    std::unordered_map<std::int64_t, kpi_item*> out;
    for (auto& k : items) out[k.it.id] = &k;
    return out;
}

} // namespace

void attach_loops(std::vector<kpi_item>& items, const std::vector<loop_figures>& loops) {
    const auto index = by_id(items);
    for (const auto& l : loops) {
        auto at = index.find(l.item_id);
        if (at == index.end()) continue;
        at->second->loop_notices = l.notices;
        at->second->loop_told = l.told;
        at->second->loop_told_at = l.told_at;
    }
}

void attach_posts(std::vector<kpi_item>& items, const std::vector<post_figures>& posts) {
    const auto index = by_id(items);
    for (const auto& p : posts)
        if (auto at = index.find(p.item_id); at != index.end()) at->second->posts.push_back(p.post);
}

} // namespace cxos::storage
