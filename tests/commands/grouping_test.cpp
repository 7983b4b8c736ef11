// decide_grouping: join, suggest or start a new item, from the ranked candidates.
#include "commands/grouping.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

similar_item candidate(std::int64_t id, double score, int shared_words = 3, bool open = true) {
    similar_item s;
    s.id = id;
    s.score = score;
    s.shared_words = shared_words;
    s.open = open;
    return s;
}

std::vector<std::int64_t> ids(const grouping_decision& d) {
    std::vector<std::int64_t> out;
    for (const auto& c : d.items) out.push_back(c.id);
    return out;
}

const grouping_thresholds thresholds{0.8, 0.4, 3, 2};

} // namespace

TEST_CASE("no candidate, or none close enough, is a new item", "[grouping]") {
    CHECK(decide_grouping({}, thresholds).verdict == grouping_verdict::new_item);
    auto d = decide_grouping({candidate(1, 0.39), candidate(2, 0.1)}, thresholds);
    CHECK(d.verdict == grouping_verdict::new_item);
    CHECK(d.items.empty());
}

TEST_CASE("a close open item is joined", "[grouping]") {
    auto d = decide_grouping({candidate(7, 0.8), candidate(8, 0.79)}, thresholds);
    CHECK(d.verdict == grouping_verdict::auto_join);
    CHECK(ids(d) == std::vector<std::int64_t>{7});
}

TEST_CASE("between the thresholds, up to three items are offered, best first", "[grouping]") {
    auto d = decide_grouping({candidate(4, 0.79), candidate(2, 0.6), candidate(9, 0.4), candidate(5, 0.4), candidate(1, 0.3)},
                             thresholds);
    CHECK(d.verdict == grouping_verdict::suggest);
    CHECK(ids(d) == std::vector<std::int64_t>{4, 2, 9});
    auto one = decide_grouping({candidate(4, 0.5), candidate(2, 0.2)}, thresholds);
    CHECK(ids(one) == std::vector<std::int64_t>{4});
}

TEST_CASE("a close fixed item is joined (the caller reopens it), one sharing a single word is offered", "[grouping]") {
    auto fixed = decide_grouping({candidate(3, 0.95, 4, false), candidate(6, 0.5)}, thresholds);
    CHECK(fixed.verdict == grouping_verdict::auto_join);
    CHECK(ids(fixed) == std::vector<std::int64_t>{3});
    CHECK(fixed.items[0].open == false); // the caller reopens it as regressed
    auto offered = decide_grouping({candidate(3, 0.6, 4, false), candidate(6, 0.5)}, thresholds);
    CHECK(offered.verdict == grouping_verdict::suggest);
    CHECK(offered.items[0].open == false); // the ack says "fixed 3 days ago; choosing it reopens it"
    auto one_word = decide_grouping({candidate(3, 0.9, 1)}, thresholds);
    CHECK(one_word.verdict == grouping_verdict::suggest);
    CHECK(ids(one_word) == std::vector<std::int64_t>{3});
}

TEST_CASE("the defaults and the verdict names", "[grouping]") {
    const grouping_thresholds defaults;
    CHECK(defaults.auto_join > defaults.suggest);
    CHECK(defaults.max_suggestions == 3);
    CHECK(to_string(grouping_verdict::auto_join) == "auto_join");
    CHECK(to_string(grouping_verdict::suggest) == "suggest");
    CHECK(to_string(grouping_verdict::new_item) == "new_item");
}

TEST_CASE("chat platforms' reporters answer, a tool's do not", "[grouping]") {
    CHECK(source_kind_of("slack") == source_kind::chat);
    CHECK(source_kind_of("teams") == source_kind::chat);
    CHECK(source_kind_of("zendesk") == source_kind::tool);
    source_ref ticket{"zendesk", "", "", "zendesk", "", "", "", ""};
    CHECK_FALSE(ticket.reporter_answers());
    CHECK(source_ref{"teams", "", "", "U1", "", "", "", ""}.reporter_answers());
}
