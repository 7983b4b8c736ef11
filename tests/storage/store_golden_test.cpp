// What the golden thread reads from the store, on each backend: fixed items by key within the
// regression window, reports since the fix, the audit and closed-loop notices of one item.
#include "storage/store.hpp"

#include "tests/support/scratch_database.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

item invoice_item(item_status status, millis fixed_at) {
    item it;
    it.key = "invoice pdf blank";
    it.title = "Invoice PDF blank";
    it.owner = "billing";
    it.status = status;
    it.fixed_at = fixed_at;
    it.closed_at = status == item_status::fixed ? fixed_at : 0;
    it.created_at = it.updated_at = 1;
    return it;
}

signal report_of(std::int64_t item_id, std::string user, millis at) {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", std::move(user), "", "", "", ""};
    s.description = "Invoice PDF blank";
    s.route = {"billing", "", "no rule matched"};
    s.created_at = at;
    s.item_id = item_id;
    return s;
}

} // namespace

TEST_CASE("a fixed item is found by key within the regression window and counts reports since its fix",
          "[store][items][golden]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto old_fix = st->insert_item(invoice_item(item_status::fixed, 1000));
    auto recent_fix = st->insert_item(invoice_item(item_status::fixed, 5000));
    st->insert_item(invoice_item(item_status::wont_fix, 0));
    st->insert_signal(report_of(recent_fix, "U1", 4000));
    st->insert_signal(report_of(recent_fix, "U2", 6000));

    auto found = st->find_fixed_item("invoice pdf blank", 2000);
    REQUIRE(found);
    CHECK(found->id == recent_fix); // the latest fix, never the won't-fix one
    CHECK(found->fixed_at == 5000);
    CHECK(st->find_fixed_item("invoice pdf blank", 6000) == std::nullopt); // fixed before the window
    CHECK(st->find_fixed_item("invoice pdf blank", 0)->id == recent_fix);
    CHECK(st->find_item(old_fix)->counts.since_fix == 0);
    CHECK(st->find_item(recent_fix)->counts.since_fix == 1);
    CHECK_FALSE(st->find_open_item("invoice pdf blank"));

    // Reopened as regressed: open again, with both times kept.
    auto it = *st->find_item(recent_fix);
    it.status = item_status::regressed;
    it.regressed_at = 6000;
    it.closed_at = 0;
    st->update_item(it);
    auto open = st->find_open_item("invoice pdf blank");
    REQUIRE(open);
    CHECK(open->id == recent_fix);
    CHECK(open->status == item_status::regressed);
    CHECK(open->fixed_at == 5000);
    CHECK(open->regressed_at == 6000);
    CHECK(st->open_item_count() == 1);
    CHECK(st->find_fixed_item("invoice pdf blank", 0)->id == old_fix);
}

TEST_CASE("an item's audit and notices come back oldest first, a later fix's notice replacing the first",
          "[store][items][golden]") {
    CXOS_EACH_BACKEND(db);
    auto st = db.open();
    auto id = st->insert_item(invoice_item(item_status::fixed, 3000));
    auto sig = st->insert_signal(report_of(id, "U1", 1000));
    st->insert_audit(id, "U9", "fixed", "renderer upgraded", 3000);
    st->insert_audit(id, "U9", "acknowledge", "", 2000);
    st->insert_audit(id + 1, "U9", "acknowledge", "", 2500); // another item's
    auto audit = st->audit_of_item(id);
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].action == "acknowledge");
    CHECK(audit[1].actor == "U9");
    CHECK(audit[1].detail == "renderer upgraded");
    CHECK(audit[1].at == 3000);

    delivery notice;
    notice.kind = delivery_kind::notice;
    notice.platform = "slack";
    notice.channel = "U1";
    notice.signal_id = sig;
    notice.item_id = id;
    notice.payload = "{}";
    auto first = st->insert_delivery(notice);
    st->insert_loop_notice(id, reporter_ref{sig, "slack", "U1", "", "", 0}, first, 3000);
    auto sent = *st->find_delivery(first);
    sent.state = delivery_state::sent;
    sent.platform_ref = "1.1";
    sent.updated_at = 3100;
    st->update_delivery(sent);
    auto notices = st->loop_notices_of_item(id);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].told);
    CHECK(notices[0].told_at == 3100);

    // Fixed again after a regression: the reporter is told anew, the new notice counts.
    auto second = st->insert_delivery(notice);
    st->insert_loop_notice(id, reporter_ref{sig, "slack", "U1", "", "", 0}, second, 9000);
    notices = st->loop_notices_of_item(id);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].queued_at == 9000);
    CHECK_FALSE(notices[0].told);
    // A repeat within one fix keeps the first notice.
    st->insert_loop_notice(id, reporter_ref{sig, "slack", "U1", "", "", 0}, first, 5000);
    CHECK(st->loop_notices_of_item(id)[0].queued_at == 9000);
}
