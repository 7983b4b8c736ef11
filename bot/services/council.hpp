#pragma once
// The Experience Council in the store: posting an agenda (parent + one reply per item, all
// through the outbox), votes, decisions. Each function runs inside one store transaction, like
// intake, and says which channels got outbox rows.
#include "bot/core/config.hpp"
#include "bot/services/intake.hpp"

namespace cxos::bot {

// One agenda posting: what the scheduler or `council run` asks for.
struct council_request {
    std::string trigger = "manual"; // "scheduled" | "manual"
    std::string actor;              // who ran it (manual)
    council_week week;
    bool late = false;              // the schedule missed its time (cxos was down)
};

struct council_posted {
    bool posted = false; // false: the schedule already posted that week
    std::int64_t run_id = 0;
    int items = 0;
    queued_channels queued;
};

// Agenda and summary as they stand now, for a posting or a preview.
struct council_agenda {
    council_summary summary;
    std::vector<agenda_entry> entries;
};
council_agenda read_agenda(storage::store& st, const council_config& council, const council_week& week, millis now);

council_posted post_council(storage::store& st, const council_config& council, const council_request& req,
                            millis now);

// A member's vote (button or reaction); refreshes every council reply showing the item.
queued_channels record_vote(storage::store& st, const vote& v, millis now);
// Takes back a reaction vote; nothing when the member's vote has another value by now.
queued_channels withdraw_vote(storage::store& st, const vote& v, millis now);

// The council's decision: owner, due date, "in progress"; a line in the owner's thread of the
// item; the owner's post and the council replies refreshed.
decision_outcome record_decision(storage::store& st, const journey_config& journey, const decision_request& d,
                                 const std::string& actor, millis now, queued_channels& queued);

// Queues a refresh of each council reply showing the item (one pending refresh is enough).
void refresh_council_replies(storage::store& st, std::int64_t item_id, millis now, queued_channels& queued);

} // namespace cxos::bot
