#include "commands/grouping_replay.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace cxos {
namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        auto tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
        if (tab == std::string_view::npos) return fields;
        start = tab + 1;
    }
}

std::string score_text(double score) {
    std::string s = std::to_string(score);
    return s.substr(0, s.find('.') + 4);
}

} // namespace

std::vector<labelled_report> parse_labelled_reports(std::string_view tsv) {
    std::vector<labelled_report> out;
    int line_number = 0;
    for (std::size_t start = 0; start < tsv.size();) {
        auto end = std::min(tsv.find('\n', start), tsv.size());
        std::string_view line = tsv.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        auto fields = split_tabs(line);
        const std::string where = "line " + std::to_string(line_number) + ": ";
        if (fields.size() != 4 || fields[0].empty() || fields[3].empty())
            throw std::invalid_argument(where + "expected group, stage, component and text separated by tabs");
        labelled_report r{std::string(fields[0]), std::string(fields[1]), std::nullopt, std::string(fields[3])};
        if (!fields[2].empty()) {
            r.comp = parse_component(fields[2]);
            if (!r.comp) throw std::invalid_argument(where + "unknown component '" + std::string(fields[2]) + "'");
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<labelled_report> half_of(const std::vector<labelled_report>& reports, int part) {
    std::vector<labelled_report> out;
    for (const auto& r : reports) {
        std::uint32_t h = 2166136261u; // FNV-1a: the same halves on every platform
        for (unsigned char c : r.group) h = (h ^ c) * 16777619u;
        if (static_cast<int>((h >> 7) & 1u) == part) out.push_back(r);
    }
    return out;
}

std::vector<labelled_report> shuffled(std::vector<labelled_report> reports, std::uint64_t seed) {
    std::mt19937_64 random(seed); // its output is specified by the standard; distributions are not
    for (std::size_t i = reports.size(); i > 1; --i) std::swap(reports[i - 1], reports[random() % i]);
    return reports;
}

replay_result replay_grouping(const std::vector<labelled_report>& reports, const similarity_settings& similarity,
                              const grouping_thresholds& thresholds, const std::vector<indexed_item>& background) {
    similarity_index index(text_language::en, similarity);
    std::int64_t next_id = 0;
    std::map<std::int64_t, std::string_view> background_titles;
    for (const auto& it : background) {
        index.add(it);
        background_titles.emplace(it.id, it.text);
        next_id = std::max(next_id, it.id);
    }
    std::map<std::int64_t, const labelled_report*> first_report_of; // item id -> the report that opened it
    auto title = [&](std::int64_t id) {
        auto found = first_report_of.find(id);
        return found != first_report_of.end() ? found->second->text
                                              : "background: " + std::string(background_titles.at(id));
    };
    std::set<std::string> groups_with_items;
    replay_result r;
    constexpr millis minute = 60 * 1000;
    for (const auto& report : reports) {
        const millis now = static_cast<millis>(r.reports++) * minute;
        auto ranked = index.query({report.text, report.stage, report.comp, now}, thresholds.max_suggestions + 2);
        auto decision = decide_grouping(ranked, thresholds);
        const bool joinable = groups_with_items.contains(report.group);
        r.joinable += joinable;
        r.fresh += !joinable;
        r.fresh_suggested += !joinable && decision.verdict == grouping_verdict::suggest;
        auto right = [&](const similar_item& s) {
            auto found = first_report_of.find(s.id);
            return found != first_report_of.end() && found->second->group == report.group;
        };
        if (decision.verdict == grouping_verdict::auto_join) {
            ++r.auto_joins;
            const auto& joined = decision.items.front();
            if (right(joined)) {
                ++r.right_auto_joins;
                index.add_text(joined.id, report.text);
                continue;
            }
            // Someone presses "Not the same": the report is split out into an item of its own.
            r.wrong_joins.push_back(report.text + " -> " + title(joined.id) + " (" +
                                    score_text(joined.score) + ")");
        }
        else if (joinable) {
            ++r.not_auto_joined;
            auto picked = std::find_if(decision.items.begin(), decision.items.end(), right);
            if (picked != decision.items.end()) {
                ++r.right_suggested;
                index.add_text(picked->id, report.text); // the reporter picks the right suggestion
                continue;
            }
            std::string miss = report.text + " -> ";
            auto at = std::find_if(ranked.begin(), ranked.end(), right);
            if (at != ranked.end())
                miss += "right item ranked " + std::to_string(at - ranked.begin() + 1) + " (" + score_text(at->score) + "), ";
            miss += ranked.empty() ? "no candidates" : "best: " + title(ranked.front().id) + " (" +
                                                           score_text(ranked.front().score) + ")";
            r.misses.push_back(miss);
        }
        indexed_item it;
        ++r.items;
        it.id = ++next_id;
        it.text = report.text;
        it.stage = report.stage;
        it.comp = report.comp;
        index.add(it);
        first_report_of[it.id] = &report;
        groups_with_items.insert(report.group);
    }
    return r;
}

} // namespace cxos
