#include "adapters/teams/cards.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::teams;

namespace {

neutral_message item_card() {
    neutral_message m;
    m.title = "Invoice PDF fails";
    m.text = "*3 reports* from 2 people";
    m.fields = {{"Owner", "billing"}, {"Reporters", "", field_kind::users}};
    m.context = "Routed by rule invoices";
    m.actions = {{"triage.ack", "Acknowledge", "12", action_style::primary, {}},
                 {"triage.reroute", "Reroute…", "12", action_style::normal, {{"12:docs", "docs"}, {"12:billing", "billing"}}},
                 {"triage.fixed", "Fixed…", "12", action_style::primary, {}}};
    m.actions[2].opens_form = true;
    return m;
}

} // namespace

TEST_CASE("a card shows title, text in Teams markdown, facts and context", "[teams_cards]") {
    auto card = render_card(item_card());
    CHECK(card["type"] == "AdaptiveCard");
    CHECK(card["version"] == "1.4");
    CHECK(card["body"][0]["text"] == "Invoice PDF fails");
    CHECK(card["body"][0]["weight"] == "Bolder");
    CHECK(card["body"][1]["text"] == "**3 reports** from 2 people");
    CHECK(card["body"][2]["facts"][0] == nlohmann::json{{"title", "Owner"}, {"value", "billing"}});
    CHECK(card["body"][2]["facts"][1]["value"] == "nobody");
    CHECK(card["body"][3]["isSubtle"] == true);
}

TEST_CASE("buttons are Action.Execute with a Submit fallback; form buttons open a task module", "[teams_cards]") {
    auto card = render_card(item_card());
    const auto& ack = card["actions"][0];
    CHECK(ack["type"] == "Action.Execute");
    CHECK(ack["verb"] == "triage.ack");
    CHECK(ack["data"] == nlohmann::json{{"action", "triage.ack"}, {"value", "12"}});
    CHECK(ack["fallback"]["type"] == "Action.Submit");
    CHECK(ack["style"] == "positive");
    const auto& menu = card["actions"][1];
    CHECK(menu["type"] == "Action.ShowCard");
    CHECK(menu["card"]["body"][0]["type"] == "Input.ChoiceSet");
    CHECK(menu["card"]["body"][0]["id"] == "triage.reroute");
    CHECK(menu["card"]["body"][0]["choices"][0] == nlohmann::json{{"title", "docs"}, {"value", "12:docs"}});
    const auto& fixed = card["actions"][2];
    CHECK(fixed["type"] == "Action.Submit");
    CHECK(fixed["data"]["msteams"]["type"] == "task/fetch");
}

TEST_CASE("a huge description is trimmed so the card stays far below Teams' 100 KB", "[teams_cards]") {
    auto m = item_card();
    m.text = std::string(300 * 1024, 'x');
    auto activity = render_card_activity(m);
    CHECK(activity.dump().size() < 100 * 1024);
    CHECK(activity["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive");
    CHECK(activity["attachments"][0]["content"]["actions"].size() == 3);
}

TEST_CASE("a form becomes a task module with typed inputs and its errors", "[teams_cards]") {
    neutral_form f;
    f.id = "triage.fixed";
    f.title = "Fixed";
    f.submit_label = "Save";
    f.state = "12";
    f.inputs = {{"note", "What changed", input_kind::multiline, false, "", "", "", {}, 2000},
                {"due", "Due", input_kind::date, true, "", "", "", {}, 0},
                {"owner", "Owner", input_kind::select, false, "docs", "", "", {{"docs", "Docs"}}, 0}};
    auto task = task_continue(f, {{"note", "Say what changed"}});
    CHECK(task["task"]["type"] == "continue");
    const auto& card = task["task"]["value"]["card"]["content"];
    CHECK(card["body"][0]["text"] == "Say what changed");
    CHECK(card["body"][1]["type"] == "Input.Text");
    CHECK(card["body"][1]["isMultiline"] == true);
    CHECK(card["body"][1]["maxLength"] == 2000);
    CHECK(card["body"][2]["type"] == "Input.Date");
    CHECK(card["body"][3]["type"] == "Input.ChoiceSet");
    CHECK(card["body"][3]["value"] == "docs");
    CHECK(card["actions"][0]["data"] == nlohmann::json{{"form", "triage.fixed"}, {"state", "12"}});
    CHECK(task_message("Done")["task"] == nlohmann::json{{"type", "message"}, {"value", "Done"}});
}

TEST_CASE("an Action.Execute answer carries the refreshed card", "[teams_cards]") {
    auto r = card_action_response(item_card());
    CHECK(r["statusCode"] == 200);
    CHECK(r["type"] == "application/vnd.microsoft.card.adaptive");
    CHECK(r["value"]["type"] == "AdaptiveCard");
}
