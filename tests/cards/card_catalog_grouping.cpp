// Grouping's messages in the catalog: the acknowledgement with Not the same or with three
// candidates and New item, the answers to each choice, stats grouping, and rule suggestions.
#include "tests/cards/card_catalog.hpp"

#include "commands/grouping_feedback.hpp"
#include "commands/handlers.hpp"
#include "commands/kpis.hpp"
#include "commands/routing_suggestions.hpp"
#include "tests/cards/catalog_fixtures.hpp"

namespace cxos::cards {

void add_grouping_messages(std::vector<named_message>& out) {
    const auto journey = ordinary_journey(), hostile = hostile_journey();
    signal s;
    s.id = 57;
    s.description = "customers say the invoice PDF is blank when downloaded";
    s.route = {"billing", "invoices", "matched 'invoice'"};
    s.created_at = catalog_now;
    const auto it = ordinary_item(item_status::routed);

    auto joined = render_log_ack(s, it, false, journey);
    add_grouping_choices(joined, s.id, {grouping_verdict::auto_join, {{it.id, it.title, 7, 0.7, 0}}}, "/friction");
    out.push_back({"log_ack-grouping_joined", joined});
    auto offered = render_log_ack(s, it, true, journey);
    add_grouping_choices(offered, s.id,
                         {grouping_verdict::suggest,
                          {{12, "invoice PDF is blank", 7, 0.4, 0}, {9, "the PDF export is empty", 2, 0.3, 0},
                           {4, "invoice download fails", 1, 0.2, catalog_now - 3 * kpi_day_ms}},
                          catalog_now},
                         "@cxos");
    out.push_back({"log_ack-grouping_suggestions", offered});

    signal hostile_signal = s;
    hostile_signal.id = 9'000'000'000'000;
    hostile_signal.description = hostile_text(3'000);
    const auto big = hostile_item(item_status::routed, hostile);
    std::vector<grouping_candidate> candidates;
    for (int i = 0; i < 3; ++i) candidates.push_back({8'999'999'999'990 + i, hostile_text(3'000), 2'000'000'000, 0.3, i == 2 ? catalog_now - 59 * kpi_day_ms : 0});
    auto hostile_offer = render_log_ack(hostile_signal, big, true, hostile);
    add_grouping_choices(hostile_offer, hostile_signal.id, {grouping_verdict::suggest, candidates}, "/friction");
    out.push_back({"log_ack-grouping_suggestions-hostile", hostile_offer});

    out.push_back({"grouping_split", render_split_answer(s, ordinary_item(item_status::fresh), it, journey)});
    out.push_back({"grouping_moved", render_moved_answer(s, it, journey)});
    out.push_back({"grouping_kept", render_kept_answer(s, it, journey)});
    out.push_back({"grouping_regression", render_regression_answer(s, it, ordinary_item(item_status::fixed))});
    out.push_back({"grouping_split-hostile", render_split_answer(hostile_signal, big, big, hostile)});

    out.push_back({"grouping_stats-empty", render_grouping_stats({}, grouping_thresholds{})});
    std::vector<grouping_week> weeks;
    for (int w = 0; w < 8; ++w) weeks.push_back({"2026-W" + std::to_string(40 + w), 30 + w, w, 12, 5, 3});
    out.push_back({"grouping_stats", render_grouping_stats(weeks, grouping_thresholds{})});

    rule_suggestion rule;
    rule.from = "triage";
    rule.to = "identity";
    rule.keyword = "sso";
    rule.reroutes = 4;
    rule.rules = {"", "logins"};
    out.push_back({"rule_suggestion", render_rule_suggestion(rule)});
    rule_suggestion hostile_rule{hostile_text(300), hostile_text(300), hostile_text(200), 1'000, {hostile_text(300)}};
    out.push_back({"rule_suggestion-hostile", render_rule_suggestion(hostile_rule)});
    auto with_suggestions = render_routing_stats({{"invoices", 12, 1}, {"", 4, 2}});
    add_rule_suggestions(with_suggestions, {rule, rule});
    out.push_back({"routing_stats-suggestions", with_suggestions});
}

} // namespace cxos::cards
