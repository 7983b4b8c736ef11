// Two cxos instances on one PostgreSQL database, as behind a load balancer: reports reach both
// while one is killed with SIGKILL and restarted; every acknowledged report is stored once, every
// item's post reaches its owner once (also when the killed one held the claims), and the weekly
// digest is posted once. Needs the test
// PostgreSQL server (CXOS_TEST_POSTGRES_URL): a SQLite file has one server only.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/slack_client.hpp"

#include "storage/pg_connection.hpp"
#include "storage/store.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <mutex>
#include <thread>

using namespace cxos::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A short lease, so the killed instance's claims are taken over within the test.
shared_storage on(const postgres_database& db) { return {db.url, "claim_lease_seconds: 2"}; }

// What cxos acknowledged: the report's text and the item it joined.
struct acknowledged {
    std::mutex mutex;
    std::map<std::string, std::string> item_of_text;

    bool send(unsigned short port, const std::string& text) {
        if (port == 0) return false;
        try {
            auto answer = slash(port, text);
            if (answer.status != 200) return false;
            const auto title = json::parse(answer.body)["text"].get<std::string>();
            const auto at = title.find("item ");
            if (at == std::string::npos) return false;
            std::lock_guard lock(mutex);
            item_of_text[text] = title.substr(at + 5, title.find_first_not_of("0123456789", at + 5) - at - 5);
            return true;
        } catch (const std::exception&) {
            return false; // the instance died under the request: not acknowledged
        }
    }
    std::size_t size() {
        std::lock_guard lock(mutex);
        return item_of_text.size();
    }
};

const char* const topics[] = {"refund", "invoice", "docs article", "login page", "archived export", "dark mode"};

std::string report(const std::string& sender, int n, int attempt) {
    return std::string(topics[n % 6]) + " broken for customer " + sender + std::to_string(n) + " try " +
           std::to_string(attempt);
}

// The items of the owner posts ("Item 7" of "Item 7 · New"; the status is the item's when the
// post was sent, which another instance may already have moved on), one entry per post.
std::multiset<std::string> item_posts(const std::vector<posted_message>& posts) {
    std::multiset<std::string> out;
    for (const auto& p : posts) {
        const auto title = p.body.value(json::json_pointer("/blocks/0/text/text"), std::string());
        if (p.thread_ts.empty() && title.rfind("Item ", 0) == 0) out.insert(title.substr(0, title.find(" · ")));
    }
    return out;
}

} // namespace

TEST_CASE("two instances on one database, one killed under load: every report stored once, every post sent once",
          "[e2e][multi]") {
    if (test_postgres_url().empty()) {
        WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
        return;
    }
    postgres_database db("cxos_multi");
    fake_slack slack;
    cxos_process a(slack.api_url(), e2e_routing, on(db)), b(slack.api_url(), e2e_routing, on(db));
    a.start();
    b.start();
    std::atomic<unsigned short> b_port{b.port()};

    // One client per instance; what B cannot answer goes to A, as a load balancer fails over
    // (a new attempt, with its own text: a report B stored but never acknowledged may stay).
    acknowledged acks;
    constexpr int per_client = 20;
    std::atomic<int> b_acks{0}, b_tried{0};
    std::thread to_a([&] {
        for (int n = 0; n < per_client; ++n) acks.send(a.port(), report("a", n, 0));
    });
    std::thread to_b([&] {
        for (int n = 0; n < per_client; ++n) {
            if (acks.send(b_port.load(), report("b", n, 0))) ++b_acks;
            else acks.send(a.port(), report("b", n, 1));
            ++b_tried;
        }
    });
    while (b_acks.load() < 6) std::this_thread::yield();
    b.kill_hard(); // mid-run: requests in flight, rows claimed, posts on the wire
    b_port = 0;
    const int tried_at_kill = b_tried.load();
    while (b_tried.load() < tried_at_kill + 5) std::this_thread::yield();
    b.start();
    b_port = b.port();
    to_a.join();
    to_b.join();
    REQUIRE(acks.size() >= per_client);

    // Every acknowledged report is stored once, in the item its acknowledgement named.
    {
        auto st = cxos::storage::open_store(db.url, {0, false});
        std::map<std::string, int> stored;
        std::set<std::string> items;
        for (const auto& [text, item] : acks.item_of_text) items.insert(item);
        for (const auto& item : items)
            for (const auto& s : st->signals_of_item(std::stoll(item))) ++stored[s.description];
        for (const auto& [text, item] : acks.item_of_text) CHECK(stored[text] == 1);
    }

    // Every item's post reaches its owner once, whichever instance sent it or took it over.
    std::set<std::string> items;
    for (const auto& [text, item] : acks.item_of_text) items.insert("Item " + item);
    CHECK(slack.wait_until([&](const std::vector<posted_message>& posts) {
        const auto sent = item_posts(posts);
        return std::all_of(items.begin(), items.end(), [&](const auto& t) { return sent.count(t) > 0; });
    }, 60s));
    a.settle();
    b.settle();
    std::map<std::string, int> posted;
    for (const auto& title : item_posts(slack.posts())) ++posted[title];
    for (const auto& [title, count] : posted) {
        INFO(title);
        CHECK(count == 1);
    }
}

TEST_CASE("posts a killed instance held claimed are sent by the other after the lease, each once", "[e2e][multi]") {
    if (test_postgres_url().empty()) {
        WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
        return;
    }
    postgres_database db("cxos_multi");
    // A's Slack never answers a post: A dies with every channel's head claimed and on the wire,
    // and none of them landed. B has a Slack of its own, so what B posts is told apart.
    fake_slack slack_of_a, slack_of_b;
    slack_of_a.hold_posts(true);
    cxos_process a(slack_of_a.api_url(), e2e_routing, on(db)), b(slack_of_b.api_url(), e2e_routing, on(db));
    a.start();
    acknowledged acks;
    for (const char* text : {"refund missing for acme", "docs article outdated", "archived export fails", "dark mode unreadable"})
        REQUIRE(acks.send(a.port(), text));
    std::set<std::string> items;
    for (const auto& [text, item] : acks.item_of_text) items.insert("Item " + item);
    REQUIRE(items.size() == 4); // one per owner channel: four claims at once
    REQUIRE(slack_of_a.wait_for([](const fake_state& s) { return s.held_posts >= 4; }));

    b.start();
    a.kill_hard();
    // B takes each row over once A's lease ends; the rows are `sending` (in doubt), are in no
    // channel's history, and so are sent, once each.
    CHECK(slack_of_b.wait_until([&](const std::vector<posted_message>& posts) {
        const auto sent = item_posts(posts);
        return std::all_of(items.begin(), items.end(), [&](const auto& t) { return sent.count(t) > 0; });
    }, 30s));
    b.settle();
    CHECK(slack_of_a.posts().empty());
    CHECK(slack_of_a.state().held_posts == 4);
    std::map<std::string, int> posted;
    for (const auto& title : item_posts(slack_of_b.posts())) ++posted[title];
    CHECK(posted.size() == 4);
    for (const auto& [title, count] : posted) {
        INFO(title);
        CHECK(count == 1);
    }
}

TEST_CASE("a post slower than the claim lease stays with the instance sending it", "[e2e][multi]") {
    if (test_postgres_url().empty()) {
        WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
        return;
    }
    postgres_database db("cxos_multi");
    fake_slack slack_of_a, slack_of_b; // apart, so a post B made would be told apart
    slack_of_a.hold_posts(true);
    cxos_process a(slack_of_a.api_url(), e2e_routing, on(db)), b(slack_of_b.api_url(), e2e_routing, on(db));
    a.start();
    b.start();
    acknowledged acks;
    REQUIRE(acks.send(a.port(), "refund missing for acme"));
    REQUIRE(slack_of_a.wait_for([](const fake_state& s) { return s.held_posts == 1; }));

    // The claim's first lease ends while A's request is still on the wire: A renews it, so B
    // finds the row claimed whenever it looks. Seen in the database: a renewal made after the
    // first lease had run out, still A's.
    cxos::storage::pg_connection sql(db.url);
    const auto lease_of_post = [&] {
        auto row = sql.run("SELECT lease_until, claimed_by FROM deliveries WHERE kind = 'routed_item'");
        return row.step() ? std::make_pair(row.int64(0), row.text(1)) : std::make_pair(std::int64_t{0}, std::string());
    };
    const auto [first_lease, first_owner] = lease_of_post();
    REQUIRE(first_lease > 0);
    CHECK(eventually([&] { return lease_of_post().first >= first_lease + 2000; }));
    CHECK(lease_of_post().second == first_owner);

    slack_of_a.hold_posts(false);
    a.settle();
    b.settle();
    CHECK(item_posts(slack_of_a.posts()).size() == 1);
    CHECK(item_posts(slack_of_b.posts()).empty());
    CHECK(slack_of_b.post_attempts() == 0);
}

TEST_CASE("a digest scheduled on both instances is posted once, and by the other when the leader dies",
          "[e2e][multi]") {
    if (test_postgres_url().empty()) {
        WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
        return;
    }
    const std::string council_yaml = std::string(e2e_routing) + R"(council:
  slack_channel: C0COUNCIL
  schedule: "MON 09:00"
  timezone: UTC
)";
    constexpr long long monday_0858 = 1792400280000; // Mon 19 Oct 2026 08:58 UTC
    constexpr long long week = 7LL * 24 * 3600 * 1000;
    postgres_database db("cxos_multi");
    fake_slack slack;
    cxos_process a(slack.api_url(), council_yaml, on(db)), b(slack.api_url(), council_yaml, on(db));
    for (auto* instance : {&a, &b}) {
        instance->use_test_clock(monday_0858);
        instance->start();
    }
    REQUIRE(slash(a.port(), "refund missing for acme").status == 200);
    // Counted in the posts wait_until hands over: its predicate runs under the fake's lock.
    const auto digests = [](const std::vector<posted_message>& posts, const std::string& week_label) {
        return std::count_if(posts.begin(), posts.end(), [&](const posted_message& p) {
            return p.channel == "C0COUNCIL" && p.thread_ts.empty() && p.body.dump().find(week_label) != std::string::npos;
        });
    };

    for (auto* instance : {&a, &b}) instance->move_clock(monday_0858 + 3 * 60 * 1000);
    REQUIRE(slack.wait_until([&](const auto& posts) { return digests(posts, "week 43") >= 1; }));
    a.settle();
    b.settle();
    CHECK(digests(slack.posts(), "week 43") == 1);

    // The leader may be either: A dies holding whatever it held, B posts the next week alone.
    a.kill_hard();
    b.move_clock(monday_0858 + week + 3 * 60 * 1000);
    CHECK(slack.wait_until([&](const auto& posts) { return digests(posts, "week 44") >= 1; }));
    a.use_test_clock(monday_0858 + week + 30 * 60 * 1000);
    a.start();
    a.settle();
    b.settle();
    CHECK(digests(slack.posts(), "week 43") == 1);
    CHECK(digests(slack.posts(), "week 44") == 1);
}

TEST_CASE("cxos migrate prepares the database and exits, and instances then start on it", "[e2e][multi]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    std::string output;
    REQUIRE(cxos_process::run("migrate --config " + cxos.config_path(), output) == 0);
    CHECK_THAT(output, Catch::Contains("database is at schema version"));
    CHECK(cxos_process::run("migrate --config " + cxos.config_path(), output) == 0); // nothing left: still fine
    cxos.start();
    CHECK(slash(cxos.port(), "refund missing after migrate").status == 200);
}
