// Forms as Slack modals: rendering within Block Kit's limits, views.open, submission answers and
// the datepicker.
#include "adapters/slack/interactions.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cxos;
using nlohmann::json;
namespace {

form_input input(std::string id, std::string label, input_kind kind, bool optional) {
    form_input in;
    in.id = std::move(id);
    in.label = std::move(label);
    in.kind = kind;
    in.optional = optional;
    return in;
}

neutral_form friction_form() {
    neutral_form f;
    f.id = "friction.log";
    f.title = "Log friction";
    f.submit_label = "Log";
    f.intro = "From <#C1> & friends";
    f.state = R"({"ts":"1.2"})";
    f.inputs = {{"summary", "Summary", input_kind::text, false, "Refunds fail", "What went wrong?",
                 "One line", {}, 200},
                input("details", "Details", input_kind::multiline, true),
                input("link", "Link", input_kind::url, true),
                {"stage", "Stage", input_kind::select, false, "renew", "", "",
                 {{"trial", "Trial"}, {"renew", "Renewal"}}}};
    return f;
}

} // namespace

TEST_CASE("a form renders as a modal with one input block per input", "[interactions]") {
    auto view = slack::render_form(friction_form());
    CHECK(view["type"] == "modal");
    CHECK(view["callback_id"] == "friction.log");
    CHECK(view["title"]["text"] == "Log friction");
    CHECK(view["submit"]["text"] == "Log");
    CHECK(view["close"]["text"] == "Cancel");
    CHECK(view["private_metadata"] == R"({"ts":"1.2"})");
    auto& blocks = view["blocks"];
    REQUIRE(blocks.size() == 5);
    CHECK(blocks[0]["type"] == "section");
    CHECK(blocks[0]["text"]["type"] == "mrkdwn");
    CHECK(blocks[0]["text"]["text"] == "From &lt;#C1&gt; &amp; friends");

    auto& summary = blocks[1];
    CHECK(summary["type"] == "input");
    CHECK(summary["block_id"] == "summary");
    CHECK(summary["optional"] == false);
    CHECK(summary["label"]["text"] == "Summary");
    CHECK(summary["hint"]["text"] == "One line");
    CHECK(summary["element"]["type"] == "plain_text_input");
    CHECK(summary["element"]["action_id"] == "summary");
    CHECK(summary["element"]["initial_value"] == "Refunds fail");
    CHECK(summary["element"]["placeholder"]["text"] == "What went wrong?");
    CHECK(summary["element"]["max_length"] == 200);
    CHECK_FALSE(summary["element"].contains("multiline"));

    auto& details = blocks[2];
    CHECK(details["optional"] == true);
    CHECK(details["element"]["multiline"] == true);
    CHECK_FALSE(details.contains("hint"));
    CHECK_FALSE(details["element"].contains("initial_value"));
    CHECK_FALSE(details["element"].contains("max_length"));
    CHECK_FALSE(details["element"].contains("placeholder"));

    CHECK(blocks[3]["element"]["type"] == "url_text_input");
    CHECK(blocks[3]["element"]["action_id"] == "link");

    auto& stage = blocks[4]["element"];
    CHECK(stage["type"] == "static_select");
    CHECK(stage["action_id"] == "stage");
    REQUIRE(stage["options"].size() == 2);
    CHECK(stage["options"][1]["text"]["text"] == "Renewal");
    CHECK(stage["options"][1]["value"] == "renew");
    CHECK(stage["initial_option"] == stage["options"][1]); // Slack requires an exact match
}

TEST_CASE("form rendering respects Block Kit limits", "[interactions]") {
    auto f = friction_form();
    f.intro.clear();
    f.title = "A title well past twenty-four characters";
    f.submit_label = std::string(30, 'S');
    f.inputs[0].max_length = 10000;
    f.inputs[0].placeholder = std::string(200, 'p');
    f.inputs[0].label = std::string(2500, 'l');
    f.inputs[3].initial = "missing";
    f.inputs[3].choices.clear();
    for (int i = 0; i < 120; ++i)
        f.inputs[3].choices.push_back({"v" + std::to_string(i), std::string(80, 'o') + "€"});
    auto view = slack::render_form(f);
    CHECK(view["title"]["text"].get<std::string>().size() <= 24);
    CHECK(view["submit"]["text"].get<std::string>().size() <= 24);
    REQUIRE(view["blocks"].size() == 4); // no intro section
    auto& summary = view["blocks"][0];
    CHECK(summary["element"]["max_length"] == 3000);
    CHECK(summary["element"]["placeholder"]["text"].get<std::string>().size() <= 150);
    CHECK(summary["label"]["text"].get<std::string>().size() <= 2000);
    auto& select = view["blocks"][3]["element"];
    CHECK(select["options"].size() == 100);
    CHECK(select["options"][0]["text"]["text"].get<std::string>().size() <= 75);
    CHECK(select["options"][0]["value"] == "v0");
    CHECK_FALSE(select.contains("initial_option")); // no choice has the initial value
}

TEST_CASE("a pre-filled text longer than its input allows is clipped to fit", "[interactions]") {
    auto f = friction_form();
    f.inputs[0].initial = std::string(500, 'd'); // max_length 200
    auto element = slack::render_form(f)["blocks"][1]["element"];
    CHECK(element["initial_value"].get<std::string>().size() <= 200);
    CHECK(element["max_length"] == 200);
}

TEST_CASE("form state that Slack cannot carry back is a programmer error", "[interactions]") {
    auto f = friction_form();
    f.state = std::string(3000, 's');
    CHECK_NOTHROW(slack::render_form(f));
    f.state += "s";
    CHECK_THROWS_AS(slack::render_form(f), std::length_error);
}

TEST_CASE("views.open carries the trigger and the modal", "[interactions]") {
    auto body = slack::views_open_body("12345.98765.abcd", friction_form());
    CHECK(body["trigger_id"] == "12345.98765.abcd");
    CHECK(body["view"] == slack::render_form(friction_form()));
}

TEST_CASE("submission answers show field errors or replace the modal", "[interactions]") {
    auto errors = slack::render_form_errors({{"summary", "Say what went wrong"},
                                             {"link", "Not a URL"}});
    CHECK(errors == json::parse(R"({"response_action": "errors",
        "errors": {"summary": "Say what went wrong", "link": "Not a URL"}})"));

    neutral_message m;
    m.title = "Logged signal 12";
    m.text = "Routed to #billing";
    auto done = slack::render_form_done("Friction logged for billing", m);
    CHECK(done["response_action"] == "update");
    CHECK(done["view"]["type"] == "modal");
    CHECK(done["view"]["title"]["text"].get<std::string>().size() <= 24);
    CHECK(done["view"]["close"]["text"] == "Done");
    CHECK_FALSE(done["view"].contains("submit"));
    REQUIRE(done["view"]["blocks"].size() == 2);
    CHECK(done["view"]["blocks"][0]["type"] == "header");
    CHECK(done["view"]["blocks"][1]["text"]["text"] == "Routed to #billing");
}

TEST_CASE("a date input renders as a datepicker with its initial date", "[interactions][council]") {
    neutral_form f;
    f.id = "council.decide";
    f.title = "Council decision";
    f.submit_label = "Decide";
    f.state = "7";
    f.inputs = {{"due", "Due date", input_kind::date, false, "2026-12-09", "", "", {}, 0},
                input("later", "Later", input_kind::date, true)};
    auto view = slack::render_form(f);
    auto& blocks = view["blocks"];
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0]["block_id"] == "due");
    auto& picker = blocks[0]["element"];
    CHECK(picker["type"] == "datepicker");
    CHECK(picker["action_id"] == "due");
    CHECK(picker["initial_date"] == "2026-12-09");
    CHECK_FALSE(picker.contains("initial_value")); // Slack rejects text-input fields on a datepicker
    CHECK_FALSE(picker.contains("max_length"));
    CHECK(blocks[1]["element"]["type"] == "datepicker");
    CHECK_FALSE(blocks[1]["element"].contains("initial_date"));
}
