// The harness's own contract with a sanitized cxos (CXOS_SANITIZE=ON): a report the server or a
// cxos command leaves must fail the test that ran it, even when every assertion of that test
// holds. Each failing case has a twin without the report that passes, so the report is what
// fails it. (In an unsanitized build the reports are planted by hand, so this runs everywhere.)
#include "tests/e2e/e2e_config.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_slack.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace cxos::test;

namespace {

void stop_server(bool leave_a_report) {
    fake_slack slack;
    cxos_process cxos(slack.api_url(), e2e_routing);
    cxos.start();
    if (leave_a_report) // what ASan writes to its log_path (sanitizer.<pid>) before it exits
        std::ofstream(cxos.dir() / "sanitizer.4242")
            << "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010\n"
            << "SUMMARY: AddressSanitizer: heap-use-after-free\n";
    CHECK(cxos.stop() == 0);
}

} // namespace

TEST_CASE("harness: a server that stops without a sanitizer report passes", "[harness]") {
    stop_server(false);
}

TEST_CASE("harness: a sanitizer report from the server fails its test", "[harness][!shouldfail]") {
    stop_server(true);
}

TEST_CASE("harness: a cxos command without a sanitizer report passes", "[harness]") {
    std::string output;
    CHECK(cxos_process::run("version", output) == 0);
}

TEST_CASE("harness: a sanitizer report in a cxos command's output fails its test", "[harness][!shouldfail]") {
    // run() goes through the shell: the echo stands in for the report a sanitized cxos prints.
    std::string output;
    CHECK(cxos_process::run("version; echo 'bot/app.cpp:1:1: runtime error: signed integer overflow'", output) == 0);
}
