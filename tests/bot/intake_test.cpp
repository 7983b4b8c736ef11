// intake against a real (in-memory) store: who hears about a fix when an item mixes reports from
// chat and from other tools.
#include "bot/services/intake.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::bot;

namespace {

journey_config journey() {
    journey_config j;
    j.stages = {"renew"};
    j.owners["billing"] = owner{"billing", "C0BILLING", "", ""};
    j.fallback = "billing";
    return j;
}

cxos::signal report(const std::string& platform, const std::string& user, const std::string& external_id) {
    cxos::signal s;
    s.source = {platform, "T1", platform == "slack" ? "C0SUPPORT" : "", user, user, "", "", ""};
    s.description = "the refund page is blank";
    s.route = {"billing", "", "no rule matched"};
    s.external_id = external_id;
    s.created_at = 1000;
    return s;
}

} // namespace

TEST_CASE("a fix tells the chat reporters and never queues a notice for a tool", "[intake][store]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    auto chat = record_signal(*st, j, report("slack", "U1", ""), 1000);
    auto ticket = record_signal(*st, j, report("zendesk", "zendesk", "ZD-1"), 2000);
    REQUIRE(ticket.it.id == chat.it.id);

    queued_channels queued;
    triage_action fixed{triage_verb::fixed, "U9", "", 0, "refund page renders again", "", "billing"};
    auto outcome = record_triage(*st, j, chat.it.id, fixed, 3000, queued);
    REQUIRE(outcome.changed);
    for (const auto& [platform, channel] : queued) CHECK(platform == "slack");
    int notices_to_slack_reporter = 0;
    for (const auto& d : st->deliveries_for_signal(chat.sig.id))
        if (d.kind == delivery_kind::notice && d.channel == "U1") ++notices_to_slack_reporter;
    CHECK(notices_to_slack_reporter == 1);
    for (const auto& d : st->deliveries_for_signal(ticket.sig.id)) {
        INFO(d.kind << " " << d.platform << " " << d.channel);
        CHECK(d.platform != "zendesk");
    }
}

TEST_CASE("flags on two replies of one Slack thread start two items, a second flag of one reply joins it", "[intake][store]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    auto flag = [&](const std::string& user, const std::string& reply_ts, const std::string& text) {
        auto s = report("slack", user, "");
        s.source.message_ts = reply_ts;
        s.source.thread_ts = "1700000000.000100"; // both replies sit in one thread
        s.description = text;
        return record_signal(*st, j, s, 1000);
    };
    auto a = flag("U1", "1700000000.000200", "the invoice PDF is blank");
    auto b = flag("U2", "1700000000.000300", "the SSO login loops forever");
    CHECK(a.it.id != b.it.id);
    auto again = flag("U3", "1700000000.000200", "whatever the reactor's copy says");
    CHECK(again.it.id == a.it.id);
}

TEST_CASE("slash commands from one channel without a thread start items by their own words", "[intake][store]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    auto typed = [&](const std::string& text) {
        auto s = report("slack", "U1", "");
        s.description = text;
        return record_signal(*st, j, s, 1000);
    };
    CHECK(typed("the invoice PDF is blank").it.id != typed("the SSO login loops forever").it.id);
}
