// The messages of the catalog: one or more per renderer in commands/, ordinary and hostile.
#include "tests/cards/card_catalog.hpp"

#include "commands/council.hpp"
#include "commands/handlers.hpp"
#include "commands/kpis.hpp"
#include "commands/outcomes.hpp"
#include "commands/spike.hpp"
#include "tests/cards/catalog_fixtures.hpp"

namespace cxos::cards {
namespace {

constexpr item_status every_status[] = {item_status::fresh,       item_status::routed, item_status::acknowledged,
                                        item_status::in_progress, item_status::fixed,  item_status::wont_fix,
                                        item_status::duplicate,   item_status::regressed};

void add_item_views(std::vector<named_message>& out) {
    const auto journey = ordinary_journey(), hostile = hostile_journey();
    for (auto status : every_status) {
        out.push_back({"item_card-" + std::string(to_string(status)), render_item_card(ordinary_item(status), journey), true});
        out.push_back({"item_card-hostile-" + std::string(to_string(status)),
                       render_item_card(hostile_item(status, hostile), hostile), true});
    }
    auto rerouted = ordinary_item(item_status::routed);
    rerouted.owner = "docs";
    rerouted.rerouted = true;
    rerouted.last_actor = "U0OWNER";
    out.push_back({"item_card-rerouted", render_item_card(rerouted, journey), true});
    auto fallback = ordinary_item(item_status::fresh);
    fallback.rule.clear();
    fallback.reason = "no rule matched";
    fallback.counts = {};
    out.push_back({"item_card-fallback_no_source", render_item_card(fallback, journey), true});
    out.push_back({"moved_card", render_moved_card(rerouted), true});
    out.push_back({"regression_line", render_regression_line(ordinary_item(item_status::regressed)), true});
    out.push_back({"regression_line-hostile", render_regression_line(hostile_item(item_status::regressed, hostile)), true});
    out.push_back({"moved_card-hostile", render_moved_card(hostile_item(item_status::routed, hostile)), true});

    constexpr triage_verb verbs[] = {triage_verb::acknowledge, triage_verb::reroute, triage_verb::duplicate,
                                     triage_verb::wont_fix, triage_verb::fixed};
    constexpr const char* verb_names[] = {"acknowledge", "reroute", "duplicate", "wont_fix", "fixed"};
    for (std::size_t i = 0; i < std::size(verbs); ++i) {
        const auto status = verbs[i] == triage_verb::fixed      ? item_status::fixed
                            : verbs[i] == triage_verb::wont_fix ? item_status::wont_fix
                                                                : item_status::duplicate;
        out.push_back({std::string("reporter_notice-") + verb_names[i],
                       render_reporter_notice(ordinary_item(status), verbs[i], "U0OWNER")});
        out.push_back({std::string("reporter_notice-hostile-") + verb_names[i],
                       render_reporter_notice(hostile_item(status, hostile), verbs[i], "29:1" + std::string(300, 'x'))});
    }

    std::vector<rule_accuracy> rules;
    for (int i = 0; i < 40; ++i) rules.push_back({i == 0 ? "" : "rule-" + std::to_string(i) + hostile_text(100), 10 + i, i % 4});
    out.push_back({"routing_stats-empty", render_routing_stats({})});
    out.push_back({"routing_stats", render_routing_stats({{"invoices", 12, 1}, {"", 4, 2}})});
    out.push_back({"routing_stats-hostile-40_rules", render_routing_stats(rules)});
}

agenda_entry entry_for(item it, int rank, int voters) {
    agenda_entry e;
    e.c.it = std::move(it);
    e.rank = rank;
    e.score = 12.5;
    auto users = many_users(voters);
    for (std::size_t i = 0; i < users.size(); ++i) (i % 3 ? e.c.votes.prioritise : e.c.votes.not_now).push_back(users[i]);
    e.c.cost = "about €420 in the last 30 days, €900 so far";
    return e;
}

void add_council(std::vector<named_message>& out) {
    const auto hostile = hostile_journey();
    council_summary s;
    s.week = 47;
    s.new_signals = 31;
    s.open_items = 12;
    s.routing = {{"invoices", 12, 1}, {"", 4, 2}};
    s.loops = {5, 3, {3 * catalog_day, 5 * catalog_day, 9 * catalog_day}};
    s.agenda_cost = "about €2,100 in the last 30 days";
    std::vector<agenda_entry> agenda;
    for (int rank = 1; rank <= 5; ++rank) agenda.push_back(entry_for(ordinary_item(item_status::routed), rank, 3));

    out.push_back({"council_parent", render_council_parent(s, agenda)});
    out.push_back({"council_parent-empty_agenda", render_council_parent(council_summary{}, {})});
    auto late = s;
    late.late = true;
    late.scheduled_for = "Mon 16 Nov 2026 09:00 Europe/Berlin";
    out.push_back({"council_parent-late", render_council_parent(late, agenda)});
    out.push_back({"council_entry", render_council_entry(agenda.front(), catalog_now), true});
    auto carried = entry_for(ordinary_item(item_status::in_progress), 2, 0);
    carried.c.carried_over = true;
    carried.c.last_week = 45;
    out.push_back({"council_entry-decided", render_council_entry(carried, catalog_now), true});
    out.push_back({"council_entry-closed", render_council_entry(entry_for(ordinary_item(item_status::fixed), 3, 1), catalog_now), true});
    auto hostile_entry = entry_for(hostile_item(item_status::in_progress, hostile), 99, 400);
    hostile_entry.c.cost = hostile_text(3'000);
    out.push_back({"council_entry-hostile", render_council_entry(hostile_entry, catalog_now), true});

    std::vector<agenda_entry> long_agenda;
    for (int rank = 1; rank <= 40; ++rank) long_agenda.push_back(entry_for(hostile_item(item_status::routed, hostile), rank, 2));
    out.push_back({"council_preview", render_council_preview(s, agenda)});
    out.push_back({"council_preview-hostile-40_items", render_council_preview(late, long_agenda)});
    out.push_back({"closed_loop_stats-none", render_closed_loop_stats({})});
    out.push_back({"closed_loop_stats", render_closed_loop_stats(s.loops)});

    out.push_back({"decision_line", render_decision_line(ordinary_item(item_status::in_progress))});
    out.push_back({"decision_line-hostile", render_decision_line(hostile_item(item_status::in_progress, hostile))});
    out.push_back({"loop_notice", render_loop_notice(ordinary_item(item_status::fixed), catalog_now - 9 * catalog_day, {"U0REPORTER"})});
    out.push_back({"loop_notice-hostile-500_reporters",
                   render_loop_notice(hostile_item(item_status::fixed, hostile), catalog_now, many_users(500))});

    spike_reading spike{14, 1.4, 7, 10, true};
    out.push_back({"spike_alert", render_spike_alert(ordinary_item(item_status::routed), spike)});
    out.push_back({"spike_alert-no_baseline", render_spike_alert(ordinary_item(item_status::fresh), {9, 0, 0.5, 0, true})});
    out.push_back({"spike_alert-hostile", render_spike_alert(hostile_item(item_status::acknowledged, hostile), spike)});
}

kpi_report kpi_figures(bool hostile) {
    kpi_report r;
    r.now = catalog_now;
    r.signals = 120;
    r.contacts = 150;
    r.items = 30;
    r.open_items = 12;
    r.reports_per_item = 4;
    r.heat = {{"renew", "knowledge", 40, 6, 50}, {"", "", 3, 3, 3}, {"trial", "onboarding", 12, 2, 12}};
    const auto journey = hostile_journey();
    for (int i = 0; i < (hostile ? 60 : 7); ++i)
        r.top.push_back({hostile ? hostile_item(item_status::routed, journey) : ordinary_item(item_status::routed), {}, 10 - i % 10, 3, 90, 30});
    r.to_route = {30, 1000, 60'000};
    r.to_acknowledge = {20, 3'600'000, 7'200'000};
    r.to_fix = {4, 3 * catalog_day, 9 * catalog_day};
    r.routing = {{"invoices", 12, 1}, {"", 4, 2}};
    r.routed = 16;
    r.rerouted = 3;
    r.loops = {5, 3, {3 * catalog_day}};
    for (int i = 0; i < (hostile ? 150 : 3); ++i)
        r.owners.push_back({hostile ? std::next(journey.owners.begin(), i)->first : "team-" + std::to_string(i), 3, 5 * catalog_day,
                            2 * catalog_day, 120});
    r.week_over_week = 12.5;
    r.cost = 1234.5;
    r.cost_month = 456;
    return r;
}

void add_answers(std::vector<named_message>& out) {
    const auto journey = ordinary_journey(), hostile = hostile_journey();
    out.push_back({"help", render_help(journey, "/friction")});
    out.push_back({"help-teams", render_help(journey, "@cxos")});
    out.push_back({"help-hostile-60_stages", render_help(hostile, hostile_text(300))});

    economics_config economics;
    economics.cost_per_contact = 8.5;
    out.push_back({"stats-nothing_yet", render_kpi_stats(kpi_report{}, {}, "billing")});
    out.push_back({"stats", render_kpi_stats(kpi_figures(false), {}, "")});
    out.push_back({"stats-economics", render_kpi_stats(kpi_figures(false), economics, "stage renew")});
    out.push_back({"stats-hostile", render_kpi_stats(kpi_figures(true), economics, hostile_text(400))});
    fix_summary fixes;
    fixes.fixed = 10;
    fixes.held = 7;
    fixes.not_held = 1;
    fixes.regressed = 1;
    fixes.under_watch = 1;
    fixes.contacts_month = 145;
    fixes.savings_month = 1232.5;
    fixes.contacts_ytd = 1400;
    fixes.savings_ytd = 11900;
    fixes.by_owner = {{"billing", 5, 4, 100, 850, 900, 7650}, {hostile_text(300), 4, 3, 45, 382.5, 500, 4250}};
    fixes.by_component = {{"knowledge", 6, 5, 120, 1020, 1100, 9350}, {"", 3, 2, 25, 212.5, 300, 2550}};
    auto with_fixes = render_kpi_stats(kpi_figures(false), economics, "");
    add_outcome_fields(with_fixes, fixes, economics);
    out.push_back({"stats-fixes_and_savings", with_fixes});
    out.push_back({"stats_health-nothing_yet", render_health(compute_health({}, {}, fix_summary{}, catalog_now))});

    signal s;
    s.id = 314;
    s.description = "The invoice PDF shows the wrong currency #renew !high";
    s.stage = "renew";
    s.sev = severity::high;
    s.route = {"billing", "invoices", "matched 'invoice'"};
    s.created_at = catalog_now;
    s.source.user_id = "U0REPORTER";
    const auto it = ordinary_item(item_status::routed);
    out.push_back({"log_ack-new_item", render_log_ack(s, it, true, journey, {"#checkout", "+mobile"})});
    out.push_back({"log_ack-joined_item", render_log_ack(s, it, false, journey)});
    signal hostile_signal = s;
    hostile_signal.description = hostile_text(40'000);
    hostile_signal.route = {hostile.owners.rbegin()->first, "", hostile_text(3'000)};
    hostile_signal.stage = hostile.stages.back();
    out.push_back({"log_ack-hostile", render_log_ack(hostile_signal, hostile_item(item_status::routed, hostile), false, hostile, {hostile_text(500)})});
    out.push_back({"plus_one-no_item", render_plus_one_ack(std::nullopt, 404, false)});
    out.push_back({"plus_one-counted", render_plus_one_ack(it, 42, true)});
    out.push_back({"plus_one-closed", render_plus_one_ack(ordinary_item(item_status::fixed), 42, false)});
    out.push_back({"plus_one-hostile", render_plus_one_ack(hostile_item(item_status::routed, hostile), 42, true)});

    out.push_back({"status-no_item", render_status(std::nullopt, 404, journey)});
    delivery sent;
    sent.state = delivery_state::sent;
    sent.channel = "C0BILLING";
    sent.platform_ref = "1700000000.000100";
    delivery dead;
    dead.state = delivery_state::dead;
    dead.channel = "19:docs0channel@thread.tacv2";
    dead.attempts = 7;
    dead.last_error = "channel_not_found";
    out.push_back({"status", render_status(item_status_view{it, {sent, dead}, 314, "held: 0 reports in the 4 weeks after the fix on 03 Nov 2026, against 9 before; saves about €310 a month", "€45.50 so far (7 contacts); saved about €620 since the fix", "02 Oct 10:00 · first report by ana: “the invoice PDF is blank”\n03 Oct 09:12 · routed to #billing by rule `invoices` (matched 'invoice')\n03 Nov 16:40 · fixed: Invoices render again (U0OWNER)"}, 42, journey)});
    std::vector<delivery> many(30, dead);
    for (auto& d : many) d.last_error = hostile_text(1'000);
    out.push_back({"status-hostile-30_deliveries",
                   render_status(item_status_view{hostile_item(item_status::wont_fix, hostile), many, 314, hostile_text(2000), hostile_text(2000), hostile_text(40000)}, 42, hostile)});

    out.push_back({"confirm-did_you_mean", render_confirm({"stats", "stat"}, "/friction")});
    out.push_back({"confirm-too_short", render_confirm({"", "frobnicate"}, "@cxos")});
    out.push_back({"confirm-hostile", render_confirm({"status 12", hostile_text(1'500)}, "/friction")});
    out.push_back({"invalid_command", render_invalid({"Tell cxos what happened: `/friction <what the customer ran into>`"})});
    out.push_back({"invalid_command-hostile", render_invalid({hostile_text(10'000)})});
    // Refusals the bot builds from error_note: the shortest and the longest it can be asked to show.
    out.push_back({"error_note", error_note("Not changed", "Only the billing team can change item 42.")});
    out.push_back({"error_note-hostile", error_note(hostile_text(400), hostile_text(200'000))});
}

} // namespace

std::vector<named_message> every_message() {
    std::vector<named_message> out;
    add_item_views(out);
    add_council(out);
    add_answers(out);
    add_grouping_messages(out);
    return out;
}

} // namespace cxos::cards
