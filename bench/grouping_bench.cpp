// Grouping benchmark. (a) Quality: replays tests/data/grouping/reports.tsv as signals arriving
// one by one and prints auto-join precision and recall, how often the right item was among the
// suggestions when it was not joined, and how often a new friction was offered items anyway.
// (b) Scale: the time per query and the index's memory at 1k, 10k and 100k synthetic items, and
// the same quality figures with those items in the index as distractors.
//
//   cxos_grouping_bench [--explain] [reports.tsv]
// --explain lists the worst order's wrong joins and missed suggestions (for tuning).
#include "commands/grouping_replay.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace cxos;

namespace {

constexpr std::uint64_t fixed_order = 1; // the order the regression test replays too
constexpr int seeds = 20;

void print_quality(const char* name, const replay_result& r) {
    std::printf("  %-22s precision %.3f (%d/%d)  recall %.3f (%d/%d)  right among suggestions %.3f (%d/%d)  "
                "new frictions offered items %.2f  items %d\n",
                name, r.precision(), r.right_auto_joins, r.auto_joins, r.recall(), r.right_auto_joins, r.joinable,
                r.suggestion_hit_rate(), r.right_suggested, r.not_auto_joined, r.noise_rate(), r.items);
}

// With `explain`, the wrong joins and the misses of the order with the fewest right suggestions.
void print_over_seeds(const char* name, const std::vector<labelled_report>& reports, bool explain = false) {
    double p = 0, r = 0, h = 0, min_p = 1, min_r = 1, min_h = 1;
    replay_result worst;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
        auto res = replay_grouping(shuffled(reports, seed), {}, {});
        p += res.precision(), r += res.recall(), h += res.suggestion_hit_rate();
        min_p = std::min(min_p, res.precision()), min_r = std::min(min_r, res.recall());
        if (res.suggestion_hit_rate() < min_h) worst = res;
        min_h = std::min(min_h, res.suggestion_hit_rate());
    }
    std::printf("  %-22s %3zu reports  precision %.3f (min %.3f)  recall %.3f (min %.3f)  "
                "right among suggestions %.3f (min %.3f)\n",
                name, reports.size(), p / seeds, min_p, r / seeds, min_r, h / seeds, min_h);
    if (!explain) return;
    for (const auto& w : worst.wrong_joins) std::printf("      wrong join: %s\n", w.c_str());
    for (const auto& m : worst.misses) std::printf("      missed: %s\n", m.c_str());
}

// Synthetic items, each a friction of its own: two to four made-up words (the things and names
// that make one friction differ from the next, from a long-tailed vocabulary) and one to three
// of the labelled set's generic words (those in 4+ of its groups: "fails", "email", "page"),
// drawn by frequency, whose posting lists grow long. A labelled friction's own words ("invoice",
// "webinar") are left out: synthetic items are other frictions, not near duplicates.
class synthetic_items {
public:
    explicit synthetic_items(const std::vector<labelled_report>& reports) {
        std::map<std::string, int> counts;
        std::map<std::string, std::set<std::string>> groups;
        for (const auto& r : reports) {
            std::istringstream words(fold_text(r.text));
            for (std::string w; words >> w;) {
                std::erase_if(w, [](char c) { return c < 'a' || c > 'z'; });
                if (w.size() < 2) continue;
                ++counts[w];
                groups[w].insert(r.group);
            }
        }
        for (const auto& [w, n] : counts) {
            if (groups[w].size() < 4) continue;
            known_.push_back(w);
            known_weights_.push_back(n + (known_weights_.empty() ? 0 : known_weights_.back()));
        }
        const char* consonants = "bcdfghjklmnprstvz";
        const char* vowels = "aeiou";
        for (int i = 0; i < 20000; ++i) {
            std::string w;
            for (int s = 0, syllables = 2 + static_cast<int>(random_() % 3); s < syllables; ++s)
                w += std::string(1, consonants[random_() % 17]) + vowels[random_() % 5];
            made_up_.push_back(w);
            made_up_weights_.push_back(1.0 / (i + 1) + (made_up_weights_.empty() ? 0 : made_up_weights_.back()));
        }
    }

    std::vector<indexed_item> make(std::size_t n) {
        std::vector<indexed_item> items(n);
        for (std::size_t i = 0; i < n; ++i) {
            items[i].id = static_cast<std::int64_t>(i + 1);
            std::vector<std::string> words;
            for (int w = 0, made_up = 2 + static_cast<int>(random_() % 3); w < made_up; ++w)
                words.push_back(pick(made_up_, made_up_weights_));
            for (int w = 0, known = 1 + static_cast<int>(random_() % 3); w < known; ++w)
                words.insert(words.begin() + static_cast<std::ptrdiff_t>(random_() % (words.size() + 1)),
                             pick(known_, known_weights_));
            for (const auto& w : words) items[i].text += (items[i].text.empty() ? "" : " ") + w;
            items[i].comp = all_components()[random_() % all_components().size()];
        }
        return items;
    }

private:
    template <class W> const std::string& pick(const std::vector<std::string>& words, const std::vector<W>& cumulative) {
        const double u = static_cast<double>(random_() >> 11) * 0x1.0p-53 * static_cast<double>(cumulative.back());
        auto at = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        return words[std::min(static_cast<std::size_t>(at), words.size() - 1)];
    }

    std::mt19937_64 random_{42};
    std::vector<std::string> known_, made_up_;
    std::vector<int> known_weights_;
    std::vector<double> made_up_weights_;
};

double resident_mb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

void print_scale(std::size_t n, synthetic_items& synth, const std::vector<labelled_report>& reports) {
    using clock = std::chrono::steady_clock;
    const auto items = synth.make(n);
    const double rss_before = resident_mb();
    similarity_index index(text_language::en);
    const auto built = clock::now();
    for (const auto& it : items) index.add(it);
    const double build_s = std::chrono::duration<double>(clock::now() - built).count();
    const double rss_after = resident_mb();

    // Each query's fastest of five rounds: the machine is shared, and a query that lost its core
    // for a scheduler tick (4 ms) says nothing about the index.
    std::vector<double> micros(reports.size(), 1e12);
    for (int round = 0; round < 5; ++round)
        for (std::size_t i = 0; i < reports.size(); ++i) {
            const auto& r = reports[i];
            const auto start = clock::now();
            auto found = index.query({r.text, r.stage, r.comp, 0}, 5);
            micros[i] = std::min(micros[i], std::chrono::duration<double, std::micro>(clock::now() - start).count());
            if (found.size() > 5) std::puts("impossible"); // keeps the query from being optimised away
        }
    std::sort(micros.begin(), micros.end());
    double mean = 0;
    for (double m : micros) mean += m / static_cast<double>(micros.size());
    std::printf("  %6zu items: query mean %6.1f us  p50 %6.1f us  p99 %6.1f us  |  index %5.1f MB (%3.0f B/item), "
                "RSS +%5.1f MB  |  built in %.2f s\n",
                n, mean, micros[micros.size() / 2], micros[micros.size() * 99 / 100],
                static_cast<double>(index.memory_bytes()) / (1024.0 * 1024.0),
                static_cast<double>(index.memory_bytes()) / static_cast<double>(n), rss_after - rss_before, build_s);
    auto with_distractors = replay_grouping(shuffled(reports, fixed_order), {}, {}, items);
    print_quality("  among them:", with_distractors);
}

} // namespace

int main(int argc, char** argv) {
    const bool explain = argc > 1 && std::string_view(argv[1]) == "--explain";
    if (explain) --argc, ++argv;
    const std::string path = argc > 1 ? argv[1] : CXOS_GROUPING_DATA;
    std::ifstream file(path);
    if (!file) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    const auto reports = parse_labelled_reports(text.str());
    const grouping_thresholds t;
    std::printf("grouping: auto_join %.2f, suggest %.2f, up to %zu suggestions; %zu reports\n\n", t.auto_join,
                t.suggest, t.max_suggestions, reports.size());

    std::puts("(a) quality, fixed shuffled order:");
    print_quality("all reports", replay_grouping(shuffled(reports, fixed_order), {}, {}));
    std::printf("    the same over %d shuffled orders (thresholds were chosen on the tuning half):\n", seeds);
    print_over_seeds("tuning half", half_of(reports, 0));
    print_over_seeds("held-out half", half_of(reports, 1));
    print_over_seeds("all reports", reports, explain);
    if (explain) return 0;

    std::puts("\n(b) scale: synthetic items, the labelled reports as queries (each the fastest of 5 rounds):");
    synthetic_items synth(reports);
    for (std::size_t n : {1000, 10000, 100000}) print_scale(n, synth, reports);
    return 0;
}
