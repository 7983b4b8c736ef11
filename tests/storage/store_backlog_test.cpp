// The outbox's poll (its claims and look-ahead) with a backlog queued behind the channel heads (a
// Slack outage, channels paused by rate limits): still the right answer, from every channel of
// every platform, and still quick, on each backend.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace cxos;

namespace {

constexpr millis lease = 30'000;

std::int64_t queue_post(storage::store& st, const std::string& platform, const std::string& channel, millis due) {
    delivery d;
    d.kind = delivery_kind::notice;
    d.platform = platform;
    d.channel = channel;
    d.next_attempt_at = due;
    return st.insert_delivery(d);
}

// Every queued row `copies` more times, behind all of them (higher ids), as rows queued later.
void queue_copies_behind(const test::scratch_database& db, int copies) {
    const auto sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(copies) +
                     ") INSERT INTO deliveries (signal_id, kind, platform, channel, state, attempts, "
                     "next_attempt_at, platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, user_id, "
                     "payload, queued_at, workspace) SELECT signal_id, kind, platform, channel, state, attempts, "
                     "next_attempt_at, platform_ref, last_error, updated_at, item_id, parent_id, thread_ts, user_id, "
                     "payload, queued_at, workspace FROM deliveries CROSS JOIN n ORDER BY i, deliveries.id";
    db.exec(sql.c_str());
}

} // namespace

TEST_CASE("under a backlog the look-ahead and claims answer from every channel's head, on every platform", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    // 40 channels on each of two platforms, named so their text order is not their number order
    // (C1, C10, C11 … C9): the heads are due from 10 s on, except Slack's C37 (5 s) and Teams'
    // C9, the last channel of the last platform (7 s).
    std::int64_t slack_c37 = 0;
    std::vector<std::int64_t> slack_heads;
    st->begin();
    for (const std::string platform : {"slack", "teams"}) {
        for (int c = 0; c < 40; ++c) {
            const auto channel = "C" + std::to_string(c);
            millis due = 10'000 + c;
            if (platform == "slack" && c == 37) due = 5'000;
            if (platform == "teams" && c == 9) due = 7'000;
            const auto id = queue_post(*st, platform, channel, due);
            if (platform == "slack") slack_heads.push_back(id);
            if (platform == "slack" && c == 37) slack_c37 = id;
        }
    }
    // Behind each head, rows already due (retries of older posts, say): they wait for their head.
    for (const std::string platform : {"slack", "teams"})
        for (int c = 0; c < 40; ++c) queue_post(*st, platform, "C" + std::to_string(c), 0);
    st->commit();
    queue_copies_behind(db, 25); // about 4,000 rows queued

    auto outlook = st->look_ahead(0, {});
    CHECK(outlook.next_claim_at == 5'000);
    CHECK_FALSE(outlook.due_waiting); // the due rows are behind their heads
    CHECK(st->look_ahead(0, {"slack"}).next_claim_at == 7'000); // Teams' last channel is reached
    CHECK(st->look_ahead(0, {"teams"}).next_claim_at == 5'000);
    CHECK_FALSE(st->look_ahead(0, {"slack", "teams"}).next_claim_at);

    // Every Slack head is handed out, and nothing queued behind one.
    std::vector<std::int64_t> claimed;
    for (const auto& d : st->claim_due_heads("A", 20'000, 20'000 + lease, 100, {"teams"})) claimed.push_back(d.id);
    CHECK(claimed == slack_heads);
    CHECK(st->look_ahead(20'000, {"teams"}).next_claim_at == 20'000 + lease);

    // Slack's C37 head is sent: its next row, due already, is the head now.
    auto head = *st->find_delivery(slack_c37);
    head.state = delivery_state::sent;
    st->update_delivery(head);
    outlook = st->look_ahead(0, {});
    CHECK(outlook.next_claim_at == 0);
    CHECK(outlook.due_waiting);
    CHECK(st->look_ahead(0, {"slack"}).next_claim_at == 7'000);
}

TEST_CASE("an outbox poll does not read the backlog queued behind the channel heads", "[store][multi]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    // Four channels with a post due and no slot until 1 s (rate limited), polled while the outbox
    // is nearly empty first, so PostgreSQL's cached generic plans are the ones made for a table
    // of a few rows, as on a server that started before an outage.
    for (int c = 0; c < 4; ++c) {
        const auto channel = "C" + std::to_string(c);
        queue_post(*st, "slack", channel, 0);
        st->reserve_channel_slot("slack", channel, 0, {1'000, 1});
    }
    auto poll = [&] {
        CHECK(st->claim_due_heads("A", 0, lease, 10, {}).empty());
        CHECK(st->look_ahead(0, {}).next_claim_at == 1'000);
    };
    for (int i = 0; i < 8; ++i) poll();
    queue_copies_behind(db, 50'000); // 200,000 rows queued behind 4 heads

    // Reading every queued row took 30 ms a poll on SQLite and 400 ms on PostgreSQL here (1.3 s
    // and 15 s for these polls); one seek per channel, well under 1 ms.
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 40; ++i) poll();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));
}
