#include "bot/services/council.hpp"
#include "commands/json_text.hpp"
#include "bot/core/metrics.hpp"
#include "commands/outcomes.hpp"

#include "commands/message_json.hpp"

namespace cxos::bot {

namespace {

constexpr millis week_ms = 7LL * 24 * 3600 * 1000;

delivery council_row(std::string_view kind, std::string_view platform, const std::string& channel, millis now,
                     const std::string& workspace = {}) {
    delivery d;
    d.kind = kind;
    d.platform = platform;
    d.channel = channel;
    d.workspace = workspace;
    d.next_attempt_at = now;
    d.updated_at = now;
    return d;
}

} // namespace

council_agenda read_agenda(storage::store& st, const council_config& council, const council_week& week, millis now) {
    council_agenda out;
    out.entries = build_agenda(st.council_candidates(), now, council.max_items);
    auto& s = out.summary;
    s.week = week.number;
    s.new_signals = st.signals_since(now - week_ms);
    s.open_items = st.open_item_count();
    // Routing accuracy, closed loops and cost: the same definitions as /friction stats and the
    // dashboard (commands/kpis), over the whole history.
    const auto signals = st.kpi_signals();
    const auto& eco = council.economics;
    const auto items = st.kpi_items();
    auto report = compute_kpis(items, signals, {}, {}, eco, now);
    s.routing = std::move(report.routing);
    s.loops = std::move(report.loops);
    const auto fixes = summarize_fixes(items, signals, council.items, eco, now);
    if (fixes.fixed > 0) {
        s.fixes = describe_fixes(fixes);
        s.savings = describe_savings(fixes.contacts_month, fixes.savings_month, fixes.contacts_ytd, fixes.savings_ytd, eco);
    }
    if (eco.enabled()) {
        const auto costs = item_costs(signals, eco, now);
        double month = 0;
        for (auto& e : out.entries) {
            auto at = costs.find(e.c.it.id);
            const item_cost cost = at == costs.end() ? item_cost{} : at->second;
            month += cost.month;
            e.c.cost = "about " + format_money(cost.month, eco.currency) + " in the last 30 days, " +
                       format_money(cost.so_far, eco.currency) + " so far";
        }
        s.agenda_cost = "the items on this agenda cost about " + format_money(month, eco.currency) +
                        " in the last 30 days";
    }
    return out;
}

council_posted post_council(storage::store& st, const council_config& council, const council_request& req,
                            millis now) {
    council_posted out;
    storage::council_run run{0, req.week.key, req.week.number, req.trigger, req.actor, req.week.scheduled_at, now, 0};
    out.run_id = st.insert_council_run(run);
    if (out.run_id == 0) return out; // this week is already posted
    auto agenda = read_agenda(st, council, req.week, now);
    agenda.summary.late = req.late;
    if (req.late)
        agenda.summary.scheduled_for = format_local(council.schedule, req.week.scheduled_at, "%a %d %b %H:%M %Z");

    // The agenda goes to the Slack council channel and, when configured, to a Teams channel too;
    // each copy is one parent plus one reply per item, queued in rank order behind its parent.
    const auto parent_message = json_text(nlohmann::json(render_council_parent(agenda.summary, agenda.entries)));
    auto post_copy = [&](std::string_view platform, const std::string& channel, bool is_mirror) {
        const std::string workspace = platform == "slack" ? council.slack_workspace : "";
        auto parent = council_row(delivery_kind::notice, platform, channel, now, workspace);
        parent.payload = parent_message;
        const std::int64_t parent_id = queue_delivery(st, parent, out.queued);
        if (!is_mirror) st.set_council_parent(out.run_id, parent_id);
        for (const auto& e : agenda.entries) {
            auto reply = council_row(delivery_kind::council_item, platform, channel, now, workspace);
            reply.item_id = e.c.it.id;
            reply.parent_id = parent_id;
            reply.payload = json_text(nlohmann::json{{"rank", e.rank}, {"score", e.score},
                                           {"carried_from", e.c.carried_over ? e.c.last_week : 0}, {"cost", e.c.cost}});
            const std::int64_t id = queue_delivery(st, reply, out.queued);
            if (is_mirror) st.set_council_teams_reply(out.run_id, e.c.it.id, id);
            else st.insert_council_entry({out.run_id, e.c.it.id, e.rank, id, req.week.number});
        }
    };
    if (!council.slack_channel.empty()) post_copy("slack", council.slack_channel, false);
    if (!council.teams_channel.empty()) post_copy("teams", council.teams_channel, !council.slack_channel.empty());
    out.posted = true;
    out.items = static_cast<int>(agenda.entries.size());
    metrics().count_council_run(req.trigger == "scheduled");
    return out;
}

void refresh_council_replies(storage::store& st, std::int64_t item_id, millis now, queued_channels& queued) {
    for (auto id : st.council_deliveries_of_item(item_id)) refresh_post(st, id, now, queued);
}

queued_channels record_vote(storage::store& st, const vote& v, millis now) {
    queued_channels queued;
    st.set_vote(v);
    refresh_council_replies(st, v.item_id, now, queued);
    return queued;
}

queued_channels withdraw_vote(storage::store& st, const vote& v, millis now) {
    queued_channels queued;
    if (st.remove_vote(v.item_id, v.platform, v.member, v.value)) refresh_council_replies(st, v.item_id, now, queued);
    return queued;
}

decision_outcome record_decision(storage::store& st, const journey_config& journey, const decision_request& d,
                                 const std::string& actor, millis now, queued_channels& queued) {
    auto before = st.find_item(d.item_id);
    if (!before) {
        decision_outcome none;
        none.explanation = "There is no item " + std::to_string(d.item_id) + ".";
        return none;
    }
    auto out = apply_decision(*before, d, actor, journey, now);
    if (!out.changed) return out;
    item& after = out.after;
    st.insert_audit(after.id, actor, "decide",
                    d.text + " (owner " + d.owner + ", due " + format_utc(d.due_at, "%Y-%m-%d") + ")", now);
    refresh_item_posts(st, *before, now, queued);
    // A new owner gets the item's post in their channel; the decision is the first line under it.
    if (out.owner_changed) post_to_owner(st, after, journey, now, queued);
    st.update_item(after);
    if (after.routed_delivery_id != 0) {
        auto post = st.find_delivery(after.routed_delivery_id);
        auto line = council_row(delivery_kind::thread_reply, post ? post->platform : "slack", post ? post->channel : "", now,
                                post ? post->workspace : "");
        line.item_id = after.id;
        line.parent_id = after.routed_delivery_id;
        line.payload = json_text(nlohmann::json(render_decision_line(after)));
        if (post) queue_delivery(st, line, queued);
    }
    refresh_council_replies(st, after.id, now, queued);
    out.after = *st.find_item(after.id);
    return out;
}

} // namespace cxos::bot
