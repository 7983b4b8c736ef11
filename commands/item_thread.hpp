#pragma once
// The thread of one item: everything that happened to it, in order, from the rows the store
// keeps anyway (signals, the triage audit, council votes, closed-loop notices) and the check of
// its last fix. `/friction status <item>` and the dashboard's item page show it. Pure.
#include "commands/council.hpp"
#include "commands/fix_check.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cxos {

// One triage or council action, as the audit table keeps it.
struct audit_entry {
    std::string actor; // user id ("" when cxos itself acted, e.g. a regression)
    std::string action; // acknowledge, reroute, duplicate, wont_fix, fixed, decide, regressed
    std::string detail;
    millis at = 0;
};

// A reporter to be told about a fix, and whether their notice was delivered.
struct loop_notice_row {
    std::string platform;
    std::string user_id;
    millis queued_at = 0;
    bool told = false;
    millis told_at = 0;
};

// What the store knows about one item.
struct item_history {
    item it;
    std::vector<signal> signals; // oldest first
    std::vector<audit_entry> audit;
    std::vector<vote> votes;
    std::vector<loop_notice_row> notices;
};

struct thread_event {
    millis at = 0;
    std::string kind; // first_report, report, reports, routed, acknowledge, reroute, vote, decide,
                      // fixed, told, wont_fix, duplicate, regressed, held, not_held
    std::string actor; // user id, when a person did it
    std::string text;  // what happened, in words
    int count = 1;     // `reports`: how many reports the line stands for
    millis until = 0;  // `reports`: the last of them
};

// Oldest first. Runs of more than `max_run` consecutive reports become one `reports` event
// (0 keeps every report), so a busy item's thread stays readable.
std::vector<thread_event> item_thread(const item_history& h, const std::optional<fix_check>& fix, int max_run);

// `/friction status <item>`'s timeline: one line per event, at most `max_lines` (the oldest
// lines beyond that are summed up in one line), each "12 Nov 10:00 · what happened".
std::string render_thread(const std::vector<thread_event>& events, std::size_t max_lines);

// The light form of a signal the KPIs need.
kpi_signal kpi_signal_of(const signal& s);

} // namespace cxos
