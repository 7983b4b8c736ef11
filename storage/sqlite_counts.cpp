// sqlite_store: an item's report counts, kept pending within a transaction (see sqlite_store.hpp).
#include "storage/row_mapping.hpp"
#include "storage/sqlite_store.hpp"

#include <algorithm>

namespace cxos::storage {

namespace {

void add_report(item_counts& c, bool new_reporter, bool new_customer, millis at) {
    ++c.reports;
    c.reporters += new_reporter ? 1 : 0;
    c.customers += new_customer ? 1 : 0;
    if (c.first_seen == 0 || at < c.first_seen) c.first_seen = at;
    c.last_seen = std::max(c.last_seen, at);
}

} // namespace

item_counts sqlite_store::count_report(std::int64_t item_id, const signal& s) {
    // Runs before the signal is stored, so "new reporter" and "new customer" see only the others;
    // the signals stored earlier in the transaction are rows already, so they count as others.
    // One probe at a time, each only when the answer is still open: on a busy item the counts are
    // pending and its reporter has reported before, so one index seek answers (SQLite evaluates
    // every subquery of one statement, needed or not).
    auto pending = pending_counts_.find(item_id);
    item_counts counts;
    if (pending != pending_counts_.end()) {
        counts = pending->second;
    } else {
        auto& row = prepared("SELECT " CXOS_ITEM_COUNT_COLUMNS " FROM items WHERE id = ?");
        row.bind(1, item_id);
        if (!row.step()) {
            row.reset();
            return {}; // no such item: nothing to count, as an UPDATE of no row would
        }
        counts = read_item_counts(row, 0);
        row.reset();
    }
    bool new_reporter = !prepared("SELECT 1 FROM signals WHERE item_id = ? AND platform = ? AND user_id = ?")
                             .bind(1, item_id)
                             .bind(2, s.source.platform)
                             .bind(3, s.source.user_id)
                             .finds_row();
    if (new_reporter)
        new_reporter = !prepared("SELECT 1 FROM reporters r JOIN signals s ON s.id = r.signal_id "
                                 "WHERE r.platform = ? AND r.user_id = ? AND s.item_id = ?")
                            .bind(1, s.source.platform)
                            .bind(2, s.source.user_id)
                            .bind(3, item_id)
                            .finds_row();
    const bool new_customer = !s.customer.empty() &&
                              !prepared("SELECT 1 FROM signals WHERE item_id = ? AND customer <> '' "
                                        "AND lower(customer) = lower(?)")
                                   .bind(1, item_id)
                                   .bind(2, s.customer)
                                   .finds_row();
    add_report(counts, new_reporter, new_customer, s.created_at);
    if (!in_transaction_) {
        write_counts(item_id, counts); // outside a transaction (an admin tool, a test) nothing would later
        return counts;
    }
    note_undo(item_id);
    pending_counts_[item_id] = counts;
    return counts;
}

void sqlite_store::write_counts(std::int64_t item_id, const item_counts& c) {
    auto& write = prepared("UPDATE items SET reports = ?, reporters = ?, customers = ?, first_seen = ?, "
                           "last_seen = ? WHERE id = ?");
    write.bind(1, c.reports).bind(2, c.reporters).bind(3, c.customers);
    write.bind(4, c.first_seen).bind(5, c.last_seen).bind(6, item_id);
    write.run();
}

void sqlite_store::flush_counts() {
    // One at a time, each forgotten once written: a statement after this one may change the row
    // (a recount, a reporter added), and the next report must read it again.
    while (!pending_counts_.empty()) {
        const auto [item_id, c] = *pending_counts_.begin();
        write_counts(item_id, c);
        note_undo(item_id); // a job rolled back after this write needs them pending again
        pending_counts_.erase(item_id);
    }
}

void sqlite_store::forget_pending() {
    pending_counts_.clear();
    undo_.clear();
    open_item_read_.reset();
}

void sqlite_store::note_undo(std::int64_t item_id) {
    if (!in_savepoint_) return;
    auto at = pending_counts_.find(item_id);
    undo_.push_back({item_id, at == pending_counts_.end() ? std::nullopt : std::optional<item_counts>(at->second)});
}

void sqlite_store::patch_counts(item& it) const {
    auto pending = pending_counts_.find(it.id);
    if (pending == pending_counts_.end()) return;
    it.counts.reports = pending->second.reports;
    it.counts.reporters = pending->second.reporters;
    it.counts.customers = pending->second.customers;
    it.counts.first_seen = pending->second.first_seen;
    it.counts.last_seen = pending->second.last_seen;
}

} // namespace cxos::storage
