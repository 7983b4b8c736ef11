#include "adapters/teams/cards.hpp"
#include "adapters/teams/webhook.hpp"

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

TEST_CASE("a markdown link typed into a report shows as typed, not as a link under its words", "[teams_cards]") {
    neutral_message m;
    m.title = "[Invoice](https://evil.example) fails";
    m.text = "see [Sign in again](https://evil.example/login) or [this] (plain)";
    m.fields = {{"Description", "[x](https://evil.example)"}};
    const auto card = render_card(m).dump();
    CHECK(card.find("](") == std::string::npos);
    CHECK(card.find("[Sign in again]\u200b(https://evil.example/login)") != std::string::npos);
    CHECK(card.find("[this] (plain)") != std::string::npos);
    CHECK(teams_markdown("[a](b)") == "[a]\u200B(b)");
    CHECK(teams_markdown("f(x) and [y]") == "f(x) and [y]");
}

TEST_CASE("buttons are Action.Execute with a Submit fallback, form buttons open a task module", "[teams_cards]") {
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

TEST_CASE("the reroute menu's required choice list has a label Teams names it by", "[teams_cards]") {
    // Without a label Teams cannot say which field "Pick one" is about (Microsoft's adaptivecards
    // library flags it: "Required inputs should have a label").
    const auto card = render_card(item_card());
    const auto& input = card["actions"][1]["card"]["body"][0];
    CHECK(input["isRequired"] == true);
    CHECK(input["label"] == "Reroute");
    CHECK(input["errorMessage"] == "Pick one");
}

TEST_CASE("a form with 150 long choices and long errors stays within the card budget", "[teams_cards]") {
    neutral_form f;
    f.id = "council.decide";
    f.state = "42";
    f.intro = std::string(20'000, 'i');
    f.inputs = {{"decision", "Decision", input_kind::multiline, false, std::string(5'000, 'd'), "", std::string(9'000, 'h'), {}, 1000},
                {"owner", "Owner team", input_kind::select, false, "", "", "", {}, 0}};
    for (int i = 0; i < 150; ++i)
        f.inputs[1].choices.push_back({"team-" + std::to_string(i) + std::string(180, 'n'), "#" + std::string(180, 'n')});
    const auto card = render_form_card(f, {{"", std::string(8'000, 'e')}, {"decision", std::string(8'000, 'e')}});
    CHECK(card.dump().size() <= max_card_bytes);
    const auto& body = card["body"];
    auto input = [&](const std::string& id) {
        for (const auto& e : body)
            if (e.value("id", "") == id) return e;
        return nlohmann::json();
    };
    CHECK(input("decision")["value"].get<std::string>().size() <= 1000); // its own maxLength
    REQUIRE(input("owner")["choices"].size() == 100);
    CHECK(input("owner")["choices"][0]["value"].get<std::string>().size() > 180); // values stay whole
    CHECK(input("owner")["choices"][0]["title"].get<std::string>().size() <= 75);
}

TEST_CASE("trimmed never exceeds its limit nor splits a character", "[teams_cards]") {
    CHECK(trimmed("short", 10) == "short");
    CHECK(trimmed(std::string(20, 'x'), 10) == std::string(7, 'x') + "…");
    CHECK(trimmed("ab€€€", 7) == "ab…"); // the cut would land inside the first €
}

TEST_CASE("a text answer to Teams is trimmed to the card budget", "[teams_cards]") {
    neutral_message m;
    m.title = "Fixed: what you reported";
    m.text = std::string(300 * 1024, 'x');
    const auto text = render_reply_activity(m)["text"].get<std::string>();
    CHECK(text.size() <= max_card_bytes);
    CHECK(text.ends_with("…"));
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
