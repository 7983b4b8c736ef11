#include "commands/forms.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {
journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    return j;
}
} // namespace

TEST_CASE("the capture form offers the journey and carries its source", "[forms]") {
    auto f = capture_form(journey(), {"C1", "1700.01", "", "https://acme.slack.com/archives/C1/p170001", "it broke"});
    CHECK(f.id == "capture");
    REQUIRE(f.inputs.size() == 6);
    CHECK(f.inputs[0].initial == "it broke");
    CHECK(f.inputs[1].choices.size() == 2);
    CHECK(f.inputs[2].choices.size() == 6);
    CHECK(f.inputs[5].initial == "https://acme.slack.com/archives/C1/p170001");
    CHECK_THAT(f.state, Catch::Contains("1700.01"));
}

TEST_CASE("a capture submission is validated field by field", "[forms]") {
    auto f = capture_form(journey(), {"C1", "", "", "", ""});
    form_submission bad{"capture", f.state, {{"stage", "nowhere"}, {"link", "ftp://x"}}};
    auto errors = std::get<form_errors>(read_capture(bad, journey()));
    CHECK(errors.count("description"));
    CHECK(errors.count("stage"));
    CHECK(errors.count("link"));

    form_submission good{"capture", f.state,
                         {{"description", "checkout fails !high"}, {"stage", "renew"}, {"component", "marketing"},
                          {"customer", "Acme"}, {"link", "https://x.example/1"}}};
    auto req = std::get<capture_request>(read_capture(good, journey()));
    CHECK(req.log.description == "checkout fails");
    CHECK(req.log.sev == severity::high);
    CHECK(req.log.stage == "renew");
    CHECK(req.log.comp == component::marketing);
    CHECK(req.customer == "Acme");
    CHECK(req.from.channel_id == "C1");
}

TEST_CASE("triage forms need their words and a real target", "[forms]") {
    item it;
    it.id = 7;
    CHECK_FALSE(triage_form(triage_verb::acknowledge, it));
    auto fixed = *triage_form(triage_verb::fixed, it);
    CHECK(fixed.state == "7");
    CHECK(std::get<form_errors>(read_triage({fixed.id, fixed.state, {}})).count("what_changed"));
    auto ok = std::get<triage_request>(read_triage({fixed.id, fixed.state, {{"what_changed", "new currency rules"}}}));
    CHECK(ok.item_id == 7);
    CHECK(ok.action.verb == triage_verb::fixed);
    auto dup = *triage_form(triage_verb::duplicate, it);
    CHECK(std::get<form_errors>(read_triage({dup.id, dup.state, {{"target", "7"}}})).count("target"));
    CHECK(std::get<triage_request>(read_triage({dup.id, dup.state, {{"target", "#3"}}})).action.duplicate_of == 3);
    CHECK(std::get<form_errors>(read_triage({dup.id, "garbage", {{"target", "3"}}})).count(""));
}
