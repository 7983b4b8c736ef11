#pragma once
// The items a new report may join, as grouping sees them: one similarity_index over the open
// items and the items fixed within the regression window, with their titles and a few of their
// reports' words. Intake asks it what a report reads like (decide) and tells it what changed.
//
// The regression window is the config's items.regression_window_days, so grouping and the
// regression check agree on which fixed items a new report reopens. Items closed without a fix
// are not candidates: "won't fix" is a decision the owner already made, and burying a new report
// on a closed item nobody watches would hide that the friction still costs; as a new item it
// reaches the owner and the council again, who can mark it a duplicate (a labelled pair). A
// duplicate's reports moved to the item it duplicates, which is itself a candidate: offering both
// would offer one friction twice.
//
// It lives on the storage thread: every call is made from inside a store job (intake runs
// there), so it has one writer and needs no lock; nothing on an io thread may touch it.
// The store stays the truth. The index may be ahead of it (a job rolled back after it added an
// item) or behind it (another instance on the same PostgreSQL created items), so every item it
// proposes is read back from the store before anyone sees it, and items created elsewhere are
// caught up by id before each decision: a primary-key range read, never a scan of every item.
#include "bot/core/config.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/similarity_index.hpp"
#include "storage/store.hpp"

namespace cxos::bot {

class grouping_index {
  public:
    // `settings.regression_window` is replaced by the items policy's.
    explicit grouping_index(const grouping_config& config, const item_policy& items = {},
                            similarity_settings settings = {});

    // Reads every item a report may join (at start; a first decide does it when nobody did).
    void load(storage::store& st, millis now);
    // What grouping makes of a report about to be stored: an item to join (auto_join), items to
    // offer beside a new one (suggest), or nothing (new_item). Titles and counts come from the store.
    grouping_offer decide(storage::store& st, const signal& s, millis now);

    // What changed: a new item (from its first report), a report joining an item, and any other
    // change to one item (closed, fixed, reopened, merged, a report split out of it) read back
    // from the store.
    void added(const item& it);
    void joined(std::int64_t item_id, std::string_view text);
    void refresh(storage::store& st, std::int64_t item_id);
    // Drops fixed items past the regression window (a timer calls it; it walks every item).
    std::size_t prune(millis now);

    std::size_t size() const { return index_.size(); }
    const grouping_thresholds& thresholds() const { return config_.thresholds; }
    // A reload's thresholds (from a store job, like every call). The language stays: the index
    // holds words stemmed in it.
    void set_thresholds(const grouping_thresholds& t) { config_.thresholds = t; }

  private:
    void catch_up(storage::store& st, millis now);
    void put(const indexed_item& it);
    std::size_t texts() const { return index_.settings().max_texts_per_item - 1; }

    grouping_config config_;
    similarity_index index_;
    bool loaded_ = false;
    std::int64_t last_id_ = 0; // the newest item id the index has seen
};

} // namespace cxos::bot
