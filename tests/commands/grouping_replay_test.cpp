// The labelled set and the goals of issue 14: a change that makes grouping join wrongly, miss
// more, or suggest worse fails here. The benchmark prints the same figures in more detail.
#include "commands/grouping_replay.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace cxos;

namespace {

const std::vector<labelled_report>& labelled() {
    static const auto reports = [] {
        std::ifstream file(CXOS_TEST_DATA "/grouping/reports.tsv");
        std::stringstream text;
        text << file.rdbuf();
        return parse_labelled_reports(text.str());
    }();
    return reports;
}

struct averages {
    double precision = 0, recall = 0, hit_rate = 0, worst_precision = 1, worst_hit_rate = 1;
};

// Ten fixed orders: one order's luck (a near miss arriving before its own friction) moves a
// figure by a few points, so the goals hold on average and precision holds in every order.
averages over_orders(const std::vector<labelled_report>& reports) {
    constexpr int orders = 10;
    averages a;
    for (std::uint64_t seed = 1; seed <= orders; ++seed) {
        auto r = replay_grouping(shuffled(reports, seed), {}, {});
        a.precision += r.precision() / orders;
        a.recall += r.recall() / orders;
        a.hit_rate += r.suggestion_hit_rate() / orders;
        a.worst_precision = std::min(a.worst_precision, r.precision());
        a.worst_hit_rate = std::min(a.worst_hit_rate, r.suggestion_hit_rate());
    }
    return a;
}

} // namespace

TEST_CASE("the labelled set covers the components and stages", "[grouping][replay]") {
    const auto& reports = labelled();
    std::set<std::string> groups, stages;
    std::set<component> components;
    for (const auto& r : reports) {
        groups.insert(r.group);
        if (!r.stage.empty()) stages.insert(r.stage);
        if (r.comp) components.insert(*r.comp);
    }
    CHECK(reports.size() >= 300);
    CHECK(groups.size() >= 55);
    CHECK(components.size() == all_components().size());
    CHECK(stages.size() >= 4);
}

TEST_CASE("grouping meets the goals on the labelled set", "[grouping][replay]") {
    const auto all = over_orders(labelled());
    CHECK(all.worst_precision >= 0.95);
    CHECK(all.precision >= 0.95);
    CHECK(all.recall >= 0.6);
    CHECK(all.hit_rate >= 0.9);
    CHECK(all.worst_hit_rate >= 0.9); // in every order, not only on average
    // The half the thresholds were not tuned on: frictions they never saw. Its recall is 0.60
    // today; the goal is set for the whole set, so this floor is lower, and falling through it
    // means a change has started to fit the tuning half rather than grouping better.
    const auto held_out = over_orders(half_of(labelled(), 1));
    CHECK(held_out.worst_precision >= 0.95);
    CHECK(held_out.recall >= 0.55);
    CHECK(held_out.hit_rate >= 0.9);
}

TEST_CASE("a replay follows the people's answers", "[grouping][replay]") {
    // Two frictions, the second a near miss of the first; the third report is the first's again.
    const std::vector<labelled_report> reports = {
        {"pdf", "renew", component::marketing, "the invoice PDF is blank"},
        {"email", "renew", component::marketing, "invoice email never arrives"},
        {"pdf", "renew", component::marketing, "Invoice pdf is blank!"},
        {"email", "renew", component::marketing, "no invoice email received this month"},
    };
    auto r = replay_grouping(reports, {}, {});
    CHECK(r.reports == 4);
    CHECK(r.items == 2);
    CHECK(r.joinable == 2);
    CHECK(r.fresh == 2);
    CHECK(r.right_auto_joins + r.right_suggested == 2);
    CHECK(r.wrong_joins.empty());
    CHECK(r.misses.empty());
}

TEST_CASE("labelled reports parse from tab-separated lines", "[grouping][replay]") {
    auto reports = parse_labelled_reports("# a comment\n\ng1\trenew\tmarketing\tinvoice PDF blank\r\ng1\t\t\tpdf empty\n");
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].group == "g1");
    CHECK(reports[0].stage == "renew");
    CHECK(reports[0].comp == component::marketing);
    CHECK(reports[0].text == "invoice PDF blank");
    CHECK(reports[1].stage.empty());
    CHECK_FALSE(reports[1].comp);
    CHECK_THROWS_WITH(parse_labelled_reports("g1\trenew\tmarketing\n"), Catch::Contains("line 1"));
    CHECK_THROWS_WITH(parse_labelled_reports("# c\ng1\trenew\tbilling\ttext\n"),
                      Catch::Contains("line 2") && Catch::Contains("unknown component 'billing'"));
}

TEST_CASE("shuffled orders are fixed by their seed and halves split by group", "[grouping][replay]") {
    const auto& reports = labelled();
    auto texts = [](const std::vector<labelled_report>& rs) {
        std::vector<std::string> out;
        for (const auto& r : rs) out.push_back(r.text);
        return out;
    };
    CHECK(texts(shuffled(reports, 7)) == texts(shuffled(reports, 7)));
    CHECK(texts(shuffled(reports, 7)) != texts(shuffled(reports, 8)));
    auto first = half_of(reports, 0), second = half_of(reports, 1);
    CHECK(first.size() + second.size() == reports.size());
    std::set<std::string> first_groups;
    for (const auto& r : first) first_groups.insert(r.group);
    for (const auto& r : second) CHECK_FALSE(first_groups.contains(r.group));
    CHECK(first.size() > reports.size() / 3);
    CHECK(second.size() > reports.size() / 3);
}
