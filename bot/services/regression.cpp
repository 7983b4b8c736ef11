#include "bot/services/regression.hpp"

#include "bot/core/metrics.hpp"
#include "bot/services/council.hpp"
#include "commands/json_text.hpp"
#include "commands/kpis.hpp"
#include "commands/message_json.hpp"

namespace cxos::bot {

bool is_regression_of(const item& it, const item_policy& policy, millis now) {
    // Won't fix and duplicate items keep today's behaviour: a new report starts a new item.
    return it.status == item_status::fixed && it.fixed_at > 0 &&
           now - it.fixed_at <= static_cast<millis>(policy.regression_window_days) * kpi_day_ms;
}

std::optional<item> fixed_item_reported_again(storage::store& st, const signal& s, const item_policy& policy,
                                              millis now) {
    // The same exact match that attaches a report to an open item: the captured message, or the
    // normalised words.
    if (!s.source.message_ts.empty()) {
        if (auto earlier = st.find_signal_by_message(s.source.platform, s.source.channel_id, s.source.message_ts))
            if (auto it = st.find_item_summary(earlier->item_id); it && is_regression_of(*it, policy, now)) return it;
    }
    const millis since = now - static_cast<millis>(policy.regression_window_days) * kpi_day_ms;
    auto it = st.find_fixed_item(item_key(s.description), since);
    if (it && is_regression_of(*it, policy, now)) return it;
    return std::nullopt;
}

namespace {

// "3 new reports since the fix on 03 Nov 2026: reopened", in the thread of the owner's card.
void tell_owner(storage::store& st, const item& it, const neutral_message& what, millis now, queued_channels& queued) {
    if (it.routed_delivery_id == 0) return;
    auto post = st.find_delivery(it.routed_delivery_id);
    if (!post) return;
    delivery line;
    line.kind = delivery_kind::thread_reply;
    line.platform = post->platform;
    line.channel = post->channel;
    line.item_id = it.id;
    line.parent_id = it.routed_delivery_id;
    line.payload = json_text(nlohmann::json(what));
    line.next_attempt_at = now;
    line.updated_at = now;
    queue_delivery(st, line, queued);
}

} // namespace

intake_result reopen_regressed(storage::store& st, const item& fixed, signal s, millis now) {
    intake_result out;
    s.item_id = fixed.id;
    s.id = st.insert_signal(s);
    reopen_as_regressed(st, fixed.id, now, out.queued);
    out.sig = s;
    out.it = *st.find_item_summary(fixed.id);
    out.reopened = true;
    metrics().count_signal(s.stage);
    return out;
}

void reopen_as_regressed(storage::store& st, std::int64_t item_id, millis now, queued_channels& queued) {
    auto it = *st.find_item(item_id); // counts, since_fix included, with the new report
    // The owner stays: the team that fixed it is the first to ask why it came back.
    it.status = item_status::regressed;
    it.regressed_at = now;
    it.closed_at = 0;       // open again: time to fix counts from the next fix
    it.acknowledged_at = 0; // the owner acknowledges the regression anew
    it.last_actor.clear();  // cxos reopened it, not the person who fixed it
    it.updated_at = now;
    st.update_item(it);
    st.insert_audit(it.id, "", "regressed",
                    plural(it.counts.since_fix, "new report") + " since the fix on " + day(it.fixed_at) + ": reopened", now);
    tell_owner(st, it, render_regression_line(it), now, queued);
    refresh_item_posts(st, it, now, queued);
    refresh_council_replies(st, it.id, now, queued);
}

bool refix_if_unsupported(storage::store& st, std::int64_t item_id, std::string_view actor, millis now,
                          queued_channels& queued) {
    auto it = st.find_item(item_id);
    if (!it || it->status != item_status::regressed || !fix_regressed(*it) || it->counts.since_fix > 0) return false;
    it->status = item_status::fixed;
    it->closed_at = it->fixed_at;
    it->regressed_at = 0; // the fix is watched again as if never reopened
    it->updated_at = now;
    st.update_item(*it);
    st.insert_audit(it->id, actor, "unregressed", "the report that reopened it was split out: fixed again", now);
    neutral_message line;
    line.title = "Fixed again: item " + std::to_string(it->id);
    line.text = "The report that reopened it was a different friction (its reporter split it out), so the fix on " +
                day(it->fixed_at) + " stands.";
    tell_owner(st, *it, line, now, queued);
    refresh_item_posts(st, *it, now, queued);
    refresh_council_replies(st, it->id, now, queued);
    return true;
}

} // namespace cxos::bot
