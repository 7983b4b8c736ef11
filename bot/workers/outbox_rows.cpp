#include "bot/workers/outbox_rows.hpp"

#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "commands/council.hpp"
#include "commands/item_views.hpp"
#include "commands/message_json.hpp"

namespace cxos::bot {

namespace {

using due_row = outbox_row;

// Gives up on a row for good, saying why in the store and in one log line naming what it announced.
void dead_letter(storage::store& st, delivery d, std::string why, millis now) {
    d.state = delivery_state::dead;
    d.last_error = std::move(why);
    d.updated_at = now;
    st.update_delivery(d);
    metrics().count_outbox_dead_letter();
    log_error("delivery dead-lettered", {{"delivery", d.id}, {"signal", d.signal_id}, {"item", d.item_id},
                                         {"channel", d.channel}, {"error", d.last_error}});
}

// An agenda item as it stands now: its item, the votes so far, and the rank it was posted at.
neutral_message council_entry_now(storage::store& st, const delivery& entry_row, const item& it, millis now) {
    auto meta = nlohmann::json::parse(entry_row.payload, nullptr, false);
    agenda_entry e;
    e.c.it = it;
    e.c.votes = tally_of(st.votes_of_item(it.id));
    if (meta.is_object()) {
        e.rank = meta.value("rank", 0);
        e.c.last_week = meta.value("carried_from", 0);
        e.c.carried_over = e.c.last_week > 0;
        e.c.cost = meta.value("cost", ""); // as it stood when the agenda was posted
    }
    return render_council_entry(e, now);
}

// Renders what a row says now; nothing when it cannot be sent (and then it is marked dead).
std::optional<due_row> prepare(storage::store& st, const journey_config& journey, delivery d, millis now,
                               const platform_table& platforms) {
    due_row row{d, {}, {}, {}};
    auto give_up = [&](std::string why) -> std::optional<due_row> {
        dead_letter(st, d, std::move(why), now);
        return std::nullopt;
    };
    const auto p = platforms.find(d.platform);
    if (p == platforms.end()) return give_up("no " + d.platform + " connector");
    // A platform that is not configured cannot be posted to: saying so in the dead letter beats
    // retrying forever.
    if (!p->second.sender) return give_up(p->second.unavailable);
    auto ready = p->second.sender->prepare(st, d);
    if (!ready.dead_reason.empty()) return give_up(ready.dead_reason);
    if (ready.wait_ms > 0) {
        d.next_attempt_at = now + ready.wait_ms;
        d.last_error = ready.reason;
        d.updated_at = now;
        st.update_delivery(d);
        return std::nullopt;
    }
    row.context = std::move(ready.context);
    // Edits and thread replies need the message they act on, posted earlier in the same channel.
    std::optional<delivery> parent;
    if (d.parent_id != 0) {
        parent = st.find_delivery(d.parent_id);
        if (!parent || parent->state == delivery_state::dead || parent->platform_ref.empty())
            return give_up(d.kind == delivery_kind::item_update ? "the post it refreshes was never delivered"
                                                                : "the message it replies to was never delivered");
        if (d.kind == delivery_kind::item_update) row.parent_ref = parent->platform_ref;
        else row.d.thread_ts = parent->platform_ref;
    }
    const bool shows_item = d.kind == delivery_kind::routed_item || d.kind == delivery_kind::item_update ||
                            d.kind == delivery_kind::council_item;
    if (shows_item) {
        auto it = st.find_item(d.item_id);
        if (!it) return give_up("its item no longer exists");
        const delivery& shown = d.kind == delivery_kind::item_update ? *parent : d;
        if (shown.kind == delivery_kind::council_item) row.message = council_entry_now(st, shown, *it, now);
        else if (it->routed_delivery_id != shown.id && it->mirror_delivery_id != shown.id)
            row.message = render_moved_card(*it); // rerouted since
        else row.message = render_item_card(*it, journey);
        if (d.kind == delivery_kind::item_update) {
            // Taken now, in the same transaction that read the item: a change committed after
            // this sees no pending refresh and queues its own, so the post never stays stale.
            row.d.state = delivery_state::sending;
            row.d.updated_at = now;
            st.update_delivery(row.d);
        }
        return row;
    }
    if (d.kind == delivery_kind::reaction) return row; // the emoji name is the whole payload
    auto payload = nlohmann::json::parse(d.payload, nullptr, false);
    if (payload.is_discarded()) return give_up("unreadable message payload");
    row.message = payload.get<neutral_message>();
    return row;
}

} // namespace

// prepare, but a row that cannot be rendered (a bug, or data no renderer should have been given)
// is dead-lettered with the reason instead of failing the whole poll, so one bad row never stops
// every channel. The store's own failures still fail the poll: they are not the row's fault.
std::optional<due_row> prepare_isolated(storage::store& st, const journey_config& journey, delivery d, millis now,
                                        const platform_table& platforms) {
    const delivery original = d;
    try {
        return prepare(st, journey, std::move(d), now, platforms);
    } catch (const storage::store_error&) {
        throw;
    } catch (const std::exception& e) {
        dead_letter(st, original, std::string("cxos could not render it: ") + e.what(), now);
        return std::nullopt;
    }
}

} // namespace cxos::bot
