#pragma once
// The items a new signal may belong to (open ones, and fixed ones within the regression window),
// held in memory so the question "which items read like this report?" is answered from an
// inverted index, never by scanning every item.
//
// A report and an item's text are compared by TF-IDF cosine over the words of their normalised
// tokens (word pairs too, when bigram_weight says so), after lining up typos: a report word the item lacks counts as the
// item's word when they are one edit apart (two for long words), so "invioce" meets "invoice"
// and "vidoes" meets "videos". Candidates come from the posting lists of the report's rarest
// features first, within a fixed budget of postings, so a query costs about the same at 1k and
// 100k items; only the best few candidates are scored exactly.
//
// Thread-compatible: one writer; concurrent const calls are safe while nobody writes.
// Deterministic: the same items and query give the same answer; equal scores rank by item id.
#include "commands/domain.hpp"
#include "commands/text_normaliser.hpp"
#include "commands/word_features.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace cxos {

// What grouping needs to know of one item. Not its owner: a signal's owner is routed from its
// own words, stage and component, and a rerouted item's owner would count against its own reports.
struct indexed_item {
    std::int64_t id = 0;
    std::string text; // the item's title: its first report's description
    // Descriptions of reports that joined it since (at most max_texts_per_item - 1 count): an item
    // matches a new report as well as its closest text does, so it learns its reporters' words.
    std::vector<std::string> other_texts;
    std::string stage;
    std::optional<component> comp;
    bool open = true;
    millis fixed_at = 0; // set when it was fixed: a new report within the window may be a regression
};

struct similarity_settings {
    // A word pair's weight in the score relative to a single word. Pairs always help find
    // candidates (they are rarer than words); in the score they did not help on the labelled set.
    double bigram_weight = 0.0;
    // × when both name a stage / a component and they differ. Reports of one friction rarely name
    // another component, and seldom another stage; the labelled set's near misses often do, so a
    // firm penalty ranks the right item among the first three where words alone tie (with
    // 0.95 / 0.8 the worst of 20 orders had it there 0.883 of the time, now 0.904).
    double stage_mismatch = 0.8;
    double component_mismatch = 0.6;
    millis regression_window = 14LL * 24 * 3600 * 1000; // fixed items stay candidates this long
    std::size_t max_texts_per_item = 6; // the title and the first few joined reports
    // Bounds on one query's work, whatever the number of items:
    std::size_t posting_budget = 6000; // postings read in all
    std::size_t posting_cap = 1500;    // postings read from one feature (its newest items)
    std::size_t exact_candidates = 48; // items scored exactly
};

struct similarity_query {
    std::string_view text;
    std::string_view stage;        // "" when the reporter gave none
    std::optional<component> comp; // nullopt when the reporter gave none
    millis now = 0;                // for the regression window
};

struct similar_item {
    std::int64_t id = 0;
    double score = 0;     // in [0,1]; 1 = the same words, stage and component
    int shared_words = 0; // distinct words (not masks) the report shares with the item's closest text
    bool open = true;
};

class similarity_index {
public:
    explicit similarity_index(text_language lang, similarity_settings settings = {});

    // False (and nothing changes) when the id is already there / not there.
    bool add(const indexed_item& it);
    bool update(const indexed_item& it);
    bool remove(std::int64_t id);
    // A report joined the item: its words count for the item from now on. False when the item
    // is unknown or already holds max_texts_per_item texts (the first ones are kept).
    bool add_text(std::int64_t id, std::string_view text);
    // Drops the closed items that can no longer be candidates: fixed before `cutoff` (now minus
    // the regression window) or closed without a fix. A housekeeping timer calls it, off the
    // request path (it walks every item), so memory stays bounded by open items and recent
    // fixes. Returns how many it dropped.
    std::size_t prune_fixed_before(millis cutoff);

    bool contains(std::int64_t id) const { return ordinal_of_.contains(id); }
    std::size_t size() const { return ordinal_of_.size(); }
    const similarity_settings& settings() const { return settings_; }

    // The k best candidates, best first, scores > 0; equal scores rank by lower (older) id.
    std::vector<similar_item> query(const similarity_query& q, std::size_t k) const;

    // An estimate of the heap the index holds: entries, tokens and posting lists.
    std::size_t memory_bytes() const;

private:
    struct entry {
        std::int64_t id = 0;
        std::string tokens; // each text's normalised tokens joined by ' ', texts joined by '\n'
        millis fixed_at = 0;
        std::uint32_t stage = 0; // interned; 0 = none
        std::int8_t comp = -1;   // component as a number; -1 = none
        bool open = true;
    };
    struct weighted;

    void insert(const indexed_item& it);
    void post(std::uint32_t ordinal, const entry& e);
    void unpost(std::uint32_t ordinal, const entry& e);
    std::uint32_t intern(const std::string& s);
    std::uint32_t interned(std::string_view s) const;
    double idf(std::uint32_t feature) const;
    weighted weigh(std::span<const std::uint32_t> features) const;
    bool eligible(const entry& e, millis now) const;
    std::vector<std::uint32_t> candidates(const std::vector<std::uint32_t>& features, millis now) const;
    similar_item text_score(const std::vector<std::string_view>& query_tokens, const weighted& query,
                            const std::vector<std::string_view>& text_tokens) const;

    text_language lang_;
    similarity_settings settings_;
    std::uint32_t next_ordinal_ = 0; // postings are kept in ordinal order: newest last
    std::unordered_map<std::int64_t, std::uint32_t> ordinal_of_;
    std::unordered_map<std::uint32_t, entry> entries_;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> postings_;
    std::unordered_map<std::string, std::uint32_t> names_; // stages, interned
};

} // namespace cxos
