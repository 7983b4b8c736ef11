#include "bot/services/regroup.hpp"

#include "bot/services/regression.hpp"

namespace cxos::bot {

namespace {

std::string sig_ref(std::int64_t id) { return "signal " + std::to_string(id); }

void label(storage::store& st, std::string_view kind, const signal& s, std::int64_t item_id, bool same,
           const actor& who, millis now) {
    st.insert_grouping_event({0, std::string(kind), s.id, item_id, 0, same, who.user_id, now});
}

neutral_message split_out(storage::store& st, const journey_config& journey, grouping_index* grouping, const signal& s,
                          const item& was_on, const actor& who, millis now, queued_channels& queued) {
    const auto reports = st.signals_of_item(was_on.id);
    if (reports.size() <= 1)
        return error_note("Already its own item", "“" + s.description + "” is the only report of item " +
                                                      std::to_string(was_on.id) + ".");
    // The first report is the item's title and its owner's post: it cannot leave its own item.
    if (reports.front().id == s.id)
        return error_note("Not changed", "“" + s.description + "” started item " + std::to_string(was_on.id) +
                                             "; the reports that joined it later can be split out of it.");
    item it = new_item_for(s);
    it.created_at = it.updated_at = now;
    it.id = st.insert_item(it);
    st.move_signal(s.id, it.id);
    post_to_owner(st, it, journey, now, queued, s.id); // routed now, as any new item
    st.update_item(it);
    st.insert_audit(was_on.id, who.user_id, "split", sig_ref(s.id) + " -> item " + std::to_string(it.id), now);
    // Its count drops; reopened by this report alone, it is fixed again.
    if (!refix_if_unsupported(st, was_on.id, who.user_id, now, queued)) refresh_item_posts(st, was_on, now, queued);
    label(st, grouping_event_kind::split, s, was_on.id, false, who, now);
    if (grouping) {
        grouping->added(it);
        grouping->refresh(st, was_on.id); // its words no longer include the report's
    }
    return render_split_answer(s, *st.find_item_summary(it.id), *st.find_item_summary(was_on.id), journey);
}

neutral_message move_onto(storage::store& st, const journey_config& journey, grouping_index* grouping, const signal& s,
                          const item& was_on, std::int64_t target_id, const actor& who, millis now,
                          queued_channels& queued) {
    if (target_id == was_on.id)
        return error_note("Already there", "“" + s.description + "” already counts on item " + std::to_string(target_id) + ".");
    auto target = st.find_item(target_id);
    if (!target) return error_note("Not changed", "There is no item " + std::to_string(target_id) + ".");
    if (target->status == item_status::duplicate) target_id = target->duplicate_of, target = st.find_item(target_id);
    // A fixed item chosen reopens as regressed, as it would had the report used its words.
    const bool reopens = target && is_regression_of(*target, journey.items, now);
    if (target && target->status == item_status::fixed && !reopens) {
        // Past the regression window: the report stays where its owner sees it; the pair is still
        // the same friction.
        label(st, grouping_event_kind::chosen, s, target->id, true, who, now);
        st.insert_audit(was_on.id, who.user_id, "same_as_fixed", "item " + std::to_string(target->id), now);
        return render_regression_answer(s, was_on, *target);
    }
    if (!target || (is_closed(target->status) && !reopens))
        return error_note("Not changed", "Item " + std::to_string(target_id) + " is closed; “" + s.description +
                                             "” stays item " + std::to_string(was_on.id) + ".");
    st.move_signal(s.id, target->id);
    // The owner sees the count rise on the post they have (and, reopened, hears why).
    if (reopens) reopen_as_regressed(st, target->id, now, queued);
    else refresh_item_posts(st, *target, now, queued);
    if (st.signals_of_item(was_on.id).empty() && !is_closed(was_on.status)) {
        // The item the report started has nothing left: merged, its post refreshed to say so.
        triage_action merge{triage_verb::duplicate, who.user_id, "", target->id, "", "", ""};
        auto merged = apply_triage(was_on, merge, journey, st.find_item(target->id), now);
        if (merged.changed) {
            st.update_item(merged.after);
            st.insert_audit(was_on.id, who.user_id, "duplicate",
                            "moved by its reporter to item " + std::to_string(target->id), now);
        }
    }
    refresh_item_posts(st, was_on, now, queued);
    label(st, grouping_event_kind::chosen, s, target->id, true, who, now);
    if (grouping) {
        if (reopens) grouping->refresh(st, target->id); // open again, with the report's words
        else grouping->joined(target->id, s.description);
        grouping->refresh(st, was_on.id);
    }
    const auto now_on = *st.find_item_summary(target->id);
    return reopens ? render_reopened_answer(s, now_on, journey) : render_moved_answer(s, now_on, journey);
}

neutral_message keep(storage::store& st, const journey_config& journey, const signal& s, const item& on,
                     const actor& who, millis now) {
    // Each item it was offered is a different friction; a second click labels nothing twice.
    const auto events = st.grouping_events_of_signal(s.id);
    auto labelled = [&](std::int64_t item_id) {
        return std::any_of(events.begin(), events.end(), [&](const grouping_event& e) {
            return e.item_id == item_id && e.same.has_value();
        });
    };
    for (const auto& e : events)
        if (e.kind == grouping_event_kind::suggested && !labelled(e.item_id))
            label(st, grouping_event_kind::kept, s, e.item_id, false, who, now);
    return render_kept_answer(s, on, journey);
}

} // namespace

regroup_outcome apply_regroup(storage::store& st, const journey_config& journey, grouping_index* grouping,
                              const regroup_choice& choice, const actor& who, millis now) {
    regroup_outcome out;
    auto s = st.find_signal(choice.signal_id);
    if (!s || s->source.platform != who.platform || s->source.user_id != who.user_id) {
        out.answer = error_note("Not changed", "Only the person who reported " + sig_ref(choice.signal_id) +
                                                   " can say which item it belongs to; owners use their triage buttons.");
        return out;
    }
    out.channel = s->source.channel_id;
    auto on = st.find_item_summary(s->item_id);
    if (!on || is_closed(on->status)) {
        out.answer = error_note("Not changed", "Item " + std::to_string(s->item_id) + " is closed. If it happens again, "
                                               "log it again.");
        return out;
    }
    switch (choice.what) {
    case regroup_choice::kind::split:
        out.answer = split_out(st, journey, grouping, *s, *on, who, now, out.queued);
        break;
    case regroup_choice::kind::same:
        out.answer = move_onto(st, journey, grouping, *s, *on, choice.item_id, who, now, out.queued);
        break;
    case regroup_choice::kind::keep:
        out.answer = keep(st, journey, *s, *on, who, now);
        break;
    }
    return out;
}

} // namespace cxos::bot
