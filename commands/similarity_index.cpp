#include "commands/similarity_index.hpp"

#include <algorithm>
#include <cmath>

namespace cxos {
namespace {

// Candidates a query reads are capped anyway; this many times exact_candidates of them are
// ranked by their partial score before the ineligible ones are dropped.
constexpr std::size_t preselect_factor = 4;

// A word in at most this many items may be a typo of a common one (see align_spelling).
constexpr std::size_t rare_typo_df = 2;

} // namespace

// A text's TF-IDF weights under the index's current document frequencies.
struct similarity_index::weighted {
    std::vector<std::pair<std::uint32_t, double>> weights; // distinct features, ascending
    double norm2 = 0;
};

similarity_index::similarity_index(text_language lang, similarity_settings settings)
    : lang_(lang), settings_(settings) {}

std::uint32_t similarity_index::intern(const std::string& s) {
    if (s.empty()) return 0;
    return names_.try_emplace(s, static_cast<std::uint32_t>(names_.size() + 1)).first->second;
}

std::uint32_t similarity_index::interned(std::string_view s) const {
    if (s.empty()) return 0;
    auto it = names_.find(std::string(s));
    return it == names_.end() ? ~0u : it->second; // ~0u: a stage no item has, so it differs from all
}

namespace {

std::vector<std::uint32_t> distinct_features(std::string_view tokens) {
    std::vector<std::uint32_t> all;
    for (auto text : split(tokens, '\n')) {
        auto words = split(text, ' ');
        auto f = word_features(words);
        all.insert(all.end(), f.begin(), f.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

std::size_t text_count(std::string_view tokens) { return 1 + std::count(tokens.begin(), tokens.end(), '\n'); }

} // namespace

void similarity_index::post(std::uint32_t ordinal, const entry& e) {
    for (auto f : distinct_features(e.tokens)) postings_[f].push_back(ordinal); // the newest: appended in order
}

void similarity_index::unpost(std::uint32_t ordinal, const entry& e) {
    for (auto f : distinct_features(e.tokens)) {
        auto p = postings_.find(f);
        auto& list = p->second;
        list.erase(std::lower_bound(list.begin(), list.end(), ordinal));
        if (list.empty()) postings_.erase(p);
    }
}

void similarity_index::insert(const indexed_item& it) {
    entry e;
    e.id = it.id;
    e.tokens = normalised_key(it.text, lang_);
    for (const auto& t : it.other_texts)
        if (text_count(e.tokens) < settings_.max_texts_per_item) e.tokens += "\n" + normalised_key(t, lang_);
    e.tokens.shrink_to_fit();
    e.stage = intern(it.stage);
    e.comp = it.comp ? static_cast<std::int8_t>(*it.comp) : std::int8_t{-1};
    e.open = it.open;
    e.fixed_at = it.fixed_at;
    const std::uint32_t ordinal = next_ordinal_++;
    post(ordinal, e);
    ordinal_of_.emplace(it.id, ordinal);
    entries_.emplace(ordinal, std::move(e));
}

bool similarity_index::add(const indexed_item& it) {
    if (contains(it.id)) return false;
    insert(it);
    return true;
}

bool similarity_index::update(const indexed_item& it) {
    if (!remove(it.id)) return false;
    insert(it); // a fresh ordinal: an item that just changed counts among the newest postings
    return true;
}

bool similarity_index::add_text(std::int64_t id, std::string_view text) {
    auto found = ordinal_of_.find(id);
    if (found == ordinal_of_.end()) return false;
    auto node = entries_.extract(found->second);
    entry& e = node.mapped();
    if (text_count(e.tokens) >= settings_.max_texts_per_item) {
        entries_.insert(std::move(node));
        return false;
    }
    unpost(found->second, e);
    e.tokens += "\n" + normalised_key(text, lang_);
    // Re-posted as the newest: an item people keep reporting stays within the posting budget.
    const std::uint32_t ordinal = next_ordinal_++;
    post(ordinal, e);
    found->second = ordinal;
    node.key() = ordinal;
    entries_.insert(std::move(node));
    return true;
}

bool similarity_index::remove(std::int64_t id) {
    auto found = ordinal_of_.find(id);
    if (found == ordinal_of_.end()) return false;
    auto e = entries_.find(found->second);
    unpost(found->second, e->second);
    entries_.erase(e);
    ordinal_of_.erase(found);
    return true;
}

std::size_t similarity_index::prune_fixed_before(millis cutoff) {
    std::vector<std::int64_t> stale;
    for (const auto& [ordinal, e] : entries_)
        if (!e.open && e.fixed_at < cutoff) stale.push_back(e.id);
    for (auto id : stale) remove(id);
    return stale.size();
}

double similarity_index::idf(std::uint32_t f) const {
    auto p = postings_.find(f);
    const double df = p == postings_.end() ? 0.0 : static_cast<double>(p->second.size());
    return std::log((static_cast<double>(size()) + 1.0) / (df + 1.0)) + 1.0;
}

similarity_index::weighted similarity_index::weigh(std::span<const std::uint32_t> features) const {
    weighted v;
    for (std::size_t i = 0; i < features.size();) {
        std::size_t run = i;
        while (run < features.size() && features[run] == features[i]) ++run;
        const std::uint32_t f = features[i];
        const double kind_weight = is_bigram(f) ? settings_.bigram_weight : 1.0;
        if (kind_weight > 0) {
            const double w = (1.0 + std::log(static_cast<double>(run - i))) * idf(f) * kind_weight;
            v.norm2 += w * w;
            v.weights.emplace_back(f, w);
        }
        i = run;
    }
    return v;
}

bool similarity_index::eligible(const entry& e, millis now) const {
    return e.open || (e.fixed_at > 0 && now - e.fixed_at <= settings_.regression_window);
}

// Reads the posting lists of the query's rarest features first, the newest items of each, until
// the budget is spent; returns the eligible items with the most shared weight.
std::vector<std::uint32_t> similarity_index::candidates(const std::vector<std::uint32_t>& features,
                                                        millis now) const {
    std::vector<std::pair<std::size_t, std::uint32_t>> by_rarity; // (df, feature)
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (i > 0 && features[i] == features[i - 1]) continue;
        if (auto p = postings_.find(features[i]); p != postings_.end())
            by_rarity.emplace_back(p->second.size(), features[i]);
    }
    std::sort(by_rarity.begin(), by_rarity.end());
    std::vector<std::pair<std::uint32_t, float>> hits; // (ordinal, weight)
    std::size_t budget = settings_.posting_budget;
    for (const auto& [df, f] : by_rarity) {
        if (budget == 0) break;
        const auto& list = postings_.at(f);
        const std::size_t take = std::min({df, settings_.posting_cap, budget});
        const double w = idf(f);
        for (auto it = list.end() - static_cast<std::ptrdiff_t>(take); it != list.end(); ++it)
            hits.emplace_back(*it, static_cast<float>(w * w));
        budget -= take;
    }
    std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::uint32_t, float>> summed;
    for (const auto& [ordinal, w] : hits) {
        if (!summed.empty() && summed.back().first == ordinal) summed.back().second += w;
        else summed.emplace_back(ordinal, w);
    }
    auto better = [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; };
    const std::size_t preselect = std::min(summed.size(), settings_.exact_candidates * preselect_factor);
    std::partial_sort(summed.begin(), summed.begin() + static_cast<std::ptrdiff_t>(preselect), summed.end(), better);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < preselect && out.size() < settings_.exact_candidates; ++i)
        if (eligible(entries_.at(summed[i].first), now)) out.push_back(summed[i].first);
    return out;
}

// Cosine of the query and one of an item's texts, after the query's typos take the text's spelling.
similar_item similarity_index::text_score(const std::vector<std::string_view>& query_tokens, const weighted& query,
                                          const std::vector<std::string_view>& text_tokens) const {
    auto rare = [this](std::string_view t) {
        auto p = postings_.find(word_feature(t));
        return p == postings_.end() || p->second.size() <= rare_typo_df;
    };
    const auto aligned = align_spelling(query_tokens, text_tokens, rare);
    const bool changed = aligned != query_tokens;
    const weighted q = changed ? weigh(word_features(aligned)) : weighted{};
    const weighted& qv = changed ? q : query;
    const weighted dv = weigh(word_features(text_tokens));
    double dot = 0;
    auto a = qv.weights.begin(), b = dv.weights.begin();
    while (a != qv.weights.end() && b != dv.weights.end()) {
        if (a->first < b->first) ++a;
        else if (b->first < a->first) ++b;
        else dot += (a++)->second * (b++)->second;
    }
    similar_item s;
    s.score = qv.norm2 > 0 && dv.norm2 > 0 ? std::min(1.0, dot / std::sqrt(qv.norm2 * dv.norm2)) : 0.0;
    for (std::size_t i = 0; i < aligned.size(); ++i)
        if (!is_mask_token(aligned[i]) && has(text_tokens, aligned[i]) &&
            std::find(aligned.begin(), aligned.begin() + static_cast<std::ptrdiff_t>(i), aligned[i]) ==
                aligned.begin() + static_cast<std::ptrdiff_t>(i))
            ++s.shared_words;
    return s;
}

std::vector<similar_item> similarity_index::query(const similarity_query& q, std::size_t k) const {
    const auto normalised = normalise(q.text, lang_);
    const std::vector<std::string_view> tokens(normalised.begin(), normalised.end());
    const auto features = word_features(tokens);
    if (features.empty() || k == 0) return {};
    const weighted qv = weigh(features);
    const std::uint32_t stage = interned(q.stage);
    std::vector<similar_item> out;
    for (std::uint32_t ordinal : candidates(features, q.now)) {
        const entry& e = entries_.at(ordinal);
        similar_item s;
        for (auto text : split(e.tokens, '\n'))
            if (auto t = text_score(tokens, qv, split(text, ' ')); t.score > s.score) s = t;
        s.id = e.id;
        s.open = e.open;
        if (stage != 0 && e.stage != 0 && stage != e.stage) s.score *= settings_.stage_mismatch;
        if (q.comp && e.comp >= 0 && static_cast<std::int8_t>(*q.comp) != e.comp) s.score *= settings_.component_mismatch;
        if (s.score > 0) out.push_back(s);
    }
    std::sort(out.begin(), out.end(), [](const similar_item& x, const similar_item& y) {
        return x.score != y.score ? x.score > y.score : x.id < y.id;
    });
    if (out.size() > k) out.resize(k);
    return out;
}

std::size_t similarity_index::memory_bytes() const {
    // libstdc++ hash nodes: the value, a next pointer and (for these keys) no cached hash.
    constexpr std::size_t node = sizeof(void*);
    std::size_t bytes = 0;
    for (const auto& [ordinal, e] : entries_) bytes += sizeof(ordinal) + sizeof(e) + node + (e.tokens.capacity() > 15 ? e.tokens.capacity() + 1 : 0);
    for (const auto& [f, list] : postings_) bytes += sizeof(f) + sizeof(list) + node + list.capacity() * 4;
    bytes += ordinal_of_.size() * (sizeof(std::pair<std::int64_t, std::uint32_t>) + node);
    bytes += (entries_.bucket_count() + postings_.bucket_count() + ordinal_of_.bucket_count()) * sizeof(void*);
    return bytes;
}

} // namespace cxos
