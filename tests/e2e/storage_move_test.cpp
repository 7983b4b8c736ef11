// The move the README's "Moving between SQLite and PostgreSQL" promises, done as an operator
// does it: serve on SQLite, stop the service, `cxos export`, `cxos import` into PostgreSQL, point
// the config at it and start again. Reporters and owners see the same items, new reports get the
// next ids and join the items they match, nothing already posted is posted again and what Slack
// had not taken yet is posted once. The move needs the test PostgreSQL server
// (CXOS_TEST_POSTGRES_URL); the refusals run on every backend there is.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <stdlib.h>

using namespace cxos::test;
using nlohmann::json;

namespace {

// A directory for the SQLite database being moved away from, removed with this.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cxos-move-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

std::string ack_of(const http_answer& a) { return json::parse(a.body).dump(); }

std::string status_of(unsigned short port, int item) { return ack_of(slash(port, "status " + std::to_string(item))); }

// The owner posts per item ("Item 3" of "Item 3 · New"), counted: each must be posted once.
std::map<std::string, int> item_posts(const std::vector<posted_message>& posts) {
    std::map<std::string, int> out;
    for (const auto& p : posts) {
        const auto title = p.body.value(json::json_pointer("/blocks/0/text/text"), std::string());
        if (p.thread_ts.empty() && title.rfind("Item ", 0) == 0) ++out[title.substr(0, title.find(" · "))];
    }
    return out;
}

bool any_update_contains(const fake_state& s, const std::string& ts, const std::string& words) {
    return std::any_of(s.updates.begin(), s.updates.end(), [&](const fake_update& u) {
        return u.ts == ts && u.body.dump().find(words) != std::string::npos;
    });
}

std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

// `cxos export` or `cxos import` as a process; its exit status, and its output in `output`.
int run_dump(const std::string& verb, const std::string& file, const std::string& where, std::string& output) {
    return cxos_process::run(verb + " " + shell_quoted(file) + " " + where, output);
}

// The per-table counts a dump command printed ("  signals: 4"), and its total line's numbers.
std::map<std::string, int> table_counts(const std::string& output) {
    std::map<std::string, int> out;
    const std::regex line(R"(^  (\w+): (\d+)$)", std::regex::multiline);
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator(); ++it)
        out[(*it)[1]] = std::stoi((*it)[2]);
    return out;
}

std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// Says why a test that moves to PostgreSQL is skipped when there is no test server.
bool postgres_available() {
    if (!test_postgres_url().empty()) return true;
    WARN("skipped: needs CXOS_TEST_POSTGRES_URL (scripts/test-postgres.sh run ctest …)");
    return false;
}

// A cxos to serve a SQLite file, a new PostgreSQL database to move it to, and their Slack.
struct move_world {
    temp_dir home;
    std::string sqlite_url = "sqlite://" + (home.path / "cxos.db").string();
    postgres_database target{"cxos_move"};
    fake_slack slack;
    cxos_process cxos{slack.api_url(), e2e_routing, shared_storage{sqlite_url, ""}};
};

// The stopped `cxos` moved from `from` to `to` as the README says: `cxos export` with its config,
// `cxos import` into `to`, its config's storage.url pointed at `to`. The commands' outputs are
// left in `exported` and `imported`.
void move_stopped(cxos_process& cxos, const std::string& from, const std::string& to, const std::string& dump,
                  std::string& exported, std::string& imported) {
    REQUIRE(run_dump("export", dump, "--config " + shell_quoted(cxos.config_path()), exported) == 0);
    INFO(exported);
    REQUIRE(run_dump("import", dump, "--storage " + shell_quoted(to), imported) == 0);
    auto config = cxos.config_text();
    config.replace(config.find(from), from.size(), to);
    cxos.set_config_text(config);
}

} // namespace

TEST_CASE("a SQLite installation moved to PostgreSQL and back with cxos export and import keeps its items, ids and deliveries",
          "[e2e][move][postgres]") {
    if (!postgres_available()) return;
    move_world w;
    auto& [home, sqlite_url, target, slack, cxos] = w;
    slack.set_members("C0BILLING", {"U0OWNER"});
    slack.set_members("C0DOCS", {"U0OWNER"});
    cxos.start();

    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
    REQUIRE_THAT(ack_of(slash(cxos.port(), "SSO login loops forever")), Catch::Contains("Logged: item 2"));
    REQUIRE_THAT(ack_of(slash(cxos.port(), "docs article search returns nothing")), Catch::Contains("Logged: item 3"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return item_posts(s.posts).size() == 3; }));
    const auto billing_ts = slack.posts_in("C0BILLING").at(0).ts;
    const auto docs_ts = slack.posts_in("C0DOCS").at(0).ts;
    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Added to item 1"));
    REQUIRE(slack.wait_for([&](const fake_state& s) { return any_update_contains(s, billing_ts, "2 reports"); }));
    // The owner acknowledges item 1: its status, the audit and the reporter's notice are rows too.
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0BILLING", billing_ts, "triage.ack", "1"))
                .status == 200);
    REQUIRE(slack.wait_for([&](const fake_state& s) { return any_update_contains(s, billing_ts, "Acknowledged"); }));
    REQUIRE(slack.wait_for([](const fake_state& s) {
        return std::any_of(s.posts.begin(), s.posts.end(), [](const auto& p) { return p.channel == "U0AGENT"; });
    }));
    cxos.settle();
    std::map<int, std::string> status_before;
    for (int item = 1; item <= 3; ++item) status_before[item] = status_of(cxos.port(), item);
    CHECK_THAT(status_before[1], Catch::Contains("Acknowledged") && Catch::Contains("2 reports"));
    const auto posts_before = slack.posts().size();
    const auto updates_before = slack.updates().size();
    REQUIRE(cxos.stop() == 0);

    const auto dump = (home.path / "move.jsonl").string();
    std::string exported, imported;
    move_stopped(cxos, sqlite_url, target.url, dump, exported, imported);
    INFO(exported);
    INFO(imported);
    CHECK_THAT(exported, Catch::Contains("wrote " + dump));
    // What customers reported and the sealed workspace tokens: readable by cxos's user only.
    CHECK(std::filesystem::status(dump).permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    // The counts an operator compares: every table's, and the total, the same on both sides.
    std::smatch exported_total, imported_total;
    REQUIRE(std::regex_search(exported, exported_total, std::regex(R"(exported (\d+) rows in (\d+) tables)")));
    REQUIRE(std::regex_search(imported, imported_total, std::regex(R"(imported (\d+) rows in (\d+) tables)")));
    CHECK(imported_total[1] == exported_total[1]);
    CHECK(imported_total[2] == exported_total[2]);
    const auto counts = table_counts(imported);
    CHECK(counts == table_counts(exported));
    CHECK(counts.at("signals") == 4);
    CHECK(counts.at("items") == 3);
    CHECK_THAT(imported, !Catch::Contains(sqlite_url));

    // storage.url is the PostgreSQL database now, in the same config file: the service starts again.
    cxos.start();
    for (int item = 1; item <= 3; ++item) CHECK(status_of(cxos.port(), item) == status_before[item]);
    CHECK_THAT(status_of(cxos.port(), 4), Catch::Contains("No item 4"));

    // New reports continue the ids (PostgreSQL's sequences are past the loaded ones) and join
    // the item the same words were reported on.
    const auto joined = ack_of(slash(cxos.port(), "SSO login loops forever"));
    CHECK_THAT(joined, Catch::Contains("Added to item 2") && Catch::Contains("Signal 5"));
    const auto fresh = ack_of(slash(cxos.port(), "charge appears twice on the card"));
    CHECK_THAT(fresh, Catch::Contains("Logged: item 4") && Catch::Contains("Signal 6"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return item_posts(s.posts).count("Item 4") == 1; }));
    // The owner's post from before the move is still theirs to act on: updated in place.
    REQUIRE(send_interaction(cxos.port(), block_actions_payload("U0OWNER", "C0DOCS", docs_ts, "triage.ack", "3"))
                .status == 200);
    REQUIRE(slack.wait_for([&](const fake_state& s) { return any_update_contains(s, docs_ts, "Acknowledged"); }));
    cxos.settle();

    // Nothing delivered before the move went out again: each item posted once, the reporter's
    // notice once, and the only new posts are item 4's and item 3's reporter notice.
    const auto posts = slack.posts();
    CHECK(item_posts(posts) == std::map<std::string, int>{{"Item 1", 1}, {"Item 2", 1}, {"Item 3", 1}, {"Item 4", 1}});
    CHECK(slack.posts_in("C0BILLING").size() == 2);
    CHECK(posts.size() == posts_before + 2);
    CHECK(slack.posts_in("U0AGENT").size() == 2);
    CHECK(slack.updates().size() > updates_before);
    CHECK_THAT(status_of(cxos.port(), 2), Catch::Contains("2 reports"));

    // And the other way, to a new SQLite file, as the README says the same commands do.
    std::map<int, std::string> status_on_postgres;
    for (int item = 1; item <= 4; ++item) status_on_postgres[item] = status_of(cxos.port(), item);
    const auto posts_on_postgres = slack.posts().size();
    REQUIRE(cxos.stop() == 0);
    const std::string back_url = "sqlite://" + (home.path / "back.db").string();
    move_stopped(cxos, target.url, back_url, (home.path / "back.jsonl").string(), exported, imported);
    CHECK(table_counts(imported) == table_counts(exported));
    cxos.start();
    for (int item = 1; item <= 4; ++item) CHECK(status_of(cxos.port(), item) == status_on_postgres[item]);
    CHECK_THAT(ack_of(slash(cxos.port(), "docs article search returns nothing")),
               Catch::Contains("Added to item 3") && Catch::Contains("Signal 7"));
    CHECK_THAT(ack_of(slash(cxos.port(), "the export button is hidden")),
               Catch::Contains("Logged: item 5") && Catch::Contains("Signal 8"));
    REQUIRE(slack.wait_for([](const fake_state& s) { return item_posts(s.posts).count("Item 5") == 1; }));
    cxos.settle();
    CHECK(slack.posts().size() == posts_on_postgres + 1);
    CHECK(item_posts(slack.posts()) ==
          std::map<std::string, int>{{"Item 1", 1}, {"Item 2", 1}, {"Item 3", 1}, {"Item 4", 1}, {"Item 5", 1}});
    CHECK(cxos.stop() == 0);
}

TEST_CASE("cxos import refuses a database that is not empty and a dump cut short, and changes nothing",
          "[e2e][move]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO("target backend: " << backend);
    temp_dir home;
    const auto dump = (home.path / "move.jsonl").string();
    {
        fake_slack slack;
        cxos_process cxos(slack.api_url(), e2e_routing,
                          shared_storage{"sqlite://" + (home.path / "cxos.db").string(), ""});
        cxos.start();
        REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
        REQUIRE_THAT(ack_of(slash(cxos.port(), "SSO login loops forever")), Catch::Contains("Logged: item 2"));
        REQUIRE(cxos.stop() == 0);
        std::string exported;
        REQUIRE(run_dump("export", dump, "--config " + shell_quoted(cxos.config_path()), exported) == 0);
    }
    // Each target a new database of its backend.
    std::vector<std::unique_ptr<postgres_database>> pg;
    int targets = 0;
    const auto new_target = [&] {
        if (backend == "sqlite") return "sqlite://" + (home.path / ("target" + std::to_string(++targets) + ".db")).string();
        return pg.emplace_back(std::make_unique<postgres_database>("cxos_move"))->url;
    };

    SECTION("into a database that already holds data") {
        const auto url = new_target();
        std::string output;
        REQUIRE(run_dump("import", dump, "--storage " + shell_quoted(url), output) == 0);
        const auto before = (home.path / "before.jsonl").string(), after = (home.path / "after.jsonl").string();
        REQUIRE(run_dump("export", before, "--storage " + shell_quoted(url), output) == 0);

        CHECK(run_dump("import", dump, "--storage " + shell_quoted(url), output) == 1);
        CHECK_THAT(output, Catch::Contains("cxos import: the target database is not empty") &&
                               Catch::Contains("import into a new database"));
        CHECK_THAT(output, !Catch::Contains("imported"));
        REQUIRE(run_dump("export", after, "--storage " + shell_quoted(url), output) == 0);
        CHECK(file_text(after) == file_text(before));
        CHECK(table_counts(output).at("signals") == 2);
    }

    SECTION("from a dump cut short") {
        const auto url = new_target();
        const auto whole = file_text(dump);
        const auto last_line = whole.rfind('\n', whole.size() - 2) + 1;
        // Without its closing line (as a copy stopped at a line), and cut inside a row.
        const std::map<std::string, std::string> cuts{{"cut short", whole.substr(0, last_line)},
                                                      {"dump line", whole.substr(0, whole.size() / 2)}};
        for (const auto& [says, text] : cuts) {
            INFO("cut at " << text.size() << " of " << whole.size() << " bytes");
            const auto cut = (home.path / "cut.jsonl").string();
            write_file(cut, text);
            std::string output;
            CHECK(run_dump("import", cut, "--storage " + shell_quoted(url), output) == 1);
            CHECK_THAT(output, Catch::Contains("cxos import: dump line") && Catch::Contains(says));
            CHECK_THAT(output, !Catch::Contains("imported"));
        }
        // The target is left empty, so the whole dump goes in afterwards.
        std::string output;
        REQUIRE(run_dump("export", (home.path / "empty.jsonl").string(), "--storage " + shell_quoted(url), output) == 0);
        CHECK_THAT(output, Catch::Contains("exported 0 rows"));
        REQUIRE(run_dump("import", dump, "--storage " + shell_quoted(url), output) == 0);
        CHECK(table_counts(output).at("signals") == 2);
        CHECK(table_counts(output).at("items") == 2);
    }
}

TEST_CASE("posts Slack had not taken before the move go out once from PostgreSQL", "[e2e][move][postgres]") {
    if (!postgres_available()) return;
    move_world w;
    auto& [home, sqlite_url, target, slack, cxos] = w;
    for (int i = 0; i < 200; ++i) slack.script({503, "", ""}); // Slack is down during the move
    cxos.start();
    REQUIRE_THAT(ack_of(slash(cxos.port(), "the invoice PDF is blank")), Catch::Contains("Logged: item 1"));
    REQUIRE_THAT(ack_of(slash(cxos.port(), "SSO login loops forever")), Catch::Contains("Logged: item 2"));
    REQUIRE(slack.wait_for_attempts(3));
    REQUIRE(cxos.stop() == 0);

    std::string exported, imported;
    move_stopped(cxos, sqlite_url, target.url, (home.path / "move.jsonl").string(), exported, imported);

    slack.clear_script(); // Slack is back
    cxos.start();
    // Within the retry backoff, not after a lease: a clean stop left no claim to wait out.
    REQUIRE(slack.wait_until([](const std::vector<posted_message>& p) { return item_posts(p).size() == 2; },
                             std::chrono::seconds(20)));
    cxos.settle();
    CHECK(item_posts(slack.posts()) == std::map<std::string, int>{{"Item 1", 1}, {"Item 2", 1}});
    CHECK(cxos.stop() == 0);
}
