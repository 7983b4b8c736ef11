#pragma once
// When the weekly Experience Council digest is due, in the council's own time zone. Pure: every
// function takes "now" from the caller, so the scheduler and the tests share one clock.
#include "commands/domain.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cxos {

struct council_schedule {
    int weekday = 1;   // ISO weekday: 1 = Monday … 7 = Sunday
    int hour = 9;
    int minute = 0;
    std::string timezone = "UTC"; // IANA name, e.g. "Europe/Berlin"
    bool operator==(const council_schedule&) const = default;
};

// "MON 09:00" (three-letter English day, case-insensitive; 24 h HH:MM) -> weekday/hour/minute set,
// timezone left "UTC". On bad text returns nullopt and sets `error` to a message a CX lead
// understands.
std::optional<council_schedule> parse_council_schedule(std::string_view text, std::string& error);

// True when the IANA time zone exists in the system tz database.
bool is_known_timezone(const std::string& name);

// One council week: the ISO week (in the schedule's time zone) and that week's scheduled instant.
struct council_week {
    std::string key;         // "2026-W48" (ISO year and week, week zero-padded to 2 digits)
    int number = 0;          // 48
    millis scheduled_at = 0; // UTC instant of the scheduled local day+time in that week
};

// A local time skipped by a DST jump is run when the clock jumps (the first instant after the
// gap); a local time that happens twice is run the first time. The functions below throw
// std::invalid_argument for a time zone is_known_timezone rejects: config validates it first.

// The ISO week containing the local date of `at` in the schedule's time zone, with its scheduled
// instant (which may be before or after `at`).
council_week week_of(const council_schedule& s, millis at);
// The latest week whose scheduled instant is <= now (this week's if it has passed, else last week's).
council_week last_due_week(const council_schedule& s, millis now);
// The first scheduled instant strictly after `now`.
millis next_run_after(const council_schedule& s, millis now);
// Formats `at` in the schedule's zone through a date::format string, e.g. "%a %d %b %H:%M %Z".
std::string format_local(const council_schedule& s, millis at, const char* fmt);

} // namespace cxos
