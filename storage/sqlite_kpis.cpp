// sqlite_store: the rows every KPI is computed from (commands/kpis.cpp does the arithmetic).
#include "storage/query_results.hpp"
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

std::vector<kpi_item> sqlite_store::kpi_items() {
    auto& items = sql(CXOS_SELECT_ITEMS "WHERE status <> 'duplicate' ORDER BY id");
    auto out = read_all<kpi_item>(items, read_kpi_item);
    // Told = the notice's outbox row was delivered (the same rule as closed_loops()).
    auto& loops = sql("SELECT n.item_id, count(*), coalesce(sum(d.state = 'sent'), 0), "
                      "coalesce(max(CASE WHEN d.state = 'sent' THEN d.updated_at END), 0) "
                      "FROM loop_notices n LEFT JOIN deliveries d ON d.id = n.delivery_id GROUP BY n.item_id");
    attach_loops(out, read_all<loop_figures>(loops, read_loop_figures));
    // Each item's delivered owner posts (a rerouted item has one per owner it had; the API keeps
    // those in its current owner's channels).
    auto& posts = sql(CXOS_SELECT_ITEM_POSTS);
    attach_posts(out, read_all<post_figures>(posts, read_post_figures));
    return out;
}

std::vector<kpi_signal> sqlite_store::kpi_signals() {
    auto& st = sql("SELECT id, item_id, created_at, stage, component, platform, contacts, channel_id FROM signals ORDER BY id");
    return read_all<kpi_signal>(st, read_kpi_signal);
}

} // namespace cxos::storage
