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

TEST_CASE("unknown tags stay in the description and are named, numbers are not tags", "[grammar]") {
    auto cmd = parse_command("ticket #4312 on #checkout says !asap and +1 from acme +mobile", journey());
    auto& log = std::get<log_command>(cmd);
    CHECK(log.description == "ticket #4312 on #checkout says !asap and +1 from acme +mobile");
    CHECK(log.stage.empty());
    CHECK_FALSE(log.sev);
    CHECK_FALSE(log.comp);
    CHECK(log.unknown_tags == std::vector<std::string>{"#checkout", "!asap", "+mobile"});
}

TEST_CASE("common severity words and unambiguous tag prefixes are understood", "[grammar]") {
    auto log = std::get<log_command>(parse_command("the export times out !urgent #onb +comm", journey()));
    CHECK(log.description == "the export times out");
    CHECK(log.sev == severity::high);
    CHECK(log.stage == "onboard");
    CHECK(log.comp == component::community);
    CHECK(log.unknown_tags.empty());
    CHECK(std::get<log_command>(parse_command("the export times out !minor", journey())).sev == severity::low);
    CHECK(std::get<log_command>(parse_command("the export times out +activation", journey())).comp == component::onboarding);
    // Too short to tell apart ("#s" could be support or… nothing else) or shared by two: not a tag.
    auto j = journey();
    j.stages.push_back("suspend");
    auto ambiguous = std::get<log_command>(parse_command("the export times out #su", j));
    CHECK(ambiguous.stage.empty());
    CHECK(ambiguous.unknown_tags == std::vector<std::string>{"#su"});
    auto two = std::get<log_command>(parse_command("the export times out #sup", j));
    CHECK(two.stage == "support");
}

TEST_CASE("a first word close to a command word asks before anything is logged", "[grammar]") {
    auto j = journey();
    j.owners["billing"] = owner{"billing", "C0BILLING", ""};
    auto meant = [&](const char* text) {
        auto cmd = parse_command(text, j);
        auto* c = std::get_if<confirm_command>(&cmd);
        return c ? c->suggestion : std::string("(no prompt)");
    };
    CHECK(meant("stat") == "stats");
    CHECK(meant("staus 1") == "status 1");
    CHECK(meant("stauts 12") == "status 12");
    CHECK(meant("councel") == "council preview");
    CHECK(meant("concil run") == "council run");
    CHECK(meant("hlep") == "help");
    CHECK(meant("dashbord") == "dashboard");
    CHECK(meant("stast billing") == "stats billing");
    // The text is kept whole, to log as friction if that is what was meant.
    CHECK(std::get<confirm_command>(parse_command("staus 1", j)).text == "staus 1");
    // A real report whose first word is near a command word is logged: its rest is no argument.
    CHECK(std::holds_alternative<log_command>(parse_command("state of the export page is broken", j)));
}

TEST_CASE("one or two words are asked about, an explicit log or a longer text is not", "[grammar]") {
    for (auto text : {"frobnicate", "checkout broken", "checkout broken !high #renew"}) {
        INFO(text);
        auto cmd = parse_command(text, journey());
        REQUIRE(std::holds_alternative<confirm_command>(cmd));
        CHECK(std::get<confirm_command>(cmd).suggestion.empty());
        CHECK(std::get<confirm_command>(cmd).text == text);
    }
    CHECK(std::holds_alternative<log_command>(parse_command("log frobnicate", journey())));
    CHECK(std::holds_alternative<log_command>(parse_command("checkout button broken", journey())));
    // What "Log it as friction" runs: the text as a report, tags and all.
    auto report = std::get<log_command>(parse_report("checkout broken !high", journey()));
    CHECK(report.description == "checkout broken");
    CHECK(report.sev == severity::high);
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
    CHECK(std::get<status_command>(status).item_id == 42);
    CHECK(std::get<status_command>(parse_command("status #7", journey())).item_id == 7);
}

TEST_CASE("bad status ids explain themselves", "[grammar]") {
    for (auto text : {"status", "status abc", "status 0", "status -3", "status 4 5"}) {
        auto cmd = parse_command(text, journey());
        REQUIRE(std::holds_alternative<invalid_command>(cmd));
        CHECK_THAT(std::get<invalid_command>(cmd).message, Catch::Contains("/friction status 12"));
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
    std::string longest;
    while (longest.size() < max_description_bytes) longest += "word ";
    longest.resize(max_description_bytes);
    auto cmd = parse_command(longest + "x", journey());
    REQUIRE(std::holds_alternative<invalid_command>(cmd));
    CHECK(std::holds_alternative<log_command>(parse_command(longest, journey())));
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

TEST_CASE("tags match in any case and the text around removed tags is tidied the same way", "[grammar]") {
    auto j = journey();
    j.stages.push_back("Go-Live");
    auto log = std::get<log_command>(parse_command("!URGENT  the  export\t!LOW #go-L +KNOW fails  #RENEW \r\n next", j));
    CHECK(log.sev == severity::high);
    CHECK(log.stage == "Go-Live");
    CHECK(log.comp == component::knowledge);
    CHECK(log.description == "the export\t!LOW fails #RENEW \r\nnext");
    CHECK(log.unknown_tags.empty());
    CHECK(std::get<log_command>(parse_command("the export times out !P1", j)).sev == severity::high);
    CHECK(std::get<log_command>(parse_command("the export times out !Sev2", j)).sev == severity::medium);
    CHECK(std::get<log_command>(parse_command("the export times out !MED", j)).sev == severity::medium);
    CHECK(std::get<log_command>(parse_command("the export times out !Hig", j)).sev == severity::high);
    CHECK(std::get<log_command>(parse_command("the export times out +INTEL", j)).comp == component::intelligence);
    auto unknown = std::get<log_command>(parse_command("the export times out !veryveryveryurgentindeed +Ü", j));
    CHECK_FALSE(unknown.sev);
    CHECK(unknown.unknown_tags == std::vector<std::string>{"!veryveryveryurgentindeed"});
    CHECK(std::get<stats_command>(parse_command("stats ONBOARD", j)).stage == "onboard");
    CHECK(std::get<stats_command>(parse_command("stats go-live", j)).stage == "Go-Live");
}
