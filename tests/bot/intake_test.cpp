// intake against a real (in-memory) store: who hears about a fix when an item mixes reports from
// chat and from other tools; a report of recently fixed friction reopens its item and tells the
// owner, while a won't-fix or long-fixed item keeps today's behaviour.
#include "bot/services/intake.hpp"

#include "bot/core/delivery_holds.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

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

constexpr millis nov_3 = 1793700000000; // 2026-11-03 10:00 UTC

// A chat report of the same friction at `at`.
cxos::signal chat_report(const std::string& user, millis at) {
    auto s = report("slack", user, "");
    s.created_at = at;
    return s;
}

std::int64_t close_item(storage::store& st, const journey_config& j, std::int64_t id, triage_verb verb, millis at) {
    queued_channels queued;
    triage_action a{verb, "U9", "", 0, "PDF renderer upgraded", "", "billing"};
    REQUIRE(record_triage(st, j, id, a, at, queued).changed);
    return id;
}

// The lines in the owner's thread of `item_id` that say it was reopened, in the order queued.
std::vector<std::string> reopened_lines(storage::store& st, std::int64_t item_id) {
    std::vector<std::string> out;
    for (std::int64_t id = 1; id < 100; ++id)
        if (auto d = st.find_delivery(id); d && d->kind == delivery_kind::thread_reply && d->item_id == item_id &&
                                           d->payload.find("reopened") != std::string::npos)
            out.push_back(d->payload);
    return out;
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


TEST_CASE("a report of an item fixed within the window reopens it as regressed and tells its owner",
          "[intake][regression]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    auto first = record_signal(*st, j, chat_report("U1", nov_3 - day_ms), nov_3 - day_ms);
    close_item(*st, j, first.it.id, triage_verb::fixed, nov_3);

    auto again = record_signal(*st, j, chat_report("U2", nov_3 + 20 * day_ms), nov_3 + 20 * day_ms);
    CHECK(again.it.id == first.it.id); // not a new item
    CHECK_FALSE(again.new_item);
    CHECK(again.reopened);
    CHECK(again.it.status == item_status::regressed);
    CHECK(std::count(again.queued.begin(), again.queued.end(), std::pair<std::string, std::string>{"slack", "C0BILLING"}) >= 1);
    auto lines = reopened_lines(*st, first.it.id);
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::Contains("1 new report since the fix on 03 Nov 2026: reopened"));

    // The reporter hears it was known and reopened.
    auto ack = log_ack(again, j, delivery_holds{});
    CHECK(ack.title == "Reopened: item " + std::to_string(first.it.id));
    REQUIRE_FALSE(ack.fields.empty());
    CHECK_THAT(ack.fields[0].value, Catch::Contains("was fixed on 03 Nov 2026"));

    // Further reports join the reopened item without reopening it again.
    auto third = record_signal(*st, j, chat_report("U3", nov_3 + 21 * day_ms), nov_3 + 21 * day_ms);
    CHECK(third.it.id == first.it.id);
    CHECK_FALSE(third.reopened);
    CHECK(reopened_lines(*st, first.it.id).size() == 1);
    auto stored = st->find_item(first.it.id);
    REQUIRE(stored);
    CHECK(stored->counts.since_fix == 2);
    CHECK(stored->fixed_at == nov_3);
    CHECK(stored->regressed_at == nov_3 + 20 * day_ms);
    CHECK(stored->closed_at == 0);
}

TEST_CASE("a won't-fix item, or one fixed longer ago than the window, lets a report start a new item",
          "[intake][regression]") {
    auto st = storage::open_store("sqlite://:memory:");
    auto j = journey();
    j.items.regression_window_days = 30;
    auto declined = record_signal(*st, j, chat_report("U1", nov_3), nov_3);
    close_item(*st, j, declined.it.id, triage_verb::wont_fix, nov_3);
    auto after_declined = record_signal(*st, j, chat_report("U2", nov_3 + day_ms), nov_3 + day_ms);
    CHECK(after_declined.new_item);
    CHECK_FALSE(after_declined.reopened);

    close_item(*st, j, after_declined.it.id, triage_verb::fixed, nov_3 + 2 * day_ms);
    auto late = record_signal(*st, j, chat_report("U3", nov_3 + 33 * day_ms), nov_3 + 33 * day_ms);
    CHECK(late.new_item); // 31 days after the fix, outside a 30-day window
    CHECK(st->find_item(after_declined.it.id)->status == item_status::fixed);
}

TEST_CASE("each report answers the item as stored: reports, reporters and customers after a join", "[intake][store]") {
    auto st = storage::open_store("sqlite://:memory:");
    const auto j = journey();
    // What a reporter is answered with, against the item row the owner's card is drawn from.
    auto answered = [&](const intake_result& r) {
        const auto row = st->find_item_summary(r.it.id);
        REQUIRE(row);
        CHECK(r.it.id == r.sig.item_id);
        CHECK(r.it.owner == row->owner);
        CHECK(r.it.status == row->status);
        CHECK(r.it.routed_delivery_id == row->routed_delivery_id);
        CHECK(r.it.counts.reports == row->counts.reports);
        CHECK(r.it.counts.reporters == row->counts.reporters);
        CHECK(r.it.counts.customers == row->counts.customers);
        CHECK(r.it.counts.first_seen == row->counts.first_seen);
        CHECK(r.it.counts.last_seen == row->counts.last_seen);
        return r.it.counts;
    };
    auto from = [&](const std::string& user, const std::string& customer, millis at) {
        auto s = chat_report(user, at);
        s.customer = customer;
        return s;
    };
    auto first = record_signal(*st, j, from("U1", "Acme", 1000), 1000);
    CHECK(first.new_item);
    auto c = answered(first);
    CHECK((c.reports == 1 && c.reporters == 1 && c.customers == 1));

    auto joined = record_signal(*st, j, from("U2", "acme", 2000), 2000);
    CHECK_FALSE(joined.new_item);
    c = answered(joined);
    CHECK((c.reports == 2 && c.reporters == 2 && c.customers == 1 && c.first_seen == 1000 && c.last_seen == 2000));
    const auto ack = log_ack(joined, j, delivery_holds{}, {}, "/friction");
    CHECK(ack.text.find("now has 2 reports") != std::string::npos);

    c = answered(record_signal(*st, j, from("U1", "Globex", 3000), 3000));
    CHECK((c.reports == 3 && c.reporters == 2 && c.customers == 2 && c.last_seen == 3000));

    source_ref again{"slack", "T1", "C0SUPPORT", "U3", "U3", "", "", ""};
    auto plus_one = record_plus_one(*st, first.it.id, again, 4000);
    REQUIRE(plus_one);
    c = answered(*plus_one);
    CHECK((c.reports == 4 && c.reporters == 3 && c.customers == 2 && c.last_seen == 4000));
}
