#include "adapters/slack/form.hpp"
#include "adapters/slack/inbound.hpp"

#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

using namespace cxos::slack;

TEST_CASE("media types ignore parameters and case", "[inbound]") {
    CHECK(media_type("application/x-www-form-urlencoded; charset=utf-8") == "application/x-www-form-urlencoded");
    CHECK(media_type(" Application/JSON ") == "application/json");
}

TEST_CASE("Slack's three escapes in typed text are undone once, and nothing else is touched", "[inbound]") {
    using cxos::slack::unescape_text;
    CHECK(unescape_text("refund &lt;EUR 5&gt; &amp; tax") == "refund <EUR 5> & tax");
    CHECK(unescape_text("&amp;lt; stays as typed") == "&lt; stays as typed"); // one pass, not two
    CHECK(unescape_text("AT&T & co &am &quot; &") == "AT&T & co &am &quot; &");
    CHECK(unescape_text("&&amp;&&lt;") == "&&&<");
    CHECK(unescape_text("no escapes at all") == "no escapes at all");
    CHECK(unescape_text("").empty());
}

TEST_CASE("a slash command decodes with plus and percent escapes", "[inbound]") {
    auto in = decode("application/x-www-form-urlencoded",
                     "command=%2Ffriction&text=the+invoice+%26lt%3B%3D+%E2%82%AC5+%21high"
                     "&user_id=U1&user_name=ana&channel_id=C1&team_id=T1&trigger_id=1.2.3");
    auto* cmd = std::get_if<slash_command>(&in);
    REQUIRE(cmd);
    CHECK(cmd->command == "/friction");
    CHECK(cmd->text == "the invoice <= €5 !high"); // Slack's &lt; is what the user typed as <
    CHECK(cmd->user_id == "U1");
    CHECK(cmd->trigger_id == "1.2.3");
}

TEST_CASE("interactivity payloads and Events API bodies decode", "[inbound]") {
    auto in = decode("application/x-www-form-urlencoded",
                     "payload=%7B%22type%22%3A%22block_actions%22%7D");
    REQUIRE(std::holds_alternative<interaction>(in));
    CHECK(std::get<interaction>(in).type == "block_actions");

    auto challenge = decode("application/json", R"({"type":"url_verification","challenge":"abc"})");
    REQUIRE(std::holds_alternative<url_verification>(challenge));
    CHECK(std::get<url_verification>(challenge).challenge == "abc");

    auto event = decode("application/json",
                        R"({"type":"event_callback","event_id":"Ev1","event":{"type":"reaction_added"}})");
    REQUIRE(std::holds_alternative<event_callback>(event));
    CHECK(std::get<event_callback>(event).event_id == "Ev1");
    CHECK(std::get<event_callback>(event).event_type == "reaction_added");
}

TEST_CASE("malformed bodies say what is wrong", "[inbound]") {
    auto bad_json = decode("application/json", "{not json");
    REQUIRE(std::holds_alternative<malformed_request>(bad_json));
    auto bad_payload = decode("application/x-www-form-urlencoded", "payload=%7Bnope");
    REQUIRE(std::holds_alternative<malformed_request>(bad_payload));
    auto no_command = decode("application/x-www-form-urlencoded", "text=hello&user_id=U1");
    REQUIRE(std::holds_alternative<malformed_request>(no_command));
    CHECK_THAT(std::get<malformed_request>(no_command).message, Catch::Contains("command"));
    auto bad_escape = decode("application/x-www-form-urlencoded", "command=%2&user_id=U1");
    REQUIRE(std::holds_alternative<malformed_request>(bad_escape));
    auto numeric_type = decode("application/json", R"({"type":5})");
    REQUIRE(std::holds_alternative<malformed_request>(numeric_type));
    auto xml = decode("text/xml", "<a/>");
    REQUIRE(std::holds_alternative<malformed_request>(xml));
    CHECK_THAT(std::get<malformed_request>(xml).message, Catch::Contains("text/xml"));
}

TEST_CASE("ssl_check is recognised only as a form field", "[inbound]") {
    CHECK(is_ssl_check("application/x-www-form-urlencoded", "ssl_check=1&token=abc"));
    CHECK_FALSE(is_ssl_check("application/x-www-form-urlencoded", "ssl_check=0"));
    CHECK_FALSE(is_ssl_check("application/json", R"({"ssl_check":"1"})"));
}

TEST_CASE("a form body is read within its bounds, not up to the next NUL", "[inbound]") {
    // Boost.URL 1.81's parse_query measures its input with strlen() (found by the slack_form fuzz
    // target). These bodies end where readable memory ends: reading one byte further faults.
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* map = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(map != MAP_FAILED);
    char* end = static_cast<char*>(map) + page;
    REQUIRE(mprotect(end, page, PROT_NONE) == 0);
    const std::string_view text = "ssl_check=1&token=abc";
    std::memcpy(end - text.size(), text.data(), text.size());
    CHECK(is_ssl_check("application/x-www-form-urlencoded", std::string_view(end - text.size(), text.size())));
    CHECK(std::holds_alternative<malformed_request>(decode("application/x-www-form-urlencoded", {end, 0})));
    munmap(map, 2 * page);
}
