#include "commands/council.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cxos;

namespace {

constexpr millis day_ms = 24LL * 3600 * 1000;
constexpr millis nov25 = 1795564800000;        // 2026-11-25 00:00 UTC
constexpr millis now = nov25 + 10 * 3600 * 1000; // 2026-11-25 10:00 UTC

journey_config journey() {
    journey_config j;
    j.owners = {{"billing", {"billing", "C0BILLING", ""}}, {"docs", {"docs", "C0DOCS", ""}}, {"triage", {"triage", "C0TRIAGE", ""}}};
    j.fallback = "triage";
    return j;
}

item open_item(std::int64_t id, int reports, severity sev, millis last_seen) {
    item it;
    it.id = id;
    it.title = "refund missing";
    it.owner = "billing";
    it.status = item_status::routed;
    it.sev = sev;
    it.created_at = it.counts.first_seen = last_seen - 3 * day_ms;
    it.counts.reports = it.counts.reporters = reports;
    it.counts.last_seen = last_seen;
    return it;
}

agenda_candidate candidate(item it, bool carried_over = false, int last_week = 0) {
    return agenda_candidate{std::move(it), last_week, carried_over, {}, {}};
}

std::vector<std::int64_t> ids_of(const std::vector<agenda_entry>& agenda) {
    std::vector<std::int64_t> out;
    for (const auto& e : agenda) out.push_back(e.c.it.id);
    return out;
}

const message_field* field(const neutral_message& m, const std::string& label_prefix) {
    for (const auto& f : m.fields)
        if (f.label.rfind(label_prefix, 0) == 0) return &f;
    return nullptr;
}

form_submission decision_form(std::string state, std::map<std::string, std::string> values) {
    return form_submission{std::string(form_ids::council_decide), std::move(state), std::move(values)};
}

} // namespace

TEST_CASE("failure demand rises with reports and severity and halves after 14 idle days", "[council][agenda]") {
    const double three = failure_demand_score(open_item(1, 3, severity::medium, now), now);
    const double one = failure_demand_score(open_item(2, 1, severity::medium, now), now);
    CHECK(three > one);
    CHECK(three == Approx(3 * one));
    const double high = failure_demand_score(open_item(3, 1, severity::high, now), now);
    CHECK(high > one);
    CHECK(high == Approx(2 * one));
    CHECK(failure_demand_score(open_item(4, 1, severity::low, now), now) < one);
    const double idle = failure_demand_score(open_item(5, 3, severity::medium, now - 14 * day_ms), now);
    CHECK(idle == Approx(three / 2));
    const double idle28 = failure_demand_score(open_item(6, 3, severity::medium, now - 28 * day_ms), now);
    CHECK(idle28 == Approx(three / 4));
    // Recency counts from the last report; an item never reported counts from its creation.
    auto old_but_busy = open_item(7, 3, severity::medium, now);
    old_but_busy.created_at = now - 28 * day_ms;
    CHECK(failure_demand_score(old_but_busy, now) == Approx(three));
    auto unreported = open_item(8, 3, severity::medium, 0);
    unreported.created_at = now - 14 * day_ms;
    CHECK(failure_demand_score(unreported, now) == Approx(three / 2));
}

TEST_CASE("the agenda cut keeps carried-over and decided items and ranks by score", "[council][agenda]") {
    std::vector<agenda_candidate> cs;
    cs.push_back(candidate(open_item(1, 10, severity::high, now)));
    cs.push_back(candidate(open_item(2, 8, severity::high, now)));
    cs.push_back(candidate(open_item(3, 6, severity::high, now)));
    // Low demand, but the council owes it an answer from week 47.
    cs.push_back(candidate(open_item(4, 1, severity::low, now - 28 * day_ms), true, 47));
    auto decided = open_item(5, 1, severity::low, now);
    decided.status = item_status::in_progress;
    decided.decision = "Remove the currency step";
    cs.push_back(candidate(decided, false, 47));
    auto fixed = open_item(6, 50, severity::high, now);
    fixed.status = item_status::fixed;
    cs.push_back(candidate(fixed, true, 47));

    auto cut = build_agenda(cs, now, 3);
    CHECK(ids_of(cut) == std::vector<std::int64_t>{1, 5, 4});
    REQUIRE(cut.size() == 3);
    for (std::size_t i = 0; i < cut.size(); ++i) CHECK(cut[i].rank == static_cast<int>(i + 1));
    CHECK(cut[0].score > cut[1].score);
    CHECK(cut[1].score > cut[2].score);
    CHECK(cut[2].c.carried_over);
    CHECK(cut[2].c.last_week == 47);

    auto all = build_agenda(cs, now, 10);
    CHECK(ids_of(all) == std::vector<std::int64_t>{1, 2, 3, 5, 4}); // the fixed item never shows
    CHECK(all.back().rank == 5);
    CHECK(all[0].score == Approx(failure_demand_score(cs[0].it, now)));
}

TEST_CASE("a tally splits votes by value in voting order", "[council][votes]") {
    std::vector<vote> votes{{7, "slack", "U1", 1, "button", 1},
                            {7, "slack", "U2", -1, "reaction", 2},
                            {7, "slack", "U3", 1, "reaction", 3}};
    auto t = tally_of(votes);
    CHECK(t.prioritise == std::vector<std::string>{"U1", "U3"});
    CHECK(t.not_now == std::vector<std::string>{"U2"});
    CHECK(tally_of({}).prioritise.empty());
}

TEST_CASE("an agenda entry asks why and shows votes and actions while open", "[council][render]") {
    agenda_entry e{candidate(open_item(7, 4, severity::high, now)), 16, 2};
    e.c.votes.prioritise = {"U1", "U2"};
    e.c.votes.not_now = {"U3"};
    auto m = render_council_entry(e, now);
    CHECK_THAT(m.title, Catch::StartsWith("#2 · Item 7"));
    CHECK_THAT(m.text, Catch::Contains("*refund missing*"));
    CHECK_THAT(m.text, Catch::Contains("Why are customers"));
    const auto* up = field(m, "👍 Prioritise");
    REQUIRE(up);
    CHECK(up->label == "👍 Prioritise (2)");
    CHECK(up->value == "U1 U2");
    CHECK(up->kind == field_kind::users);
    const auto* down = field(m, "👎 Not now");
    REQUIRE(down);
    CHECK(down->label == "👎 Not now (1)");
    CHECK(down->value == "U3");
    CHECK(down->kind == field_kind::users);
    REQUIRE(m.actions.size() == 3);
    CHECK(m.actions[0].id == "council.up");
    CHECK(m.actions[1].id == "council.down");
    CHECK(m.actions[2].id == "council.decide");
    for (const auto& a : m.actions) CHECK(a.value == "7");
    CHECK_THAT(m.context, !Catch::Contains("Carried over"));

    e.c.carried_over = true;
    e.c.last_week = 47;
    CHECK_THAT(render_council_entry(e, now).context, Catch::Contains("Carried over from week 47"));
    e.c.it.decision = "Remove the currency step";
    e.c.it.status = item_status::in_progress;
    CHECK_THAT(render_council_entry(e, now).context, !Catch::Contains("Carried over"));

    e.c.it.status = item_status::fixed;
    CHECK(render_council_entry(e, now).actions.empty());

    CHECK_FALSE(field(render_council_entry(e, now), "Cost to serve"));
    e.c.cost = "about €4,200 in the last 30 days, €9,100 so far";
    auto priced = render_council_entry(e, now);
    REQUIRE(priced.fields.size() > 2);
    CHECK(priced.fields[1].label == "Failure demand");
    CHECK(priced.fields[2].label == "Cost to serve"); // beside the counts
    CHECK(priced.fields[2].value == e.c.cost);
}

TEST_CASE("the council parent shows the week and figures and a late note only when late", "[council][render]") {
    council_summary s;
    s.week = 48;
    s.new_signals = 3;
    s.open_items = 5;
    s.routing = {{"", 1, 0}, {"invoices", 3, 1}};
    s.loops = {2, 1, {3 * day_ms}};
    std::vector<agenda_entry> agenda{{candidate(open_item(7, 4, severity::high, now)), 16, 1}};
    auto m = render_council_parent(s, agenda);
    CHECK_THAT(m.title, Catch::Contains("week 48"));
    CHECK_THAT(m.text, Catch::Contains("3 new signals"));
    CHECK_THAT(m.text, Catch::Contains("5 open items"));
    const auto* routing = field(m, "Routing accuracy");
    REQUIRE(routing);
    // The fallback's item is not counted as accurately routed: 2 of the rules' 3 stayed.
    CHECK(routing->value == "67 % of 3 items routed by a rule; 1 of 4 routed items (25 %) went to the fallback owner");
    const auto* loops = field(m, "Closed loops");
    REQUIRE(loops);
    CHECK_THAT(loops->value, Catch::Contains("50 % of 2 fixed items"));
    CHECK_THAT(m.context, !Catch::Contains("Posted late"));
    CHECK_FALSE(field(m, "Cost to serve"));
    s.agenda_cost = "the items on this agenda cost about €420 in the last 30 days";
    const auto priced = render_council_parent(s, agenda);
    const auto* cost = field(priced, "Cost to serve");
    REQUIRE(cost);
    CHECK(cost->value == s.agenda_cost);

    s.late = true;
    s.scheduled_for = "Mon 23 Nov 09:00 CET";
    CHECK_THAT(render_council_parent(s, agenda).context, Catch::Contains("Posted late: it was due Mon 23 Nov 09:00 CET"));
    s.new_signals = 1;
    CHECK_THAT(render_council_parent(s, {}).text, Catch::Contains("1 new signal*"));
    CHECK_THAT(render_council_parent(s, {}).text, Catch::Contains("Nothing needs the council"));
}

TEST_CASE("closed loops are described with their median time", "[council][loops]") {
    CHECK(describe_closed_loops({}) == "no item fixed yet");
    CHECK(describe_closed_loops({2, 1, {3 * day_ms}}) ==
          "50 % of 2 fixed items; median 3.0 days from first report to closed loop");
    CHECK(describe_closed_loops({2, 0, {}}) == "0 % of 2 fixed items");
    // An even count takes the mean of the middle two, whatever order they came in.
    CHECK_THAT(describe_closed_loops({3, 2, {4 * day_ms, 2 * day_ms}}), Catch::Contains("median 3.0 days"));
    CHECK_THAT(describe_closed_loops({5, 3, {9 * day_ms, day_ms, 4 * day_ms}}), Catch::Contains("median 4.0 days"));
    CHECK_THAT(describe_closed_loops({1, 1, {12 * day_ms}}), Catch::Contains("median 12 days"));
}

TEST_CASE("a decision needs text and a known owner and a due date not in the past", "[council][decide]") {
    auto empty = read_decision(decision_form("", {}), journey(), now);
    REQUIRE(std::holds_alternative<form_errors>(empty));
    auto& all = std::get<form_errors>(empty);
    CHECK(all.count(""));
    CHECK(all.count("decision"));
    CHECK(all.count("owner"));
    CHECK(all.count("due"));

    auto bad = read_decision(decision_form("7", {{"decision", "  \n"}, {"owner", "finance"}, {"due", "2026-02-30"}}),
                             journey(), now);
    REQUIRE(std::holds_alternative<form_errors>(bad));
    auto& errors = std::get<form_errors>(bad);
    CHECK_FALSE(errors.count(""));
    CHECK(errors.count("decision"));
    CHECK(errors.count("owner"));
    CHECK(errors.count("due"));

    auto past = read_decision(decision_form("7", {{"decision", "x"}, {"owner", "docs"}, {"due", "2026-11-24"}}),
                              journey(), now);
    REQUIRE(std::holds_alternative<form_errors>(past));
    CHECK(std::get<form_errors>(past).size() == 1);
    CHECK_THAT(std::get<form_errors>(past).at("due"), Catch::Contains("past"));
    auto today = read_decision(decision_form("7", {{"decision", "x"}, {"owner", "docs"}, {"due", "2026-11-25"}}),
                               journey(), now);
    CHECK(std::holds_alternative<decision_request>(today));

    auto ok = read_decision(
        decision_form("7", {{"decision", "Remove the currency step"}, {"owner", "docs"}, {"due", "2026-12-10"}}),
        journey(), now);
    REQUIRE(std::holds_alternative<decision_request>(ok));
    auto& d = std::get<decision_request>(ok);
    CHECK(d.item_id == 7);
    CHECK(d.text == "Remove the currency step");
    CHECK(d.owner == "docs");
    CHECK(d.due_at == 1796860800000); // 2026-12-10 00:00 UTC
}

TEST_CASE("applying a decision moves the item to in progress", "[council][decide]") {
    decision_request d{7, "Remove the currency step", "docs", 1796860800000};
    auto before = open_item(7, 2, severity::high, now);
    before.status = item_status::acknowledged;
    auto out = apply_decision(before, d, "U0LEAD", journey(), now);
    REQUIRE(out.changed);
    CHECK(out.owner_changed);
    CHECK(out.after.owner == "docs");
    CHECK(out.after.status == item_status::in_progress);
    CHECK(out.after.decision == "Remove the currency step");
    CHECK(out.after.decided_by == "U0LEAD");
    CHECK(out.after.decided_at == now);
    CHECK(out.after.due_at == 1796860800000);
    CHECK(out.after.last_actor == "U0LEAD");

    d.owner = "billing";
    auto same = apply_decision(before, d, "U0LEAD", journey(), now);
    CHECK(same.changed);
    CHECK_FALSE(same.owner_changed);

    d.owner = "finance";
    CHECK_FALSE(apply_decision(before, d, "U0LEAD", journey(), now).changed);

    d.owner = "docs";
    before.status = item_status::wont_fix;
    auto refused = apply_decision(before, d, "U0LEAD", journey(), now);
    CHECK_FALSE(refused.changed);
    CHECK_THAT(refused.explanation, Catch::Contains("closed"));
    CHECK(refused.after.status == item_status::wont_fix);
    CHECK(refused.after.decision.empty());
}

TEST_CASE("the decide form defaults the due date to two weeks out", "[council][decide]") {
    auto f = decide_form(open_item(7, 1, severity::medium, now), journey(), now);
    CHECK(f.state == "7");
    auto due = std::find_if(f.inputs.begin(), f.inputs.end(), [](const form_input& in) { return in.id == "due"; });
    REQUIRE(due != f.inputs.end());
    CHECK(due->kind == input_kind::date);
    CHECK(due->initial == "2026-12-09");
}

TEST_CASE("a loop notice tells the reporters what changed", "[council][loops]") {
    auto it = open_item(7, 2, severity::high, now);
    it.title = "Refund missing";
    it.note = "Refunds now arrive within a day";
    it.status = item_status::fixed;
    auto m = render_loop_notice(it, 1794441600000 + 15 * 3600 * 1000, {"U1", "U2"}); // 12 Nov 15:00 UTC
    CHECK(m.text == "You reported *Refund missing* on 12 Nov. We fixed it: *Refunds now arrive within a day*");
    const auto* to = field(m, "For");
    REQUIRE(to);
    CHECK(to->kind == field_kind::users);
    CHECK(to->value == "U1 U2");
    it.link = "https://status.example.com/42";
    CHECK_THAT(render_loop_notice(it, 1794441600000, {"U1"}).text, Catch::EndsWith("* https://status.example.com/42"));
}

TEST_CASE("parse_day accepts real calendar days only", "[council][decide]") {
    CHECK_FALSE(parse_day("2026-02-29"));
    CHECK(parse_day("2028-02-29") == std::optional<millis>(1835395200000));
    CHECK(parse_day("2026-12-10") == std::optional<millis>(1796860800000));
    for (auto junk : {"", "soon", "2026-13-01", "2026-00-10", "2026-12-32", "2026/12/10", "2026-12-1x", "2026-12-10T00"})
        CHECK_FALSE(parse_day(junk));
    // Blanks and signs are not digits, even where a number could be read.
    for (auto loose : {" 2026-12-1", "2026- 1- 1", "2026-+1-01", "-001-01-01"}) CHECK_FALSE(parse_day(loose));
}

TEST_CASE("regressions lead the agenda and keep their place past max_items, and the parent says why",
          "[council][agenda][golden]") {
    auto regressed = open_item(9, 1, severity::low, now - 20 * day_ms);
    regressed.status = item_status::regressed;
    regressed.fixed_at = now - 30 * day_ms;
    regressed.regressed_at = now - 20 * day_ms;
    auto busy = open_item(1, 12, severity::high, now);
    auto busier = open_item(2, 20, severity::high, now);
    const auto agenda = build_agenda({candidate(busy), candidate(regressed), candidate(busier)}, now, 2);
    CHECK(ids_of(agenda) == std::vector<std::int64_t>{9, 2});
    CHECK(agenda[0].rank == 1);
    const auto entry = render_council_entry(agenda[0], now);
    const auto* field_of_regression = field(entry, "Regressed");
    REQUIRE(field_of_regression);
    CHECK(field_of_regression->value == "back on 05 Nov 2026 after the fix on 26 Oct 2026");

    council_summary s;
    s.fixes = "fixes that held: 7 of 9 (1 regressed)";
    s.savings = "about €1,200 a month, €9,800 this year";
    const auto parent = render_council_parent(s, agenda);
    CHECK(parent.text.find("1 regression first: fixed, and reported again.") != std::string::npos);
    REQUIRE(field(parent, "Fixes"));
    CHECK(field(parent, "Fixes")->value == "fixes that held: 7 of 9 (1 regressed)");
    REQUIRE(field(parent, "Failure demand removed"));
}
