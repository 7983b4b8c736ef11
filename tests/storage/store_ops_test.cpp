// The store's operations side: signals from other tools by external id, the outbox at a glance,
// item activity for spike checks, and the once-per-spike marks.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

signal from_tool(std::string source, std::string external_id, millis at, std::int64_t item_id) {
    signal s;
    s.source.platform = std::move(source);
    s.source.user_id = s.source.platform;
    s.description = "refund missing";
    s.route = {"billing", "", "no rule matched"};
    s.created_at = at;
    s.item_id = item_id;
    s.external_id = std::move(external_id);
    return s;
}

item open_item() {
    item it;
    it.key = it.title = "refund missing";
    it.owner = "billing";
    it.created_at = it.updated_at = 1;
    return it;
}

} // namespace

TEST_CASE("signals from other tools are found by source and external id", "[store][ingest]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto item_id = st->insert_item(open_item());
    auto s = from_tool("zendesk", "ZD-1", 100, item_id);
    s.contacts = 7;
    s.error_rate = 0.25;
    auto id = st->insert_signal(s);
    auto found = st->find_signal_by_external_id("zendesk", "ZD-1");
    REQUIRE(found);
    CHECK(found->id == id);
    CHECK(found->contacts == 7);
    CHECK(found->error_rate == 0.25);
    CHECK_FALSE(st->find_signal_by_external_id("discourse", "ZD-1")); // ids are per source
    CHECK_FALSE(st->find_signal_by_external_id("zendesk", ""));
    CHECK_FALSE(st->find_signal(st->insert_signal(from_tool("slack", "", 200, item_id)))->error_rate);
    // The store itself refuses a second (source, external id).
    CHECK_THROWS(st->insert_signal(from_tool("zendesk", "ZD-1", 300, item_id)));
}

TEST_CASE("the outbox summary counts undelivered rows, the oldest and dead letters", "[store][metrics]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    CHECK(st->outbox_summary_now().depth == 0);
    CHECK(st->outbox_summary_now().oldest_queued_at == 0);
    delivery d;
    d.kind = delivery_kind::notice;
    d.platform = "slack";
    d.channel = "C1";
    d.updated_at = 500;
    st->insert_delivery(d);
    d.updated_at = 900;
    auto later = st->insert_delivery(d);
    auto dead = *st->find_delivery(later);
    dead.state = delivery_state::dead;
    dead.updated_at = 950;
    st->update_delivery(dead);
    d.updated_at = 1000;
    st->insert_delivery(d);
    auto summary = st->outbox_summary_now();
    CHECK(summary.depth == 2);
    CHECK(summary.oldest_queued_at == 500);
    CHECK(summary.dead == 1);
}

TEST_CASE("item activity counts the recent and baseline windows of open items", "[store][spike]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto it = open_item();
    it.id = st->insert_item(it);
    for (millis at : {100, 200, 1000, 1100, 1200}) st->insert_signal(from_tool("zendesk", "", at, it.id));
    auto quiet = open_item();
    quiet.key = "other";
    quiet.id = st->insert_item(quiet);
    st->insert_signal(from_tool("zendesk", "", 150, quiet.id)); // nothing recent: not listed
    auto rows = st->item_activity_since(1000, 150);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].item_id == it.id);
    CHECK(rows[0].recent_reports == 3);
    CHECK(rows[0].baseline_reports == 1); // 200; 100 is before the window
    CHECK(rows[0].first_seen == 100);

    st->set_spike_alerted(it.id, true, 1200);
    CHECK(st->alerted_spikes() == std::vector<std::int64_t>{it.id});
    st->set_spike_alerted(it.id, false, 1300);
    CHECK(st->alerted_spikes().empty());
    st->set_spike_alerted(it.id, true, 1400); // the next spike
    CHECK(st->alerted_spikes().size() == 1);
}
