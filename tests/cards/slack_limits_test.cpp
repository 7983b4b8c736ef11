// Every Slack message and view cxos can produce, ordinary and hostile, keeps Slack's published
// Block Kit limits; and the limits checker itself catches each kind of breach.
#include "tests/cards/rendered_payloads.hpp"
#include "tests/cards/slack_limits.hpp"

#include <catch2/catch.hpp>

using namespace cxos::cards;
using nlohmann::json;

namespace {

std::vector<std::string> problems_of(const payload& p) {
    switch (p.kind) {
    case payload_kind::slack_message: return check_slack_message(p.body);
    case payload_kind::slack_view: return check_slack_view(p.body);
    case payload_kind::slack_view_errors: return check_slack_view_errors(p.body);
    default: return {"not a Slack payload"};
    }
}

json plain(std::string text) { return {{"type", "plain_text"}, {"text", std::move(text)}}; }
json mrkdwn(std::string text) { return {{"type", "mrkdwn"}, {"text", std::move(text)}}; }
json message_of(json blocks) { return {{"text", "fallback"}, {"blocks", std::move(blocks)}}; }

json button(std::string action_id, std::string text) {
    return {{"type", "button"}, {"action_id", std::move(action_id)}, {"text", plain(std::move(text))}, {"value", "1"}};
}

json select_of(int options, std::size_t value_chars) {
    json list = json::array();
    for (int i = 0; i < options; ++i)
        list.push_back({{"text", plain("o" + std::to_string(i))}, {"value", std::to_string(i) + std::string(value_chars, 'v')}});
    return {{"type", "static_select"}, {"action_id", "pick"}, {"placeholder", plain("Pick")}, {"options", list}};
}

// The one problem a payload has, or a note that it had none or several.
std::string only_problem(const std::vector<std::string>& problems) {
    if (problems.size() == 1) return problems.front();
    return std::to_string(problems.size()) + " problems";
}

} // namespace

TEST_CASE("every Slack message and view cxos can produce keeps Slack's published limits", "[card_limits]") {
    const auto payloads = slack_payloads();
    REQUIRE(payloads.size() > 200);
    for (const auto& p : payloads) {
        INFO(p.name);
        CHECK(problems_of(p) == std::vector<std::string>{});
    }
}

TEST_CASE("the checker counts characters as UTF-16 code units", "[card_limits]") {
    CHECK(slack_length("abc") == 3);
    CHECK(slack_length("€") == 1);   // three bytes, one character
    CHECK(slack_length("👍🏽") == 4); // two 4-byte code points, two surrogate pairs
}

TEST_CASE("the checker flags oversized blocks, fields and texts", "[card_limits]") {
    CHECK(only_problem(check_slack_message(message_of({{{"type", "header"}, {"text", plain(std::string(151, 'h'))}}}))) ==
          "blocks[0].text.text: header text is 151 characters, Slack allows 150 "
          "(docs.slack.dev/reference/block-kit/blocks/header-block)");
    CHECK(check_slack_message(message_of({{{"type", "header"}, {"text", plain(std::string(150, 'h'))}}})).empty());
    CHECK_THAT(only_problem(check_slack_message(message_of({{{"type", "section"}, {"text", mrkdwn(std::string(3001, 's'))}}}))),
               Catch::Contains("section text is 3001 characters"));
    CHECK_THAT(only_problem(check_slack_message(message_of({{{"type", "section"}, {"text", mrkdwn("")}}}))),
               Catch::Contains("must not be empty"));

    json fields = json::array();
    for (int i = 0; i < 11; ++i) fields.push_back(mrkdwn("f"));
    CHECK_THAT(only_problem(check_slack_message(message_of({{{"type", "section"}, {"fields", fields}}}))),
               Catch::Contains("11 section fields, Slack allows 10"));
    CHECK_THAT(only_problem(check_slack_message(message_of({{{"type", "section"}, {"fields", {mrkdwn(std::string(2001, 'f'))}}}}))),
               Catch::Contains("section field text is 2001 characters"));

    json many = json::array();
    for (int i = 0; i < 51; ++i) many.push_back({{"type", "section"}, {"text", mrkdwn("x")}});
    CHECK_THAT(only_problem(check_slack_message(message_of(many))), Catch::Contains("51 blocks in a message, Slack allows 50"));
    json message = message_of(json::array());
    message["text"] = std::string(40'001, 't');
    CHECK_THAT(only_problem(check_slack_message(message)), Catch::Contains("message text is 40001 characters"));
}

TEST_CASE("the checker flags buttons, menus and options past their limits", "[card_limits]") {
    auto actions = [](json elements) { return message_of({{{"type", "actions"}, {"block_id", "a"}, {"elements", elements}}}); };
    CHECK_THAT(only_problem(check_slack_message(actions({button("b", std::string(76, 'b'))}))),
               Catch::Contains("button text is 76 characters, Slack allows 75"));
    CHECK_THAT(only_problem(check_slack_message(actions({button("same", "x"), button("same", "y")}))),
               Catch::Contains("action_id repeats"));
    CHECK_THAT(only_problem(check_slack_message(actions({select_of(101, 1)}))), Catch::Contains("101 options, Slack allows 100"));
    CHECK_THAT(only_problem(check_slack_message(actions({select_of(1, 150)}))),
               Catch::Contains("option value is 151 characters, Slack allows 150"));
    CHECK(check_slack_message(actions({select_of(100, 140)})).empty());
    json elements = json::array();
    for (int i = 0; i < 26; ++i) elements.push_back(button("b" + std::to_string(i), "x"));
    CHECK_THAT(only_problem(check_slack_message(actions(elements))), Catch::Contains("26 actions elements, Slack allows 25"));
    CHECK_THAT(only_problem(check_slack_message(message_of({{{"type", "divider"}}}))), Catch::Contains("is not checked here"));
}

TEST_CASE("the checker flags modal titles, metadata, repeated block ids and whole-form errors", "[card_limits]") {
    json input = {{"type", "input"}, {"block_id", "note"}, {"label", plain("Note")},
                  {"element", {{"type", "plain_text_input"}, {"action_id", "note"}, {"max_length", 3000}}}};
    json view = {{"type", "modal"}, {"title", plain("Log friction")}, {"submit", plain("Log it")},
                 {"private_metadata", "{}"}, {"callback_id", "capture"}, {"blocks", {input}}};
    CHECK(check_slack_view(view).empty());

    auto broken = view;
    broken["title"] = plain(std::string(25, 't'));
    CHECK_THAT(only_problem(check_slack_view(broken)), Catch::Contains("modal title is 25 characters, Slack allows 24"));
    broken = view;
    broken["private_metadata"] = std::string(3001, 'm');
    CHECK_THAT(only_problem(check_slack_view(broken)), Catch::Contains("private_metadata is 3001 characters"));
    broken = view;
    broken["blocks"].push_back(input);
    CHECK_THAT(only_problem(check_slack_view(broken)), Catch::Contains("block_id repeats"));
    broken = view;
    broken.erase("submit");
    CHECK_THAT(only_problem(check_slack_view(broken)), Catch::Contains("needs a submit button"));

    CHECK(check_slack_view_errors({{"response_action", "errors"}, {"errors", {{"note", "Say why"}}}}).empty());
    CHECK_THAT(only_problem(check_slack_view_errors({{"response_action", "errors"}, {"errors", {{"", "Not allowed"}}}})),
               Catch::Contains("must not be empty"));
}
