#include "commands/grammar.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {
journey_config journey() {
    journey_config j;
    j.stages = {"discover", "onboard", "adopt", "support", "renew"};
    return j;
}
} // namespace

TEST_CASE("plain text logs a signal with tags parsed out", "[grammar]") {
    auto cmd = parse_command("the invoice shows the wrong currency !high", journey());
    auto* log = std::get_if<log_command>(&cmd);
    REQUIRE(log);
    CHECK(log->description == "the invoice shows the wrong currency");
    CHECK(log->sev == severity::high);
    CHECK(log->stage.empty());
    CHECK_FALSE(log->comp);
}

TEST_CASE("stage, severity and component tags anywhere in the text", "[grammar]") {
    auto cmd = parse_command("#Onboard SSO setup +knowledge fails for Okta !low users", journey());
    auto& log = std::get<log_command>(cmd);
    CHECK(log.description == "SSO setup fails for Okta users");
    CHECK(log.stage == "onboard"); // the configured spelling, whatever the case typed
    CHECK(log.comp == component::knowledge);
    CHECK(log.sev == severity::low);
}

TEST_CASE("unknown tags stay in the description", "[grammar]") {
    auto cmd = parse_command("ticket #4312 says !urgent and +1 from acme", journey());
    auto& log = std::get<log_command>(cmd);
    CHECK(log.description == "ticket #4312 says !urgent and +1 from acme");
    CHECK(log.stage.empty());
    CHECK_FALSE(log.sev);
    CHECK_FALSE(log.comp);
}

TEST_CASE("a repeated tag keeps the first and leaves the rest as text", "[grammar]") {
    auto log = std::get<log_command>(parse_command("slow export !high !low", journey()));
    CHECK(log.sev == severity::high);
    CHECK(log.description == "slow export !low");
}

TEST_CASE("line breaks inside the description are kept", "[grammar]") {
    auto log = std::get<log_command>(parse_command("first line\nsecond line !high", journey()));
    CHECK(log.description == "first line\nsecond line");
}

TEST_CASE("help, empty text and status", "[grammar]") {
    CHECK(std::holds_alternative<capture_form_command>(parse_command("", journey())));
    CHECK(std::holds_alternative<help_command>(parse_command("  HELP ", journey())));
    auto status = parse_command("status 42", journey());
    REQUIRE(std::holds_alternative<status_command>(status));
    CHECK(std::get<status_command>(status).signal_id == 42);
    CHECK(std::get<status_command>(parse_command("status #7", journey())).signal_id == 7);
}

TEST_CASE("bad status ids explain themselves", "[grammar]") {
    for (auto text : {"status", "status abc", "status 0", "status -3", "status 4 5"}) {
        auto cmd = parse_command(text, journey());
        REQUIRE(std::holds_alternative<invalid_command>(cmd));
        CHECK_THAT(std::get<invalid_command>(cmd).message, Catch::Contains("/friction status 42"));
    }
}

TEST_CASE("tags alone are not a signal", "[grammar]") {
    auto cmd = parse_command("#onboard !high", journey());
    REQUIRE(std::holds_alternative<invalid_command>(cmd));
    CHECK_THAT(std::get<invalid_command>(cmd).message, Catch::Contains("Describe the friction"));
}

TEST_CASE("reserved words are refused with the way around them", "[grammar]") {
    auto cmd = parse_command("merge next week", journey());
    REQUIRE(std::holds_alternative<invalid_command>(cmd));
    CHECK_THAT(std::get<invalid_command>(cmd).message, Catch::Contains("/friction log merge"));
    auto dashboard = parse_command("dashboard next week", journey());
    REQUIRE(std::holds_alternative<invalid_command>(dashboard));
    CHECK_THAT(std::get<invalid_command>(dashboard).message, Catch::Contains("/friction log dashboard"));
    CHECK(std::holds_alternative<dashboard_command>(parse_command("Dashboard", journey())));
    auto log = std::get<log_command>(parse_command("log stats page is blank", journey()));
    CHECK(log.description == "stats page is blank");
}

TEST_CASE("+1 and stats routing", "[grammar]") {
    CHECK(std::get<plus_one_command>(parse_command("+1 7", journey())).item_id == 7);
    CHECK(std::holds_alternative<invalid_command>(parse_command("+1 seven", journey())));
    CHECK(std::get<stats_command>(parse_command("stats Routing", journey())).topic == "routing");
    auto other = parse_command("stats page is blank", journey());
    REQUIRE(std::holds_alternative<invalid_command>(other));
    CHECK_THAT(std::get<invalid_command>(other).message, Catch::Contains("stats routing"));
    CHECK(std::get<stats_command>(parse_command("stats", journey())).topic.empty());
    CHECK(std::get<stats_command>(parse_command("stats loops", journey())).topic == "loops");
}

TEST_CASE("stats of one owner or one journey stage", "[grammar]") {
    auto j = journey();
    j.owners["Billing"] = owner{"Billing", "C0BILLING", ""};
    auto by_owner = std::get<stats_command>(parse_command("stats billing", j));
    CHECK(by_owner.owner == "Billing");
    CHECK(by_owner.stage.empty());
    auto by_stage = std::get<stats_command>(parse_command("stats Onboard", j));
    CHECK(by_stage.stage == "onboard");
    CHECK(by_stage.owner.empty());
    auto unknown = parse_command("stats shipping", j);
    REQUIRE(std::holds_alternative<invalid_command>(unknown));
    CHECK_THAT(std::get<invalid_command>(unknown).message, Catch::Contains("stats <owner>"));
}

TEST_CASE("council preview and run", "[grammar]") {
    CHECK(std::get<council_command>(parse_command("council preview", journey())).verb == council_verb::preview);
    CHECK(std::get<council_command>(parse_command("Council RUN", journey())).verb == council_verb::run);
    auto other = parse_command("council next week", journey());
    REQUIRE(std::holds_alternative<invalid_command>(other));
    CHECK_THAT(std::get<invalid_command>(other).message, Catch::Contains("council preview"));
}

TEST_CASE("overlong descriptions are refused, not truncated", "[grammar]") {
    auto cmd = parse_command(std::string(max_description_bytes + 1, 'x'), journey());
    REQUIRE(std::holds_alternative<invalid_command>(cmd));
    CHECK(std::holds_alternative<log_command>(parse_command(std::string(max_description_bytes, 'x'), journey())));
}

TEST_CASE("ids and long captured text", "[grammar]") {
    CHECK(parse_id(" #42 ") == 42);
    CHECK_FALSE(parse_id("4 2"));
    CHECK_FALSE(parse_id("-1"));
    auto text = std::string(max_description_bytes - 1, 'x') + "€€";
    auto cut = fit_description(text, "...");
    CHECK(cut.size() <= max_description_bytes);
    CHECK(cut == std::string(max_description_bytes - 3, 'x') + "...");
    CHECK(fit_description("short") == "short");
}
