#pragma once
// Grouping's rows, mapped once for both backends (sqlite_grouping.cpp, pg_grouping.cpp): the items
// a report may join with their reports' words, grouping events, and reroutes.
#include "storage/store.hpp"

#include <map>
#include <set>

namespace cxos::storage {

// Regressed items are open again: they take reports like any open item.
#define CXOS_OPEN_STATUSES "('new','routed','acknowledged','in_progress','regressed')"
#define CXOS_SELECT_GROUPING_ITEMS "SELECT id, title, stage, component, status, closed_at FROM items "
#define CXOS_SELECT_GROUPING_EVENTS "SELECT id, kind, signal_id, item_id, score, same, actor, at FROM grouping_events "
// Reroutes as the audit writes them ("billing -> identity"), with the item's words and first rule.
#define CXOS_SELECT_REROUTES                                                                       \
    "SELECT a.item_id, a.detail, i.title, i.rule, a.at FROM audit a JOIN items i ON i.id = a.item_id " \
    "WHERE a.action = 'reroute' ORDER BY a.id"

// Texts fetched per item: a few more than are kept, since repeats of the title (+1s, identical
// reports) are skipped.
inline std::int64_t texts_to_fetch(std::size_t texts) { return static_cast<std::int64_t>(texts) * 2 + 1; }

inline constexpr auto read_grouping_item = [](const auto& st) -> indexed_item {
    indexed_item it;
    it.id = st.int64(0);
    it.text = st.text(1);
    it.stage = st.text(2);
    if (!st.is_null(3)) it.comp = parse_component(st.text(3));
    const auto status = parse_item_status(st.text(4)).value_or(item_status::fresh);
    it.open = !is_closed(status);
    // Only a fix may come back as a regression; won't fix and duplicates never take reports.
    it.fixed_at = status == item_status::fixed ? st.int64(5) : 0;
    return it;
};

struct grouping_text {
    std::int64_t item_id = 0;
    std::string text;
};
inline constexpr auto read_grouping_text = [](const auto& st) -> grouping_text { return {st.int64(0), st.text(1)}; };

// Gives each item (in id order) its texts (in report order): distinct, not its title, at most `texts`.
inline void attach_texts(std::vector<indexed_item>& items, const std::vector<grouping_text>& rows, std::size_t texts) {
    std::map<std::int64_t, indexed_item*> by_id;
    for (auto& it : items) by_id[it.id] = &it;
    std::map<std::int64_t, std::set<std::string>> seen;
    for (const auto& r : rows) {
        auto found = by_id.find(r.item_id);
        if (found == by_id.end()) continue;
        auto& it = *found->second;
        if (it.other_texts.size() >= texts || r.text == it.text || !seen[r.item_id].insert(r.text).second) continue;
        it.other_texts.push_back(r.text);
    }
}

inline constexpr auto read_grouping_event = [](const auto& st) -> grouping_event {
    grouping_event e;
    e.id = st.int64(0);
    e.kind = st.text(1);
    e.signal_id = st.int64(2);
    e.item_id = st.int64(3);
    e.score = st.real(4);
    if (!st.is_null(5)) e.same = st.int64(5) != 0;
    e.actor = st.text(6);
    e.at = st.int64(7);
    return e;
};

// The INSERT's 7 parameters: kind, signal_id, item_id, score, same, actor, at.
template <class Binder> void bind_grouping_event(Binder& st, const grouping_event& e) {
    st.bind(1, e.kind).bind(2, e.signal_id).bind(3, e.item_id).bind(4, e.score);
    if (e.same) st.bind(5, std::int64_t{*e.same ? 1 : 0});
    else st.bind_null(5);
    st.bind(6, e.actor).bind(7, e.at);
}

// Rows whose detail is not "from -> to" (written by an older version) are skipped.
template <class Statement> std::vector<reroute_record> read_reroutes(Statement& st) {
    std::vector<reroute_record> out;
    while (st.step()) {
        reroute_record r;
        r.item_id = st.int64(0);
        if (!parse_reroute_detail(st.text(1), r.from, r.to)) continue;
        r.title = st.text(2);
        r.rule = st.text(3);
        r.at = st.int64(4);
        out.push_back(std::move(r));
    }
    st.reset();
    return out;
}

} // namespace cxos::storage
