// The similarity index: which items read like a report, found without scanning every item.
#include "commands/grouping.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cxos;

namespace {

constexpr millis day = 24LL * 3600 * 1000;

indexed_item item(std::int64_t id, std::string text, std::optional<component> comp = component::marketing,
                  std::string stage = "renew") {
    indexed_item it;
    it.id = id;
    it.text = std::move(text);
    it.comp = comp;
    it.stage = std::move(stage);
    return it;
}

// Items for unrelated frictions, so words have document frequencies as in a real backlog.
void add_backlog(similarity_index& index) {
    const char* texts[] = {
        "Salesforce sync fails every night",  "community forum login loops",      "course videos won't play",
        "status page green during the outage", "SLA timer counts weekends",       "NPS survey sent every day",
        "chatbot won't hand over to a human",  "webinar join link gives a 404",   "CSV contact import stuck",
        "health score red for active accounts", "discount code rejected at checkout", "help center search no results",
    };
    std::int64_t id = 100;
    for (const char* t : texts) index.add(item(id++, t, std::nullopt, ""));
}

std::vector<similar_item> ask(const similarity_index& index, std::string_view text,
                              std::optional<component> comp = component::marketing, std::string_view stage = "renew",
                              millis now = 0) {
    return index.query({text, stage, comp, now}, 5);
}

} // namespace

TEST_CASE("items are added, updated and removed by id", "[similarity]") {
    similarity_index index(text_language::en);
    CHECK(index.add(item(1, "invoice PDF is blank")));
    CHECK_FALSE(index.add(item(1, "something else")));
    CHECK(index.contains(1));
    CHECK(index.size() == 1);
    CHECK(ask(index, "invoice pdf blank").at(0).id == 1);

    CHECK(index.update(item(1, "refund email never arrives")));
    CHECK_FALSE(index.update(item(2, "no such item")));
    CHECK(ask(index, "invoice pdf blank").empty()); // the old words are gone
    CHECK(ask(index, "refund email missing").at(0).id == 1);

    CHECK(index.remove(1));
    CHECK_FALSE(index.remove(1));
    CHECK(index.size() == 0);
    CHECK(ask(index, "refund email missing").empty());
    CHECK(index.memory_bytes() > 0); // the empty tables still count
}

TEST_CASE("the issue's five phrasings find the item and join it", "[similarity]") {
    similarity_index index(text_language::en);
    add_backlog(index);
    index.add(item(1, "the invoice PDF is blank"));
    const grouping_thresholds defaults;
    for (auto text : {"Invoice pdf is blank!", "the invoice PDF is empty", "customers say the invoice PDF is blank when downloaded",
                      "invoice PDF blank", "invioce pdf blank", "blank PDF invoice"}) {
        INFO(text);
        auto found = ask(index, text);
        REQUIRE_FALSE(found.empty());
        CHECK(found[0].id == 1);
        CHECK(found[0].score <= 1.0);
        auto decision = decide_grouping(found, defaults);
        CHECK(decision.verdict == grouping_verdict::auto_join);
    }
    CHECK(ask(index, "the invoice PDF is blank")[0].score == Approx(1.0));
    CHECK(ask(index, "blank PDF invoice")[0].score == Approx(1.0)); // word order does not matter
}

TEST_CASE("typos and compounds written apart still match", "[similarity]") {
    similarity_index index(text_language::en);
    add_backlog(index);
    index.add(item(1, "verification email never arrives", component::onboarding, "onboard"));
    index.add(item(2, "community forum login loops", component::community, "adopt"));
    // A word spelled right brings the item in as a candidate; the typos then line up with it.
    auto typo = ask(index, "verifcation email never arives", component::onboarding, "onboard");
    REQUIRE_FALSE(typo.empty());
    CHECK(typo[0].id == 1);
    CHECK(typo[0].score > 0.9);
    index.add(item(3, "support chatbot loops", component::knowledge, "support"));
    auto apart = ask(index, "support chat bot loops", component::knowledge, "support");
    REQUIRE_FALSE(apart.empty());
    CHECK(apart[0].id == 3);
    CHECK(apart[0].score > 0.9);
}

TEST_CASE("near misses stay apart", "[similarity]") {
    similarity_index index(text_language::en);
    add_backlog(index);
    index.add(item(1, "the invoice PDF is blank"));
    const grouping_thresholds defaults;
    // Sharing one word ("invoice", "PDF") with the item is not enough to join it.
    for (auto text : {"invoice email never arrives", "the refund PDF is empty", "invoice shows the wrong VAT number"}) {
        INFO(text);
        CHECK(decide_grouping(ask(index, text), defaults).verdict != grouping_verdict::auto_join);
    }
    // Once each friction has its item, each report goes to its own.
    index.add(item(2, "invoice email never arrives"));
    index.add(item(3, "refund PDF is blank"));
    const std::pair<const char*, std::int64_t> cases[] = {
        {"invoice pdf comes out blank", 1}, {"the refund PDF is empty", 3}, {"no invoice email received", 2},
        {"refund pdf blank again", 3},      {"invoice PDF blank", 1},       {"invoice email missing", 2}};
    for (const auto& [text, right] : cases) {
        INFO(text);
        auto decision = decide_grouping(ask(index, text), defaults);
        REQUIRE_FALSE(decision.items.empty());
        CHECK(decision.items[0].id == right);
    }
}

TEST_CASE("equal scores rank by the older item, every time", "[similarity]") {
    similarity_index index(text_language::en);
    index.add(item(9, "webhook events delayed"));
    index.add(item(3, "webhook events delayed"));
    index.add(item(5, "webhook events delayed"));
    for (int round = 0; round < 3; ++round) {
        auto found = ask(index, "webhook events delayed by hours");
        REQUIRE(found.size() == 3);
        CHECK(found[0].id == 3);
        CHECK(found[1].id == 5);
        CHECK(found[2].id == 9);
        CHECK(found[0].score == found[2].score);
    }
}

TEST_CASE("a different component or stage lowers the score", "[similarity]") {
    similarity_index index(text_language::en);
    add_backlog(index);
    index.add(item(1, "course videos have no subtitles", component::education, "adopt"));
    const double same = ask(index, "no subtitles on course videos", component::education, "adopt").at(0).score;
    const double other_stage = ask(index, "no subtitles on course videos", component::education, "renew").at(0).score;
    const double other_component = ask(index, "no subtitles on course videos", component::knowledge, "adopt").at(0).score;
    const double unknown = ask(index, "no subtitles on course videos", std::nullopt, "").at(0).score;
    CHECK(other_stage == Approx(same * similarity_settings{}.stage_mismatch));
    CHECK(other_component == Approx(same * similarity_settings{}.component_mismatch));
    CHECK(unknown == Approx(same)); // a reporter who named none is not penalised
}

TEST_CASE("fixed items stay candidates for the regression window", "[similarity]") {
    similarity_index index(text_language::en);
    auto fixed = item(1, "SLA timer counts weekends");
    fixed.open = false;
    fixed.fixed_at = 10 * day;
    index.add(fixed);
    auto closed = item(2, "SLA timer counts holidays"); // won't fix: closed without a fix
    closed.open = false;
    index.add(closed);
    const millis window = similarity_settings{}.regression_window;
    auto within = ask(index, "SLA timer counts weekends again", component::marketing, "renew", 10 * day + window);
    REQUIRE(within.size() == 1);
    CHECK(within[0].id == 1);
    CHECK_FALSE(within[0].open);
    CHECK(ask(index, "SLA timer counts weekends again", component::marketing, "renew", 10 * day + window + 1).empty());
    CHECK(index.prune_fixed_before(10 * day + 1) == 2);
    CHECK(index.size() == 0);
}

TEST_CASE("a fixed item reopened is open again: a candidate past the window, never pruned", "[similarity]") {
    similarity_settings settings;
    settings.regression_window = 30 * day; // the config's items.regression_window_days
    similarity_index index(text_language::en, settings);
    auto fixed = item(1, "SLA timer counts weekends");
    fixed.open = false;
    fixed.fixed_at = 10 * day;
    index.add(fixed);
    CHECK(ask(index, "SLA timer counts weekends again", component::marketing, "renew", 40 * day).size() == 1);
    CHECK(ask(index, "SLA timer counts weekends again", component::marketing, "renew", 40 * day + 1).empty());
    auto reopened = item(1, "SLA timer counts weekends"); // regressed: open, as the store reads it back
    REQUIRE(index.update(reopened));
    auto later = ask(index, "SLA timer counts weekends again", component::marketing, "renew", 100 * day);
    REQUIRE(later.size() == 1);
    CHECK(later[0].open);
    CHECK(index.prune_fixed_before(90 * day) == 0);
    CHECK(index.size() == 1);
}

TEST_CASE("an item learns the words of reports that joined it, up to a limit", "[similarity]") {
    similarity_settings settings;
    settings.max_texts_per_item = 2;
    similarity_index index(text_language::en, settings);
    add_backlog(index);
    index.add(item(1, "the invoice PDF is blank"));
    auto before = ask(index, "billing document download shows white page");
    CHECK(std::none_of(before.begin(), before.end(), [](const similar_item& s) { return s.id == 1; }));
    CHECK(index.add_text(1, "billing document download shows a white page"));
    CHECK(ask(index, "billing document download shows white page").at(0).id == 1);
    CHECK_FALSE(index.add_text(1, "a third wording")); // the cap: the first texts are kept
    CHECK_FALSE(index.add_text(42, "no such item"));
    auto with_texts = item(2, "refund missing");
    with_texts.other_texts = {"credit note never arrived", "ignored: over the cap"};
    index.add(with_texts);
    CHECK(ask(index, "credit note never arrived").at(0).id == 2);
    CHECK(ask(index, "ignored over the cap").empty());
}

TEST_CASE("a query reads a bounded number of postings, newest first", "[similarity]") {
    similarity_settings settings;
    settings.posting_budget = 40;
    settings.posting_cap = 30;
    settings.exact_candidates = 8;
    similarity_index index(text_language::en, settings);
    // 500 items share every word of the query: a scan would score them all.
    for (std::int64_t id = 1; id <= 500; ++id) index.add(item(id, "widget sync failed"));
    auto found = index.query({"widget sync failed", "renew", component::marketing, 0}, 20);
    // The rarest feature gives its 30 newest items (471-500), the next the 10 newest the budget
    // leaves (491-500); those read twice are the 8 scored, and equal scores rank by id.
    REQUIRE(found.size() == 8);
    for (std::size_t i = 0; i < found.size(); ++i) CHECK(found[i].id == 491 + static_cast<std::int64_t>(i));
}

TEST_CASE("typos are one edit apart, two in long words, none in three letters", "[similarity]") {
    CHECK(is_typo_of("invoic", "invioc"));       // swapped letters
    CHECK(is_typo_of("video", "vido"));           // a letter left out
    CHECK(is_typo_of("verification", "verfication"));
    CHECK(is_typo_of("notification", "notifcaton")); // two edits in a long word
    CHECK_FALSE(is_typo_of("renew", "review"));   // two edits in a short word: different words
    CHECK_FALSE(is_typo_of("bug", "bag"));        // three letters are too few to tell
    CHECK(is_typo_of("sign", "sing"));            // one edit; the index only lines up a rare word
    CHECK_FALSE(is_typo_of("sync", "sink"));      // a different first letter is a different word
    CHECK_FALSE(is_typo_of("cache", "cash"));
    CHECK_FALSE(is_typo_of("#num", "#nun"));
}
