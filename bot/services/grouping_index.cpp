#include "bot/services/grouping_index.hpp"

#include "bot/core/log.hpp"
#include "commands/kpis.hpp"

#include <algorithm>

namespace cxos::bot {

namespace {

similarity_settings with_window(similarity_settings settings, const item_policy& items) {
    settings.regression_window = static_cast<millis>(items.regression_window_days) * kpi_day_ms;
    return settings;
}

} // namespace

grouping_index::grouping_index(const grouping_config& config, const item_policy& items, similarity_settings settings)
    : config_(config), index_(config.language, with_window(settings, items)) {}

void grouping_index::put(const indexed_item& it) {
    // An id seen before is replaced: SQLite may hand out the id of a rolled-back item again.
    if (!index_.update(it)) index_.add(it);
    last_id_ = std::max(last_id_, it.id);
}

void grouping_index::load(storage::store& st, millis now) {
    const millis fixed_since = now - index_.settings().regression_window;
    for (const auto& it : st.grouping_items(0, fixed_since, texts())) put(it);
    loaded_ = true;
    log_info("grouping index loaded", {{"items", index_.size()}, {"bytes", index_.memory_bytes()}});
}

void grouping_index::catch_up(storage::store& st, millis now) {
    if (!loaded_) return load(st, now);
    const millis fixed_since = now - index_.settings().regression_window;
    for (const auto& it : st.grouping_items(last_id_, fixed_since, texts())) put(it);
}

grouping_offer grouping_index::decide(storage::store& st, const signal& s, millis now) {
    catch_up(st, now);
    const auto& t = config_.thresholds;
    const auto ranked = index_.query({s.description, s.stage, s.comp, now}, t.max_suggestions + 2);
    // The store has the last word on every candidate: one the index holds wrongly is dropped there.
    std::vector<similar_item> checked;
    std::vector<item> rows;
    for (auto candidate : ranked) {
        auto row = st.find_item_summary(candidate.id);
        const bool fixed = row && row->status == item_status::fixed;
        if (!row || (is_closed(row->status) && !fixed)) {
            index_.remove(candidate.id);
            continue;
        }
        candidate.open = !fixed;
        checked.push_back(candidate);
        rows.push_back(*row);
    }
    const auto decision = decide_grouping(checked, t);
    grouping_offer offer;
    offer.verdict = decision.verdict;
    offer.at = now;
    for (const auto& d : decision.items) {
        auto row = std::find_if(rows.begin(), rows.end(), [&](const item& r) { return r.id == d.id; });
        offer.items.push_back({d.id, row->title, row->counts.reports, d.score, d.open ? 0 : row->fixed_at});
    }
    return offer;
}

void grouping_index::added(const item& it) {
    indexed_item entry;
    entry.id = it.id;
    entry.text = it.title;
    entry.stage = it.stage;
    entry.comp = it.comp;
    put(entry);
}

void grouping_index::joined(std::int64_t item_id, std::string_view text) { index_.add_text(item_id, text); }

void grouping_index::refresh(storage::store& st, std::int64_t item_id) {
    auto it = st.grouping_item(item_id, texts());
    // Closed without a fix (won't fix, a duplicate): no report joins it again.
    if (!it || (!it->open && it->fixed_at == 0)) index_.remove(item_id);
    else put(*it);
}

std::size_t grouping_index::prune(millis now) { return index_.prune_fixed_before(now - index_.settings().regression_window); }

} // namespace cxos::bot
