#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

using namespace cxos;

namespace {

signal sample() {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", "U1", "ana", "", "", ""};
    s.description = "the invoice shows the wrong currency";
    s.stage = "renew";
    s.comp = component::marketing;
    s.sev = severity::high;
    s.route = {"billing", "invoices", "matched 'invoice'"};
    s.created_at = 1700000000000;
    return s;
}

delivery post_for(std::int64_t signal_id, std::string channel, millis due) {
    delivery d;
    d.signal_id = signal_id;
    d.kind = "routed_signal";
    d.platform = "slack";
    d.channel = std::move(channel);
    d.next_attempt_at = due;
    return d;
}

} // namespace

TEST_CASE("signals survive closing and reopening the database", "[store]") {
    CXOS_EACH_BACKEND(db);
    std::int64_t id = 0;
    {
        auto st = db.open();
        st->begin();
        id = st->insert_signal(sample());
        st->insert_delivery(post_for(id, "C0BILLING", 0));
        st->commit();
    }
    auto st = db.open(); // migrations are not re-applied
    auto s = st->find_signal(id);
    REQUIRE(s);
    CHECK(s->description == sample().description);
    CHECK(s->comp == component::marketing);
    CHECK(s->sev == severity::high);
    CHECK(s->route.rule == "invoices");
    CHECK(s->source.user_name == "ana");
    REQUIRE(st->deliveries_for_signal(id).size() == 1);
    CHECK(st->outbox_depth() == 1);
    CHECK_FALSE(st->find_signal(id + 1));
}

TEST_CASE("a rolled back transaction leaves nothing", "[store]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->begin();
    auto id = st->insert_signal(sample());
    st->rollback();
    CHECK_FALSE(st->find_signal(id));
}

TEST_CASE("the outbox sees one head per channel in order", "[store][outbox]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->begin();
    auto id = st->insert_signal(sample());
    auto b1 = st->insert_delivery(post_for(id, "C0BILLING", 100));
    auto b2 = st->insert_delivery(post_for(id, "C0BILLING", 100));
    auto t1 = st->insert_delivery(post_for(id, "C0TRIAGE", 500));
    st->commit();

    auto open = st->open_channels();
    std::sort(open.begin(), open.end());
    CHECK(open == std::vector<std::pair<std::string, std::string>>{{"slack", "C0BILLING"}, {"slack", "C0TRIAGE"}});
    REQUIRE(st->channel_head("slack", "C0BILLING"));
    CHECK(st->channel_head("slack", "C0BILLING")->id == b1);
    CHECK(st->channel_head("slack", "C0TRIAGE")->id == t1);
    CHECK_FALSE(st->channel_head("teams", "C0BILLING"));

    auto sent = *st->channel_head("slack", "C0BILLING");
    sent.state = delivery_state::sent;
    sent.platform_ref = "1700000000.000100";
    st->update_delivery(sent);
    CHECK(st->channel_head("slack", "C0BILLING")->id == b2); // the next in line
    CHECK(st->outbox_depth() == 2);

    auto dead = *st->channel_head("slack", "C0TRIAGE");
    dead.state = delivery_state::dead;
    st->update_delivery(dead);
    CHECK_FALSE(st->channel_head("slack", "C0TRIAGE"));
    CHECK(st->open_channels().size() == 1);
}

TEST_CASE("unsupported storage URLs are refused with the supported forms", "[store]") {
    CHECK_THROWS_WITH(storage::open_store("mysql://x"), Catch::Contains("sqlite://") && Catch::Contains("postgresql://"));
    CHECK_THROWS_AS(storage::open_store("sqlite://"), storage::store_error);
}

TEST_CASE("a SQLite database's directory is made when missing", "[store][sqlite]") {
    auto dir = std::filesystem::temp_directory_path() / ("cxos-store-" + std::to_string(::getpid()));
    {
        auto st = storage::open_store("sqlite://" + (dir / "nested" / "cxos.db").string());
        CHECK(st->ping());
    }
    CHECK(std::filesystem::exists(dir / "nested" / "cxos.db"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("an ephemeral's response_url is kept with its row, and claimed with it", "[store][outbox]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    st->begin();
    auto id = st->insert_signal(sample());
    auto note = post_for(id, "C0PRIVATE", 100);
    note.kind = "ephemeral";
    note.user = "U0OWNER";
    note.reply_url = "https://hooks.slack.com/actions/T1/2/abc";
    st->insert_delivery(note);
    st->insert_delivery(post_for(id, "C0BILLING", 100));
    st->commit();
    REQUIRE(st->channel_head("slack", "C0PRIVATE"));
    CHECK(st->channel_head("slack", "C0PRIVATE")->reply_url == "https://hooks.slack.com/actions/T1/2/abc");
    CHECK(st->channel_head("slack", "C0BILLING")->reply_url.empty());
    st->begin();
    auto claimed = st->claim_due_heads("me", 200, 30'200, 10, {});
    st->commit();
    REQUIRE(claimed.size() == 2);
    std::sort(claimed.begin(), claimed.end(), [](auto& a, auto& b) { return a.channel > b.channel; });
    CHECK(claimed[0].reply_url == "https://hooks.slack.com/actions/T1/2/abc");
    // Retried, it keeps the URL; finished, it forgets it (a credential for 30 minutes).
    auto row = claimed[0];
    row.attempts = 1;
    st->update_delivery(row);
    CHECK(st->find_delivery(row.id)->reply_url == "https://hooks.slack.com/actions/T1/2/abc");
    row.state = delivery_state::sent;
    st->update_delivery(row);
    CHECK(st->find_delivery(row.id)->reply_url.empty());
}
