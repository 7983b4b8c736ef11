// `cxos backup` against a cxos that is serving and taking reports: the copy is one consistent
// moment of the database, and a second cxos serving it answers for the same signals.
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <regex>
#include <thread>

using namespace cxos::test;
using nlohmann::json;

namespace {

std::string status_text(unsigned short port, int signal_id) {
    return json::parse(slash(port, "status " + std::to_string(signal_id)).body).dump();
}

} // namespace

TEST_CASE(
    "cxos backup copies a serving database and a cxos serving the copy shows the same signals",
    "[e2e][backup]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    // Five frictions that read nothing alike, so each is an item of its own.
    const std::vector<std::string> frictions{"the invoice PDF is blank", "SSO login loops forever",
                                             "docs article search returns nothing", "the export button is hidden",
                                             "charge appears twice on the card"};
    for (int i = 1; i <= 5; ++i)
        REQUIRE_THAT(slash(cxos.port(), frictions[i - 1]).body, Catch::Contains("Logged: item " + std::to_string(i)));

    // A second cxos, whose database will be the copy (and whose own Slack is its own fake).
    fake_slack slack_of_copy;
    cxos_process restored(slack_of_copy.api_url(), e2e_routing);
    std::filesystem::create_directories(restored.dir() / "data");
    const auto copy = (restored.dir() / "data" / "cxos.db").string();

    // Reports keep arriving while the copy is taken (bounded: the writer stops when it is done).
    std::atomic<bool> copied{false};
    std::atomic<int> written_meanwhile{0};
    std::thread writer([&] {
        for (int i = 0; i < 200 && !copied; ++i) {
            slash(cxos.port(), "the refund never arrived, meanwhile " + std::to_string(i));
            ++written_meanwhile;
        }
    });
    std::string output;
    const int exit_status =
        cxos_process::run("backup '" + copy + "' --config '" + cxos.config_path() + "'", output);
    copied = true;
    writer.join();
    INFO(output);
    REQUIRE(exit_status == 0);
    CHECK_THAT(output, Catch::Contains("wrote " + copy));
    CHECK_THAT(output, Catch::Contains("a consistent copy of"));
    std::smatch counted;
    REQUIRE(std::regex_search(output, counted, std::regex(R"((\d+) signals)")));
    const int signals_in_copy = std::stoi(counted[1]);
    CHECK(signals_in_copy >= 5);
    CHECK(signals_in_copy <= 5 + written_meanwhile);

    restored.start();
    for (int i = 1; i <= 5; ++i) CHECK_THAT(status_text(restored.port(), i), Catch::Contains(frictions[i - 1]));
    // One moment: every signal up to the last one copied, and none after it. The reports written
    // meanwhile differ only by their number, so they all count on item 6.
    const int meanwhile_in_copy = signals_in_copy - 5;
    if (meanwhile_in_copy > 0) {
        CHECK_THAT(status_text(restored.port(), 6),
                   Catch::Contains(std::to_string(meanwhile_in_copy) + (meanwhile_in_copy == 1 ? " report" : " reports")));
        CHECK_THAT(status_text(restored.port(), 7), Catch::Contains("No item"));
    } else {
        CHECK_THAT(status_text(restored.port(), 6), Catch::Contains("No item"));
    }
    CHECK(restored.stop() == 0);
    CHECK(cxos.stop() == 0);
}

TEST_CASE("cxos backup names what it cannot do", "[e2e][backup]") {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    std::string output;
    CHECK(cxos_process::run("backup --config '" + cxos.config_path() + "'", output) == 2);
    CHECK_THAT(output, Catch::Contains("usage: cxos backup PATH"));
    // Nothing served yet: there is no database to copy.
    CHECK(cxos_process::run("backup '" + (cxos.dir() / "copy.db").string() + "' --config '" +
                                cxos.config_path() + "'",
                            output) == 1);
    CHECK_THAT(output, Catch::Contains("no SQLite database at"));
}
