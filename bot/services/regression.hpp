#pragma once
// Regressions: a new report of friction that was fixed recently means the fix did not last. It
// reopens that item instead of starting a new one, so the owner, the reporters and the council
// see a fix that failed rather than "new" friction. Runs inside the caller's store transaction.
//
// record_signal asks fixed_item_reported_again only when no open item took the signal; when it
// finds none, grouping may join the report to a fixed item that reads the same (auto_join). Either
// way record_signal calls reopen_regressed, and a reporter who picks a fixed item among grouping's
// suggestions reopens it through reopen_as_regressed; which items qualify is is_regression_of.
#include "bot/services/intake.hpp"

namespace cxos::bot {

// True when a new report at `now` of `it` reopens it: it is fixed (not won't fix, not a
// duplicate) and was fixed within the policy's regression window.
bool is_regression_of(const item& it, const item_policy& policy, millis now);

// The item fixed within the window that `s` reports again: the same captured message, or the
// same normalised words. Nothing when there is none.
std::optional<item> fixed_item_reported_again(storage::store& st, const signal& s, const item_policy& policy,
                                              millis now);

// Stores `s` on the fixed item `fixed` and reopens it as regressed: its cards show it, the owner
// hears "N new reports since the fix on 3 Nov: reopened" in the item's thread, the council
// replies showing it are refreshed, and the audit keeps it for the item's thread. The result's
// `reopened` makes the reporter's acknowledgement say the friction was known and is reopened.
intake_result reopen_regressed(storage::store& st, const item& fixed, signal s, millis now);
// The same for an item that already holds the new report (moved there by its reporter).
void reopen_as_regressed(storage::store& st, std::int64_t item_id, millis now, queued_channels& queued);

// After a report was split out of a regressed item: when no report since the fix is left (the one
// that reopened it was a different friction), the item is fixed again as it was and its owner is
// told in the card's thread. False when reports since the fix remain, or it is not regressed.
bool refix_if_unsupported(storage::store& st, std::int64_t item_id, std::string_view actor, millis now,
                          queued_channels& queued);

} // namespace cxos::bot
