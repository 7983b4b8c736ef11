// pg_store: what grouping reads and writes (the SQL of sqlite_grouping.cpp; grouping_rows.hpp
// maps the rows for both).
#include "storage/grouping_rows.hpp"
#include "storage/pg_store.hpp"
#include "storage/row_mapping.hpp"

namespace cxos::storage {

std::vector<indexed_item> pg_store::grouping_items(std::int64_t after_id, millis fixed_since, std::size_t texts) {
    auto items = run_with(CXOS_SELECT_GROUPING_ITEMS "WHERE id > $1 AND (status IN " CXOS_OPEN_STATUSES
                          " OR (status = 'fixed' AND closed_at >= $2)) ORDER BY id",
                          after_id, fixed_since);
    auto out = read_all<indexed_item>(items, read_grouping_item);
    if (out.empty() || texts == 0) return out;
    auto rows = run_with("SELECT s.item_id, s.description FROM (SELECT item_id, description, id, "
                         "row_number() OVER (PARTITION BY item_id ORDER BY id) AS n FROM signals WHERE item_id > $1) s "
                         "JOIN items i ON i.id = s.item_id WHERE s.n <= $3 AND (i.status IN " CXOS_OPEN_STATUSES
                         " OR (i.status = 'fixed' AND i.closed_at >= $2)) ORDER BY s.item_id, s.id",
                         after_id, fixed_since, texts_to_fetch(texts));
    attach_texts(out, read_all<grouping_text>(rows, read_grouping_text), texts);
    return out;
}

std::optional<indexed_item> pg_store::grouping_item(std::int64_t id, std::size_t texts) {
    auto item = run_with(CXOS_SELECT_GROUPING_ITEMS "WHERE id = $1", id);
    auto found = read_one<indexed_item>(item, read_grouping_item);
    if (!found) return found;
    auto rows = run_with("SELECT item_id, description FROM signals WHERE item_id = $1 ORDER BY id LIMIT $2", id,
                         texts_to_fetch(texts));
    std::vector<indexed_item> one{*found};
    attach_texts(one, read_all<grouping_text>(rows, read_grouping_text), texts);
    return one.front();
}

void pg_store::move_signal(std::int64_t signal_id, std::int64_t to_item) {
    auto from = run_with("SELECT item_id FROM signals WHERE id = $1", signal_id);
    const auto from_item = read_one<std::int64_t>(from, read_int64);
    if (!from_item) return;
    run_with("UPDATE signals SET item_id = $1 WHERE id = $2", to_item, signal_id);
    recount(*from_item);
    recount(to_item);
}

void pg_store::insert_grouping_event(const grouping_event& e) {
    pg_params params;
    bind_grouping_event(params, e);
    run("INSERT INTO grouping_events (kind, signal_id, item_id, score, same, actor, at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        params);
}

std::vector<grouping_event> pg_store::grouping_events(millis since) {
    auto rows = run_with(CXOS_SELECT_GROUPING_EVENTS "WHERE at >= $1 ORDER BY id", since);
    return read_all<grouping_event>(rows, read_grouping_event);
}

std::vector<grouping_event> pg_store::grouping_events_of_signal(std::int64_t signal_id) {
    auto rows = run_with(CXOS_SELECT_GROUPING_EVENTS "WHERE signal_id = $1 ORDER BY id", signal_id);
    return read_all<grouping_event>(rows, read_grouping_event);
}

std::vector<reroute_record> pg_store::reroutes() {
    auto rows = run(CXOS_SELECT_REROUTES);
    return read_reroutes(rows);
}

} // namespace cxos::storage
