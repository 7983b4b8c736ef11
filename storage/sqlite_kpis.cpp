// sqlite_store: the rows every KPI is computed from (commands/kpis.cpp does the arithmetic).
#include "storage/sqlite_rows.hpp"
#include "storage/sqlite_store.hpp"

#include <unordered_map>

namespace cxos::storage {

std::vector<kpi_item> sqlite_store::kpi_items() {
    auto& items = sql(CXOS_SELECT_ITEMS "WHERE status <> 'duplicate' ORDER BY id");
    auto out = read_all<kpi_item>(items, [this](const sqlite_statement& s) {
        kpi_item k;
        k.it = read_item(s);
        return k;
    });
    // Told = the notice's outbox row was delivered (the same rule as closed_loops()).
    auto& loops = sql("SELECT n.item_id, count(*), coalesce(sum(d.state = 'sent'), 0), "
                      "coalesce(max(CASE WHEN d.state = 'sent' THEN d.updated_at END), 0) "
                      "FROM loop_notices n LEFT JOIN deliveries d ON d.id = n.delivery_id GROUP BY n.item_id");
    std::unordered_map<std::int64_t, kpi_item*> by_id;
    for (auto& k : out) by_id[k.it.id] = &k;
    while (loops.step()) {
        auto at = by_id.find(loops.int64(0));
        if (at == by_id.end()) continue;
        at->second->loop_notices = static_cast<int>(loops.int64(1));
        at->second->loop_told = static_cast<int>(loops.int64(2));
        at->second->loop_told_at = loops.int64(3);
    }
    loops.reset();
    // Each item's delivered owner posts (a rerouted item has one per owner it had; the API keeps
    // those in its current owner's channels).
    auto& posts = sql("SELECT d.item_id, d.platform, d.channel, d.platform_ref, coalesce(t.tenant_id, '') "
                      "FROM deliveries d LEFT JOIN teams_conversations t ON t.conversation = d.channel "
                      "WHERE d.kind = 'routed_item' AND d.state = 'sent' AND d.platform_ref <> '' ORDER BY d.id");
    while (posts.step()) {
        auto at = by_id.find(posts.int64(0));
        if (at == by_id.end()) continue;
        at->second->posts.push_back({posts.text(1), posts.text(2), posts.text(3), posts.text(4)});
    }
    posts.reset();
    return out;
}

std::vector<kpi_signal> sqlite_store::kpi_signals() {
    auto& st = sql("SELECT id, item_id, created_at, stage, component, platform, contacts, channel_id FROM signals ORDER BY id");
    return read_all<kpi_signal>(st, [](const sqlite_statement& s) {
        kpi_signal k;
        k.id = s.int64(0);
        k.item_id = s.int64(1);
        k.at = s.int64(2);
        k.stage = s.text(3);
        if (!s.is_null(4)) k.comp = parse_component(s.text(4));
        k.source = s.text(5);
        k.contacts = static_cast<int>(s.int64(6));
        k.channel = s.text(7);
        return k;
    });
}

} // namespace cxos::storage
