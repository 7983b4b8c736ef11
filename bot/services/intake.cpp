#include "bot/services/intake.hpp"

#include "bot/services/council.hpp"
#include "bot/services/regression.hpp"
#include "bot/core/metrics.hpp"

#include "commands/council.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cxos::bot {
std::int64_t queue_delivery(storage::store& st, const delivery& d, queued_channels& queued) {
    queued.emplace_back(d.platform, d.channel);
    return st.insert_delivery(d);
}

void refresh_post(storage::store& st, std::int64_t post_id, millis now, queued_channels& queued) {
    if (post_id == 0 || st.has_pending_update(post_id)) return;
    if (auto post = st.find_delivery(post_id)) queue_delivery(st, item_update_for(*post, now), queued);
}

void post_to_owner(storage::store& st, item& it, const journey_config& journey, millis now, queued_channels& queued,
                   std::int64_t first_signal) {
    auto post = routed_post_for(it, journey, now);
    post.signal_id = first_signal; // so a dead letter names the report it failed to announce
    it.routed_delivery_id = queue_delivery(st, post, queued);
    auto mirror = mirror_post_for(it, journey, now);
    if (mirror) mirror->signal_id = first_signal;
    it.mirror_delivery_id = mirror ? queue_delivery(st, *mirror, queued) : 0;
}

void refresh_item_posts(storage::store& st, const item& it, millis now, queued_channels& queued) {
    refresh_post(st, it.routed_delivery_id, now, queued);
    refresh_post(st, it.mirror_delivery_id, now, queued);
}

namespace {

std::optional<item> open_item_for(storage::store& st, const signal& s) {
    if (!s.source.message_ts.empty()) {
        if (auto earlier = st.find_signal_by_message(s.source.platform, s.source.channel_id, s.source.message_ts))
            if (auto it = st.find_item_summary(earlier->item_id); it && !is_closed(it->status)) return it;
    }
    return st.find_open_item(item_key(s.description));
}

// Fixed: every reporter hears what changed (in their message's thread, else by DM) and each
// captured message gets a ✅. Which reporter was told through which row is recorded: the
// closed-loop rate counts a loop closed once all of those rows were delivered.
// The people who reported in chat. Signals from other tools (ingest) name the tool as reporter:
// it cannot be messaged, so it is left out rather than dead-lettered.
std::vector<reporter_ref> chat_reporters(storage::store& st, std::int64_t item_id) {
    auto all = st.reporters_of_item(item_id);
    std::erase_if(all, [](const reporter_ref& r) { return source_kind_of(r.platform) != source_kind::chat; });
    return all;
}

void close_the_loop(storage::store& st, const item& fixed, millis now, queued_channels& queued) {
    const auto reporters = chat_reporters(st, fixed.id);
    struct destination {
        millis first_report = 0;
        std::vector<std::string> people;
        std::int64_t delivery_id = 0;
    };
    std::map<std::pair<std::string, std::string>, destination> where;
    for (const auto& r : reporters) {
        auto& to = where.try_emplace(notice_destination(r), destination{r.reported_at, {}, 0}).first->second;
        to.first_report = std::min(to.first_report, r.reported_at);
        if (std::find(to.people.begin(), to.people.end(), r.user_id) == to.people.end()) to.people.push_back(r.user_id);
    }
    for (const auto& r : reporters) {
        auto& to = where[notice_destination(r)];
        if (to.delivery_id == 0) {
            auto d = notice_for(r, render_loop_notice(fixed, to.first_report, to.people), now);
            d.item_id = fixed.id;
            to.delivery_id = queue_delivery(st, d, queued);
        }
        st.insert_loop_notice(fixed.id, r, to.delivery_id, now);
    }
    std::set<std::pair<std::string, std::string>> marked;
    for (const auto& s : st.signals_of_item(fixed.id))
        if (!s.source.message_ts.empty() && marked.emplace(s.source.channel_id, s.source.message_ts).second)
            queue_delivery(st, mark_for(s.source, delivery_mark::fixed, fixed.id, now), queued);
}

} // namespace

namespace {

// Grouping's decision, stored: the figures of `stats grouping` and the pairs corrections label.
// Offers nobody can answer (reports from other tools) are not counted as offered.
void record_grouping(storage::store& st, const signal& s, const grouping_offer& offer, millis now) {
    if (offer.verdict == grouping_verdict::new_item) return;
    if (offer.verdict == grouping_verdict::suggest && !s.source.reporter_answers()) return;
    const auto kind = offer.verdict == grouping_verdict::auto_join ? grouping_event_kind::auto_join
                                                                   : grouping_event_kind::suggested;
    for (const auto& c : offer.items)
        st.insert_grouping_event({0, std::string(kind), s.id, c.item_id, c.score, std::nullopt, "", now});
}

} // namespace

intake_result record_signal(storage::store& st, const journey_config& journey, signal s, millis now,
                            grouping_index* grouping) {
    intake_result out;
    auto existing = open_item_for(st, s);
    // A report of a recently fixed item, by its key, is a regression before it is anything else.
    std::optional<item> regressed;
    if (!existing) regressed = fixed_item_reported_again(st, s, journey.items, now);
    if (!existing && !regressed && grouping) {
        out.grouping = grouping->decide(st, s, now);
        if (out.grouping.verdict == grouping_verdict::auto_join) {
            auto joined = st.find_item_summary(out.grouping.items.front().item_id);
            // A fixed item that reads the same is reported again as surely as in the same words.
            if (joined && is_regression_of(*joined, journey.items, now)) regressed = joined;
            else if (joined && !is_closed(joined->status)) existing = joined;
            else out.grouping = {}; // closed since the index saw it: the report starts its own item
        }
    }
    if (regressed) {
        auto reopened = reopen_regressed(st, *regressed, std::move(s), now);
        reopened.grouping = std::move(out.grouping);
        record_grouping(st, reopened.sig, reopened.grouping, now);
        if (grouping) grouping->refresh(st, reopened.it.id); // open again: no longer pruned with the fixed
        return reopened;
    }
    // The item is answered as held here, with the counts counting the report returned: reading
    // it back was the only other statement per report on a hot item's row.
    if (existing) {
        s.item_id = existing->id;
        const auto stored = st.insert_counted_signal(s);
        s.id = stored.id;
        existing->counts = stored.counts;
        refresh_item_posts(st, *existing, now, out.queued);
        // New words teach the item; a repeat of its title would only take a place.
        if (grouping && s.description != existing->title) grouping->joined(existing->id, s.description);
        out.it = std::move(*existing);
    } else {
        item it = new_item_for(s);
        it.id = st.insert_item(it);
        s.item_id = it.id;
        const auto stored = st.insert_counted_signal(s);
        s.id = stored.id;
        post_to_owner(st, it, journey, now, out.queued, s.id);
        st.update_item(it);
        out.new_item = true;
        if (grouping) grouping->added(it);
        it.counts = stored.counts;
        out.it = std::move(it);
    }
    record_grouping(st, s, out.grouping, now);
    metrics().count_signal(s.stage); // counted as written: a batch that fails to commit over-counts
    out.sig = std::move(s);
    return out;
}

neutral_message log_ack(const intake_result& logged, const journey_config& journey, const delivery_holds& holds,
                        const std::vector<std::string>& unknown_tags, std::string_view invoked_as) {
    auto ack = render_log_ack(logged.sig, logged.it, logged.new_item, journey, unknown_tags);
    // A report of a regressed item hears that the friction was known, fixed and is reopened.
    if (logged.reopened || logged.it.status == item_status::regressed) {
        ack.title = "Reopened: item " + std::to_string(logged.it.id);
        ack.fields.insert(ack.fields.begin(), {"Known and reopened", regression_ack_note(logged.it)});
    }
    add_grouping_choices(ack, logged.sig.id, logged.grouping, invoked_as);
    if (auto o = journey.owners.find(logged.it.owner); o != journey.owners.end())
        if (auto note = holds.ack_note(o->second); !note.empty())
            ack.context = ack.context.empty() ? note : ack.context + " " + note;
    return ack;
}

std::optional<intake_result> record_plus_one(storage::store& st, std::int64_t item_id, const source_ref& from,
                                             millis now) {
    auto it = st.find_item_summary(item_id);
    if (!it || is_closed(it->status)) return std::nullopt;
    signal s;
    s.source = from;
    s.description = it->title;
    s.stage = it->stage;
    s.comp = it->comp;
    s.sev = it->sev;
    s.route = {it->owner, it->rule, "reported again with +1"};
    s.created_at = now;
    s.item_id = it->id;
    intake_result out;
    const auto stored = st.insert_counted_signal(s);
    s.id = stored.id;
    it->counts = stored.counts;
    metrics().count_signal(s.stage);
    refresh_item_posts(st, *it, now, out.queued);
    out.sig = s;
    out.it = std::move(*it);
    return out;
}

triage_outcome record_triage(storage::store& st, const journey_config& journey, std::int64_t item_id,
                             const triage_action& action, millis now, queued_channels& queued,
                             grouping_index* grouping) {
    auto before = st.find_item(item_id);
    if (!before) {
        triage_outcome none;
        none.explanation = "There is no item " + std::to_string(item_id) + ".";
        return none;
    }
    std::optional<item> target;
    if (action.verb == triage_verb::duplicate) target = st.find_item(action.duplicate_of);
    auto out = apply_triage(*before, action, journey, target, now);
    if (!out.changed) return out;

    item& after = out.after;
    std::string detail = action.note;
    if (action.verb == triage_verb::reroute) detail = before->owner + " -> " + after.owner;
    if (action.verb == triage_verb::duplicate) detail = "duplicate of " + std::to_string(action.duplicate_of);
    st.insert_audit(item_id, action.actor, to_string(action.verb), detail, now);

    // Reporters first, while the signals still belong to this item.
    if (action.verb == triage_verb::fixed) close_the_loop(st, after, now, queued);
    else {
        const auto notice = render_reporter_notice(after, action.verb, action.actor);
        // One notice per destination: a person hears once however often they reported, a thread once.
        std::set<std::pair<std::string, std::string>> told;
        for (const auto& r : chat_reporters(st, item_id))
            if (told.insert(notice_destination(r)).second) queue_delivery(st, notice_for(r, notice, now), queued);
    }

    refresh_item_posts(st, *before, now, queued); // the old posts show the new state
    refresh_council_replies(st, item_id, now, queued);
    if (out.repost) post_to_owner(st, after, journey, now, queued);
    st.update_item(after);
    if (action.verb == triage_verb::duplicate && target) {
        // A join grouping missed: the pair (its first report, the item it duplicates) is labelled.
        auto first = st.signals_of_item(item_id);
        st.insert_grouping_event({0, std::string(grouping_event_kind::owner_merge), first.empty() ? 0 : first.front().id,
                                  target->id, 0, true, action.actor, now});
        st.move_signals(item_id, target->id);
        refresh_item_posts(st, *target, now, queued); // its count grows
        if (grouping) grouping->joined(target->id, before->title);
    }
    if (grouping) grouping->refresh(st, item_id); // closed, fixed or merged: what it may still take
    out.after = *st.find_item(item_id);
    return out;
}

std::optional<intake_result> record_signal_once(storage::store& st, const journey_config& journey, signal s,
                                                const std::string& event_key, millis now, grouping_index* grouping) {
    if (!event_key.empty() && !st.remember_event(event_key, now)) return std::nullopt;
    return record_signal(st, journey, std::move(s), now, grouping);
}

} // namespace cxos::bot
