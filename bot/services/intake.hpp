#pragma once
// Storing what users report and do: a new signal joins an open item or starts one; a triage
// action changes an item. Both run inside a store transaction and queue what must be said.
#include "bot/core/delivery_holds.hpp"
#include "bot/services/grouping_index.hpp"
#include "bot/services/service_deps.hpp"
#include "commands/items.hpp"
#include "storage/store.hpp"

namespace cxos::bot {


struct intake_result {
    signal sig;
    item it; // with counts after this signal
    bool new_item = false;
    bool reopened = false; // the signal reopened a recently fixed item as regressed
    grouping_offer grouping; // what grouping decided, for the acknowledgement's choices
    queued_channels queued;
};

// Attaches to the open item of the same captured message or the same normalised description;
// else reopens such an item fixed within the regression window (bot/services/regression); else,
// with `grouping`, joins the item the report reads like (auto_join) or starts an item and offers
// the items it may be the same as (suggest); else starts an item. A new item's post is queued in
// its owner's channel; a joined item's post is refreshed (its count rises).
intake_result record_signal(storage::store& st, const journey_config& journey, signal s, millis now,
                            grouping_index* grouping = nullptr);

// record_signal unless `event_key` was remembered before (a platform redelivering the same
// activity); the key is remembered in the same transaction. Nothing when it is a repeat.
std::optional<intake_result> record_signal_once(storage::store& st, const journey_config& journey, signal s,
                                                const std::string& event_key, millis now,
                                                grouping_index* grouping = nullptr);

// The reporter's acknowledgement of a logged signal; it says so when the owner's posts are on hold,
// and offers grouping's choices (`invoked_as` names the command for the typed alternative).
neutral_message log_ack(const intake_result& logged, const journey_config& journey, const delivery_holds& holds,
                        const std::vector<std::string>& unknown_tags = {}, std::string_view invoked_as = "/friction");

// `/friction +1 <item>`: a report of an existing open item. Nothing when closed or unknown.
std::optional<intake_result> record_plus_one(storage::store& st, std::int64_t item_id, const source_ref& from,
                                             millis now);

// Applies a triage action, writes the audit entry, refreshes the owner's post(s), reposts on
// reroute, merges on duplicate (a missed join, for grouping's figures) and queues a notice to
// every reporter.
triage_outcome record_triage(storage::store& st, const journey_config& journey, std::int64_t item_id,
                             const triage_action& action, millis now, queued_channels& queued,
                             grouping_index* grouping = nullptr);

// Queues a refresh of the message outbox row `post_id` posted (an owner's item post or a council
// reply); a refresh already waiting will show the latest state, so one is enough.
void refresh_post(storage::store& st, std::int64_t post_id, millis now, queued_channels& queued);

// Queues the item's card(s) in its owner's channel(s) and records them on `it` (not saved).
void post_to_owner(storage::store& st, item& it, const journey_config& journey, millis now, queued_channels& queued,
                   std::int64_t first_signal = 0);
// Refreshes every card of the item: the owner's post and its Teams mirror.
void refresh_item_posts(storage::store& st, const item& it, millis now, queued_channels& queued);

// Queues one outbox row and remembers its channel.
std::int64_t queue_delivery(storage::store& st, const delivery& d, queued_channels& queued);

} // namespace cxos::bot
