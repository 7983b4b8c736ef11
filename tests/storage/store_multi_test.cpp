// The multi-instance primitives, on each backend with two connections to one database standing
// for two cxos instances: outbox claims, the shared channel pace, leadership, and dedupe that
// holds when the same retry reaches both.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <thread>

using namespace cxos;

namespace {

constexpr millis lease = 30'000;

std::int64_t queue_post(storage::store& st, std::string channel, millis due = 0) {
    delivery d;
    d.kind = delivery_kind::notice;
    d.platform = "slack";
    d.channel = std::move(channel);
    d.next_attempt_at = due;
    return st.insert_delivery(d);
}

std::vector<std::int64_t> ids(const std::vector<delivery>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& d : rows) out.push_back(d.id);
    return out;
}

void mark(storage::store& st, std::int64_t id, delivery_state state) {
    auto d = *st.find_delivery(id);
    d.state = state;
    st.update_delivery(d);
}

} // namespace

TEST_CASE("claims hand each due channel head to one instance and take over after the lease", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    const auto c1 = queue_post(*a, "C1"), c1_next = queue_post(*a, "C1");
    const auto c2 = queue_post(*a, "C2", 100); // not due before 100
    const auto c3_sent = queue_post(*a, "C3"), c3 = queue_post(*a, "C3");
    mark(*a, c3_sent, delivery_state::sent);

    CHECK(ids(a->claim_due_heads("A", 50, 50 + lease, 10, {})) == std::vector<std::int64_t>{c1, c3});
    CHECK(b->claim_due_heads("B", 50, 50 + lease, 10, {}).empty()); // another's live claims
    CHECK(a->claim_due_heads("A", 60, 60 + lease, 10, {}).empty()); // a row in flight is not handed out twice
    CHECK(a->channel_head("slack", "C1")->id == c1);            // claims do not change the head

    mark(*a, c1, delivery_state::sent); // the channel's next row is its head now, free to claim
    auto next = b->claim_due_heads("B", 70, 70 + lease, 1, {});
    REQUIRE(next.size() == 1);
    CHECK(next[0].id == c1_next);
    CHECK(next[0].channel == "C1");

    // A dies holding C3's head: C2's row, due now, is B's to take, C3's only once A's lease ran
    // out; then A may no longer send it.
    CHECK(ids(b->claim_due_heads("B", 50 + lease - 1, 50 + 2 * lease, 10, {})) == std::vector<std::int64_t>{c2});
    CHECK(ids(b->claim_due_heads("B", 50 + lease, 50 + 2 * lease, 10, {})) == std::vector<std::int64_t>{c3});
    CHECK_FALSE(a->renew_claim(c3, "A", 100 + lease));
    CHECK(b->renew_claim(c3, "B", 100 + 2 * lease));

    // Released (its send failed and it waits for a retry), it is anyone's at once.
    b->release_claim(c3, "B");
    CHECK(ids(a->claim_due_heads("A", 60 + lease, 60 + 2 * lease, 10, {})) == std::vector<std::int64_t>{c3});
    mark(*a, c3, delivery_state::sent);
    CHECK_FALSE(a->renew_claim(c3, "A", 70 + 2 * lease)); // finished: nothing left to send
}

TEST_CASE("a claim renewed through a send slower than its lease is never taken over", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    const auto id = queue_post(*a, "C1");
    REQUIRE(ids(a->claim_due_heads("A", 0, lease, 10, {})) == std::vector<std::int64_t>{id});
    // A's request stays on the wire for three leases; A renews every third of one, as its outbox
    // worker does, and B, looking all the while, never gets the row.
    for (millis now = lease / 3; now <= 3 * lease; now += lease / 3) {
        REQUIRE(a->renew_claim(id, "A", now + lease));
        CHECK(b->claim_due_heads("B", now + 1, now + 1 + lease, 10, {}).empty());
    }
    // Renewals that stop (A died, or lost the database) hand the row over a lease later, and A's
    // outcome is then not A's to record: its check fails, as its worker's save does.
    CHECK(b->claim_due_heads("B", 4 * lease - 1, 5 * lease, 10, {}).empty());
    CHECK(ids(b->claim_due_heads("B", 4 * lease, 5 * lease, 10, {})) == std::vector<std::int64_t>{id});
    CHECK_FALSE(a->renew_claim(id, "A", 4 * lease + 1));
    CHECK(b->renew_claim(id, "B", 4 * lease + 1));
}

TEST_CASE("two instances claiming at once send every row exactly once", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    constexpr int channels = 30;
    std::set<std::int64_t> queued;
    {
        auto st = db.open();
        st->begin();
        for (int c = 0; c < channels; ++c)
            for (int n = 0; n < 2; ++n) queued.insert(queue_post(*st, "C" + std::to_string(c)));
        st->commit();
    }
    // Each instance claims a few heads per batch and "sends" them, as an outbox worker would.
    auto instance = [&db](std::string name) {
        auto st = db.open();
        std::vector<std::int64_t> sent;
        for (int idle = 0; idle < 3;) {
            st->begin();
            auto claimed = st->claim_due_heads(name, 10, 10 + lease, 4, {});
            for (auto& d : claimed) {
                d.state = delivery_state::sent;
                st->update_delivery(d);
                sent.push_back(d.id);
            }
            st->commit();
            idle = claimed.empty() ? idle + 1 : 0;
        }
        return sent;
    };
    auto first = std::async(std::launch::async, instance, "A");
    auto second = std::async(std::launch::async, instance, "B");
    auto sent = first.get();
    auto more = second.get();
    sent.insert(sent.end(), more.begin(), more.end());
    std::sort(sent.begin(), sent.end());
    CHECK(std::adjacent_find(sent.begin(), sent.end()) == sent.end()); // none twice
    CHECK(std::set<std::int64_t>(sent.begin(), sent.end()) == queued); // none missed
}

TEST_CASE("a head being claimed in another transaction is skipped, not waited for", "[store][multi][postgresql]") {
    CXOS_EACH_BACKEND(db);
    if (!db.postgres()) return; // SQLite has one writer at a time: the second would wait for the first
    auto a = db.open(), b = db.open();
    const auto c1 = queue_post(*a, "C1"), c2 = queue_post(*a, "C2"), c3 = queue_post(*a, "C3");
    a->begin();
    CHECK(ids(a->claim_due_heads("A", 0, lease, 2, {})) == std::vector<std::int64_t>{c1, c2});
    CHECK(ids(b->claim_due_heads("B", 0, lease, 10, {})) == std::vector<std::int64_t>{c3}); // A's are locked
    a->commit();
    CHECK(b->claim_due_heads("B", 0, lease, 10, {}).empty()); // and now leased
}

TEST_CASE("a channel without a slot and a platform on hold are not claimed", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    const auto c1 = queue_post(*a, "C1"), c2 = queue_post(*a, "C2");
    delivery teams_row;
    teams_row.kind = delivery_kind::notice;
    teams_row.platform = "teams";
    teams_row.channel = "19:x@thread.tacv2";
    const auto t1 = a->insert_delivery(teams_row);
    const storage::pace_rule one_a_second{1000, 1};
    CHECK(a->reserve_channel_slot("slack", "C1", 0, one_a_second) == 0); // C1's slot is gone until 1000
    b->pause_channel("slack", "C2", 5000);                               // a 429 on another instance

    // Slack is on hold here: its rows wait, Teams' go; paced channels wait on every instance.
    CHECK(ids(a->claim_due_heads("A", 500, 500 + lease, 10, {"slack"})) == std::vector<std::int64_t>{t1});
    CHECK(b->claim_due_heads("B", 500, 500 + lease, 10, {}).empty());
    CHECK(ids(b->claim_due_heads("B", 1000, 1000 + lease, 10, {"teams"})) == std::vector<std::int64_t>{c1});
    CHECK(ids(a->claim_due_heads("A", 5000, 5000 + lease, 10, {})) == std::vector<std::int64_t>{c2});
}

TEST_CASE("the look-ahead says when the next head may be claimed and whether a due one waits", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    CHECK_FALSE(a->look_ahead(0, {}).next_claim_at); // nothing queued
    const auto c1 = queue_post(*a, "C1", 2000);
    queue_post(*a, "C1"); // behind C1's head: not looked at
    auto later = a->look_ahead(0, {});
    CHECK(later.next_claim_at == 2000);
    CHECK_FALSE(later.due_waiting); // a retry's backoff is not work waiting

    const auto c2 = queue_post(*a, "C2");
    CHECK(a->reserve_channel_slot("slack", "C2", 0, {1000, 1}) == 0); // C2's slot is taken until 1000
    auto paced = b->look_ahead(500, {});
    CHECK(paced.next_claim_at == 1000);
    CHECK(paced.due_waiting);
    CHECK(b->look_ahead(500, {"slack"}).next_claim_at == std::nullopt); // a platform on hold is not waited for

    // Claimed by an instance that died: free once its lease runs out.
    const auto claimed = a->claim_due_heads("A", 2000, 2000 + lease, 10, {});
    CHECK(ids(claimed) == std::vector<std::int64_t>{c1, c2});
    for (const auto& d : claimed) CHECK((d.platform == "slack" && !d.channel.empty())); // the whole row comes back
    mark(*a, c2, delivery_state::sent);
    CHECK(b->look_ahead(2000, {}).next_claim_at == 2000 + lease);
    // The only server of the database voids what its crashed run claimed.
    b->release_every_claim();
    CHECK(b->look_ahead(2000, {}).next_claim_at == 2000);
}

TEST_CASE("the channel pace is shared by every instance", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    const storage::pace_rule rule{1000, 3};
    CHECK(a->reserve_channel_slot("slack", "C1", 0, rule) == 0);
    CHECK(b->reserve_channel_slot("slack", "C1", 0, rule) == 0);
    CHECK(a->reserve_channel_slot("slack", "C1", 0, rule) == 0);
    CHECK(b->reserve_channel_slot("slack", "C1", 0, rule) == 1000); // the burst of three is used up
    CHECK(a->reserve_channel_slot("slack", "C1", 400, rule) == 600);
    CHECK(a->reserve_channel_slot("slack", "C2", 400, rule) == 0); // channels are paced apart
    CHECK(a->reserve_channel_slot("teams", "C1", 400, rule) == 0); // and platforms
    CHECK(b->reserve_channel_slot("slack", "C1", 1000, rule) == 0);
    CHECK(a->reserve_channel_slot("slack", "C1", 1000, rule) == 1000);

    // A 429 on one instance holds the channel on all, then the burst refills from then.
    b->pause_channel("slack", "C1", 5000);
    CHECK(a->reserve_channel_slot("slack", "C1", 2500, rule) == 2500);
    CHECK(a->reserve_channel_slot("slack", "C1", 5000, rule) == 0);
    CHECK(b->reserve_channel_slot("slack", "C1", 5000, rule) == 1000);
    a->pause_channel("slack", "C1", 3000); // an earlier pause never shortens a later one
    CHECK(b->reserve_channel_slot("slack", "C1", 5500, rule) == 500);
    a->pause_channel("slack", "C9", 7000); // a channel never paced before
    CHECK(b->reserve_channel_slot("slack", "C9", 6000, rule) == 1000);
}

TEST_CASE("one instance leads a job and hands over when its connection ends", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open();
    auto b = db.open();
    if (!db.postgres()) {
        // One process owns a SQLite file: it always leads.
        CHECK(a->try_lead("council"));
        CHECK(b->try_lead("council"));
        return;
    }
    CHECK(a->try_lead("council"));
    CHECK(a->try_lead("council")); // renewal: still the leader
    CHECK_FALSE(b->try_lead("council"));
    CHECK(b->try_lead("spikes")); // jobs are led apart
    a->release_lead("council");
    CHECK(b->try_lead("council"));
    CHECK_FALSE(a->try_lead("council"));
    b->release_lead("nothing held"); // harmless

    // A rolled-back run does not drop the lead, and a renewal never stacks a second lock.
    b->begin();
    CHECK(b->try_lead("council"));
    b->rollback();
    CHECK(b->try_lead("council"));
    b->release_lead("council");
    CHECK(a->try_lead("council"));

    // The leader dies: its session ends with it and the other takes over without waiting for a lease.
    a.reset();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool led = false;
    while (!(led = b->try_lead("council")) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield(); // the server notices the closed connection within milliseconds
    CHECK(led);
}

TEST_CASE("a retry reaching two instances at once is recognised by one of them", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto a = db.open(), b = db.open();
    storage::council_run run;
    run.week = "2026-W48";
    run.trigger = "scheduled";
    // A holds its transaction open while B tries the same writes: B waits for A's commit (the
    // unique key is in the database, not in a process) and then sees them as already there.
    a->begin();
    CHECK(a->remember_event("slack:Ev1", 1));
    CHECK(a->insert_council_run(run) > 0);
    auto second = std::async(std::launch::async, [&] {
        return std::pair{b->remember_event("slack:Ev1", 2), b->insert_council_run(run)};
    });
    CHECK(second.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
    a->commit();
    auto [seen_before, run_id] = second.get();
    CHECK_FALSE(seen_before);
    CHECK(run_id == 0);
}
