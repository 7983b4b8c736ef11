// sqlite_store: what grouping reads and writes (storage/grouping_rows.hpp maps the rows).
#include "storage/grouping_rows.hpp"
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

std::vector<indexed_item> sqlite_store::grouping_items(std::int64_t after_id, millis fixed_since, std::size_t texts) {
    auto& items = sql(CXOS_SELECT_GROUPING_ITEMS "WHERE id > ?1 AND (status IN " CXOS_OPEN_STATUSES
                      " OR (status = 'fixed' AND closed_at >= ?2)) ORDER BY id");
    items.bind(1, after_id).bind(2, fixed_since);
    auto out = read_all<indexed_item>(items, read_grouping_item);
    if (out.empty() || texts == 0) return out;
    // Each item's first reports, numbered per item; the signals_by_item index serves the partition.
    auto& rows = sql("SELECT s.item_id, s.description FROM (SELECT item_id, description, id, "
                     "row_number() OVER (PARTITION BY item_id ORDER BY id) AS n FROM signals WHERE item_id > ?1) s "
                     "JOIN items i ON i.id = s.item_id WHERE s.n <= ?3 AND (i.status IN " CXOS_OPEN_STATUSES
                     " OR (i.status = 'fixed' AND i.closed_at >= ?2)) ORDER BY s.item_id, s.id");
    rows.bind(1, after_id).bind(2, fixed_since).bind(3, texts_to_fetch(texts));
    attach_texts(out, read_all<grouping_text>(rows, read_grouping_text), texts);
    return out;
}

std::optional<indexed_item> sqlite_store::grouping_item(std::int64_t id, std::size_t texts) {
    auto& item = sql(CXOS_SELECT_GROUPING_ITEMS "WHERE id = ?");
    item.bind(1, id);
    auto found = read_one<indexed_item>(item, read_grouping_item);
    if (!found) return found;
    auto& rows = sql("SELECT item_id, description FROM signals WHERE item_id = ? ORDER BY id LIMIT ?");
    rows.bind(1, id).bind(2, texts_to_fetch(texts));
    std::vector<indexed_item> one{*found};
    attach_texts(one, read_all<grouping_text>(rows, read_grouping_text), texts);
    return one.front();
}

void sqlite_store::move_signal(std::int64_t signal_id, std::int64_t to_item) {
    auto& from = sql("SELECT item_id FROM signals WHERE id = ?");
    from.bind(1, signal_id);
    const auto from_item = read_one<std::int64_t>(from, read_int64);
    if (!from_item) return;
    auto& st = sql("UPDATE signals SET item_id = ? WHERE id = ?");
    st.bind(1, to_item).bind(2, signal_id);
    st.run();
    recount(*from_item);
    recount(to_item);
}

void sqlite_store::insert_grouping_event(const grouping_event& e) {
    auto& st = sql("INSERT INTO grouping_events (kind, signal_id, item_id, score, same, actor, at) VALUES (?,?,?,?,?,?,?)");
    bind_grouping_event(st, e);
    st.run();
}

std::vector<grouping_event> sqlite_store::grouping_events(millis since) {
    auto& st = sql(CXOS_SELECT_GROUPING_EVENTS "WHERE at >= ? ORDER BY id");
    st.bind(1, since);
    return read_all<grouping_event>(st, read_grouping_event);
}

std::vector<grouping_event> sqlite_store::grouping_events_of_signal(std::int64_t signal_id) {
    auto& st = sql(CXOS_SELECT_GROUPING_EVENTS "WHERE signal_id = ? ORDER BY id");
    st.bind(1, signal_id);
    return read_all<grouping_event>(st, read_grouping_event);
}

std::vector<reroute_record> sqlite_store::reroutes() {
    auto& st = sql(CXOS_SELECT_REROUTES);
    return read_reroutes(st);
}

} // namespace cxos::storage
