// What grouping reads and writes, on every backend: the items a report may join with their
// reports' words, a report moved between items, labelled pairs, and reroutes for rule suggestions.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

constexpr millis day_ms = 24LL * 3600 * 1000;

item titled(storage::store& st, const std::string& title, item_status status = item_status::routed,
            millis closed_at = 0) {
    item it;
    it.key = title;
    it.title = title;
    it.owner = "billing";
    it.rule = "invoices";
    it.stage = "renew";
    it.created_at = it.updated_at = 1;
    it.id = st.insert_item(it);
    it.status = status;
    it.closed_at = closed_at;
    st.update_item(it);
    return it;
}

std::int64_t report(storage::store& st, std::int64_t item_id, const std::string& words, const std::string& user = "U1") {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", user, "", "", "", ""};
    s.description = words;
    s.route = {"billing", "invoices", ""};
    s.created_at = 100;
    s.item_id = item_id;
    return st.insert_signal(s);
}

std::vector<std::int64_t> ids(const std::vector<indexed_item>& items) {
    std::vector<std::int64_t> out;
    for (const auto& it : items) out.push_back(it.id);
    return out;
}

} // namespace

TEST_CASE("grouping reads open items and recent fixes with their reports' other words", "[store][grouping]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    const millis now = 30 * day_ms;
    auto open = titled(*st, "the invoice PDF is blank");
    report(*st, open.id, "the invoice PDF is blank");
    report(*st, open.id, "invoice pdf is empty when downloaded");
    report(*st, open.id, "invoice pdf is empty when downloaded"); // a repeat: one text
    report(*st, open.id, "customers get a blank invoice PDF");
    auto fixed_lately = titled(*st, "refund button missing", item_status::fixed, now - day_ms);
    titled(*st, "fixed long ago", item_status::fixed, now - 20 * day_ms);
    titled(*st, "never going to happen", item_status::wont_fix, now - day_ms);
    titled(*st, "merged away", item_status::duplicate, now - day_ms);
    // Fixed long ago and reported again: open, so a restarted server offers it like any open item.
    auto regressed = titled(*st, "export times out", item_status::regressed);

    auto items = st->grouping_items(0, now - 14 * day_ms, 5);
    REQUIRE(ids(items) == std::vector<std::int64_t>{open.id, fixed_lately.id, regressed.id});
    CHECK(items[2].open);
    CHECK(items[0].text == "the invoice PDF is blank");
    CHECK(items[0].stage == "renew");
    CHECK(items[0].open);
    CHECK(items[0].other_texts ==
          std::vector<std::string>{"invoice pdf is empty when downloaded", "customers get a blank invoice PDF"});
    CHECK_FALSE(items[1].open);
    CHECK(items[1].fixed_at == now - day_ms);
    CHECK(st->grouping_items(0, now - 14 * day_ms, 1)[0].other_texts.size() == 1);

    // Catching up reads only items past the newest one seen.
    CHECK(ids(st->grouping_items(open.id, now - 14 * day_ms, 5)) == std::vector<std::int64_t>{fixed_lately.id, regressed.id});

    auto one = st->grouping_item(open.id, 5);
    REQUIRE(one);
    CHECK(one->other_texts.size() == 2);
    auto wont = st->grouping_item(open.id + 3, 5);
    REQUIRE(wont);
    CHECK_FALSE(wont->open);
    CHECK(wont->fixed_at == 0);
    CHECK_FALSE(st->grouping_item(999, 5));
}

TEST_CASE("a report moved to another item counts there and no longer where it was", "[store][grouping]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto a = titled(*st, "invoice PDF is blank");
    auto b = titled(*st, "invoice email never arrives");
    report(*st, a.id, "invoice PDF is blank", "U1");
    auto moved = report(*st, a.id, "invoice email missing", "U2");
    report(*st, b.id, "invoice email never arrives", "U3");

    st->move_signal(moved, b.id);
    CHECK(st->find_signal(moved)->item_id == b.id);
    CHECK(st->find_item(a.id)->counts.reports == 1);
    CHECK(st->find_item(b.id)->counts.reports == 2);
    CHECK(st->find_item(b.id)->counts.reporters == 2);
    st->move_signal(999, b.id); // no such report: nothing changes
    CHECK(st->find_item(b.id)->counts.reports == 2);
}

TEST_CASE("grouping events keep their label, unanswered or same or different", "[store][grouping]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->insert_grouping_event({0, "auto_join", 7, 3, 0.61, std::nullopt, "", 1000});
    st->insert_grouping_event({0, "split", 7, 3, 0, false, "U1", 2000});
    st->insert_grouping_event({0, "owner_merge", 9, 3, 0, true, "U2", 3000});

    auto all = st->grouping_events(0);
    REQUIRE(all.size() == 3);
    CHECK(all[0].kind == "auto_join");
    CHECK(all[0].score == Approx(0.61));
    CHECK_FALSE(all[0].same.has_value());
    CHECK(all[1].same == std::optional<bool>(false));
    CHECK(all[1].actor == "U1");
    CHECK(all[2].same == std::optional<bool>(true));
    CHECK(st->grouping_events(2000).size() == 2);
    auto of_seven = st->grouping_events_of_signal(7);
    REQUIRE(of_seven.size() == 2);
    CHECK(of_seven[1].kind == "split");
}

TEST_CASE("reroutes come from the audit trail with their item's title and first rule", "[store][grouping]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto it = titled(*st, "SSO login loops");
    st->insert_audit(it.id, "U1", "reroute", "billing -> identity", 1000);
    st->insert_audit(it.id, "U1", "ack", "", 1100);
    st->insert_audit(it.id, "U1", "reroute", "not the arrow shape", 1200);
    auto reroutes = st->reroutes();
    REQUIRE(reroutes.size() == 1);
    CHECK(reroutes[0].item_id == it.id);
    CHECK(reroutes[0].from == "billing");
    CHECK(reroutes[0].to == "identity");
    CHECK(reroutes[0].title == "SSO login loops");
    CHECK(reroutes[0].rule == "invoices");
    CHECK(reroutes[0].at == 1000);
}
