#include "commands/handlers.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {
journey_config journey() {
    journey_config j;
    j.stages = {"onboard", "renew"};
    j.owners = {{"billing", {"billing", "C0BILLING", ""}}, {"triage", {"triage", "C0TRIAGE", ""}}};
    j.fallback = "triage";
    routing_rule r;
    r.name = "invoices";
    r.keywords = {"invoice"};
    r.route_to = "billing";
    j.rules = {r};
    return j;
}
std::string all_text(const neutral_message& m) {
    std::string out = m.title + "\n" + m.text + "\n" + m.context;
    for (const auto& f : m.fields) out += "\n" + f.label + ": " + f.value;
    return out;
}
} // namespace

TEST_CASE("a planned signal is routed and stamped", "[handlers]") {
    log_command cmd{"the invoice is wrong", "renew", std::nullopt, severity::high, {}};
    auto s = plan_signal(journey(), cmd, {"slack", "T1", "C0SUPPORT", "U1", "ana", "", "", ""}, 1000);
    CHECK(s.route.owner == "billing");
    CHECK(s.sev == severity::high);
    CHECK(s.created_at == 1000);
    CHECK(plan_signal(journey(), log_command{"slow", "", std::nullopt, std::nullopt, {}}, {}, 0).sev == severity::medium);
}

TEST_CASE("the ack speaks of the item, links its owner's channel and repeats what it logged", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"the invoice is wrong", "renew", {}, {}, {}}, {}, 0);
    s.id = 42;
    item it = new_item_for(s);
    it.id = 7;
    auto ack = render_log_ack(s, it, true, journey());
    auto text = all_text(ack);
    CHECK(ack.title == "Logged: item 7");
    CHECK_THAT(text, Catch::Contains("“the invoice is wrong”"));
    CHECK_THAT(plain_text(text), Catch::Contains("→ #billing: rule `invoices` matched 'invoice'"));
    CHECK_THAT(text, Catch::Contains(channel_mention("C0BILLING", "#billing")));
    CHECK_THAT(text, Catch::Contains("Signal 42") && Catch::Contains("status 7"));
    CHECK_THAT(text, Catch::Contains("Stage: renew"));
    CHECK_THAT(text, !Catch::Contains("Tags not understood"));
}

TEST_CASE("the ack says when a report joined an existing item, in the right number", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"the invoice is wrong", "", {}, {}, {}}, {}, 0);
    s.id = 43;
    item it = new_item_for(s);
    it.id = 7;
    it.counts.reports = 3;
    CHECK_THAT(all_text(render_log_ack(s, it, false, journey())), Catch::Contains("Added to item 7") &&
                                                                        Catch::Contains("now has 3 reports"));
    it.counts.reports = 1;
    CHECK_THAT(all_text(render_log_ack(s, it, false, journey())), Catch::Contains("now has 1 report,"));
}

TEST_CASE("the ack names the tags it did not understand and the ones that exist", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"checkout #checkout broken +mobile", "", {}, {}, {}}, {}, 0);
    item it = new_item_for(s);
    auto text = all_text(render_log_ack(s, it, true, journey(), {"#checkout", "+mobile"}));
    CHECK_THAT(text, Catch::Contains("Tags not understood: #checkout, +mobile"));
    CHECK_THAT(text, Catch::Contains("#onboard #renew") && Catch::Contains("!high") && Catch::Contains("+onboarding"));
}

TEST_CASE("status shows the item, its owner, its rule and its post's delivery state", "[handlers]") {
    auto sig = plan_signal(journey(), log_command{"the invoice is wrong", "", {}, {}, {}}, {}, 0);
    item it = new_item_for(sig);
    it.id = 12;
    it.counts.reports = 2;
    it.counts.reporters = 1;
    delivery d;
    d.channel = "C0BILLING";
    d.state = delivery_state::dead;
    d.attempts = 1;
    d.last_error = "channel_not_found";
    auto status = render_status(item_status_view{it, {d}, 7, {}, {}, {}}, 12, journey());
    auto text = all_text(status);
    CHECK(status.title == "Item 12 · New");
    CHECK_THAT(text, Catch::Contains("rule `invoices`"));
    CHECK_THAT(text, Catch::Contains("2 reports from 1 person"));
    CHECK_THAT(text, Catch::Contains("dead to C0BILLING"));
    CHECK_THAT(text, Catch::Contains("channel_not_found"));
    CHECK_THAT(text, Catch::Contains("signal 7"));
    auto missing = render_status(std::nullopt, 99, journey());
    CHECK(missing.is_error);
    CHECK_THAT(missing.title, Catch::Contains("99"));
}

TEST_CASE("a prompt offers the suggestion and logging, and says how to do either by typing", "[handlers]") {
    auto meant = render_confirm({"status 12", "staus 12"}, "/friction");
    CHECK(meant.title == "Did you mean “status”?");
    REQUIRE(meant.actions.size() == 2);
    CHECK(meant.actions[0].id == confirm_actions::run);
    CHECK(meant.actions[0].value == "status 12");
    CHECK(meant.actions[1].id == confirm_actions::log);
    CHECK(meant.actions[1].value == "staus 12");
    CHECK_THAT(meant.context, Catch::Contains("`/friction log staus 12`"));
    auto short_one = render_confirm({"", "frobnicate"}, "@cxos");
    REQUIRE(short_one.actions.size() == 1);
    CHECK(short_one.actions[0].id == confirm_actions::log);
    CHECK_THAT(short_one.context, Catch::Contains("`@cxos log frobnicate`"));
}

TEST_CASE("help lists the configured stages and all six components", "[handlers]") {
    auto text = all_text(render_help(journey(), "/friction"));
    CHECK_THAT(text, Catch::Contains("#onboard #renew"));
    CHECK_THAT(text, Catch::Contains("!urgent"));
    for (auto c : all_components()) CHECK_THAT(text, Catch::Contains("+" + std::string(to_slug(c))));
}

namespace {
std::string fields_of(const neutral_message& m) {
    std::string out;
    for (const auto& f : m.fields) out += f.label + "=" + f.value + "|" + std::to_string(static_cast<int>(f.kind)) + "\n";
    return out;
}
} // namespace

TEST_CASE("the ack of a new item reads exactly as reporters have seen it", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"the invoice is wrong", "renew", component::marketing, severity::high, {}},
                         {}, 0);
    s.id = 42;
    item it = new_item_for(s);
    it.id = 7;
    auto ack = render_log_ack(s, it, true, journey());
    CHECK(ack.title == "Logged: item 7");
    CHECK(ack.text == std::string("“the invoice is wrong”\n→ ") + channel_mention("C0BILLING", "#billing") +
                          ": rule `invoices` matched 'invoice'.");
    CHECK(fields_of(ack) == "Stage=renew|0\nComponent=Customer marketing & lifecycle|0\nSeverity=high|0\n");
    CHECK(ack.context == "Signal 42 · `/friction status 7` follows the item; `/friction +1 7` adds a report when "
                         "it happens again.");
    CHECK_FALSE(ack.is_error);
    CHECK(ack.actions.empty());
}

TEST_CASE("the ack of a fallback item and of an owner without a channel", "[handlers]") {
    auto j = journey();
    j.owners["triage"].slack_channel.clear();
    auto s = plan_signal(j, log_command{"dark mode hurts", "", {}, {}, {}}, {}, 0);
    s.id = 9000000001;
    item it = new_item_for(s);
    it.id = 1234567890123;
    auto ack = render_log_ack(s, it, true, j);
    CHECK(ack.title == "Logged: item 1234567890123");
    CHECK(ack.text == "“dark mode hurts”\n→ #triage: no rule matched, fallback owner.");
    CHECK(fields_of(ack) == "Stage=not set|0\nComponent=not set|0\nSeverity=medium|0\n");
    CHECK(ack.context == "Signal 9000000001 · `/friction status 1234567890123` follows the item; "
                         "`/friction +1 1234567890123` adds a report when it happens again.");
}

TEST_CASE("the ack of a report joining an item names the item's owner and the tags not understood", "[handlers]") {
    auto s = plan_signal(journey(), log_command{"invoice #checkout wrong +mobile", "", {}, severity::low, {}}, {}, 0);
    s.id = 5;
    item it = new_item_for(s);
    it.id = 3;
    it.owner = "triage";
    it.counts.reports = 300000;
    auto ack = render_log_ack(s, it, false, journey(), {"#checkout", "+mobile"});
    CHECK(ack.title == "Added to item 3");
    CHECK(ack.text == "“invoice #checkout wrong +mobile”\nThe same friction was reported before: item 3 now has "
                      "300000 reports, owned by " + channel_mention("C0TRIAGE", "#triage") + ".");
    CHECK(fields_of(ack) ==
          "Stage=not set|0\nComponent=not set|0\nSeverity=low|0\nTags not understood=#checkout, +mobile (kept in the "
          "text). Stages: #onboard #renew; severities: !high (!urgent, !critical) !medium !low (!minor); components: "
          "+onboarding +community +education +knowledge +marketing +intelligence|0\n");
    CHECK(ack.context == "Signal 5 · `/friction status 3` follows the item; `/friction +1 3` adds a report when it "
                         "happens again.");
    it.owner = "gone";
    CHECK_THAT(render_log_ack(s, it, false, journey()).text, Catch::EndsWith("owned by #gone."));
}
