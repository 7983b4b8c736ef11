#include "commands/council_schedule.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

namespace cxos {

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 7> day_names{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

std::string_view trim(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Plain digits only (from_chars would accept a leading '-'), at most two of them.
std::optional<int> small_number(std::string_view s, std::size_t min_len) {
    if (s.size() < min_len || s.size() > 2) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<int> parse_day(std::string_view word) {
    if (word.size() != 3) return std::nullopt;
    for (std::size_t i = 0; i < day_names.size(); ++i) {
        auto name = day_names[i];
        if (upper(word[0]) == name[0] && upper(word[1]) == name[1] && upper(word[2]) == name[2])
            return static_cast<int>(i) + 1;
    }
    return std::nullopt;
}

// The caller's config is validated at load, so a bad zone or field here is a bug, not user input.
const date::time_zone* zone_of(const council_schedule& s) {
    if (s.weekday < 1 || s.weekday > 7 || s.hour < 0 || s.hour > 23 || s.minute < 0 || s.minute > 59)
        throw std::invalid_argument("council schedule has an out-of-range day or time");
    try {
        return date::locate_zone(s.timezone);
    } catch (const std::exception&) {
        throw std::invalid_argument("unknown time zone \"" + s.timezone + "\"");
    }
}

// Weeks are identified by their local Monday, so stepping a week is plain day arithmetic and
// never lands on a DST-shortened or -lengthened 24 h boundary.
date::local_days monday_containing(const date::time_zone* tz, millis at) {
    auto local = tz->to_local(date::sys_time<milliseconds>{milliseconds{at}});
    iso_week::year_weeknum_weekday ywd{date::floor<date::days>(local)};
    return date::local_days{iso_week::year_weeknum_weekday{ywd.year(), ywd.weeknum(), iso_week::mon}};
}

millis scheduled_in(const date::time_zone* tz, const council_schedule& s, date::local_days monday) {
    auto local = monday + date::days{s.weekday - 1} + std::chrono::hours{s.hour} +
                 std::chrono::minutes{s.minute};
    // earliest: an ambiguous time runs on its first occurrence. For a time inside a spring-forward
    // gap date returns the transition instant under either choice, i.e. when the clock jumps.
    auto utc = tz->to_sys(local, date::choose::earliest);
    return std::chrono::duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

council_week week_starting(const date::time_zone* tz, const council_schedule& s,
                           date::local_days monday) {
    iso_week::year_weeknum_weekday ywd{monday};
    council_week w;
    w.number = static_cast<int>(static_cast<unsigned>(ywd.weeknum()));
    char key[24];
    std::snprintf(key, sizeof key, "%d-W%02d", static_cast<int>(ywd.year()), w.number);
    w.key = key;
    w.scheduled_at = scheduled_in(tz, s, monday);
    return w;
}

} // namespace

std::optional<council_schedule> parse_council_schedule(std::string_view text, std::string& error) {
    auto fail = [&]() -> std::optional<council_schedule> {
        error = "schedule must look like \"MON 09:00\" (day MON..SUN, 24-hour time), not \"" +
                std::string(text) + "\"";
        return std::nullopt;
    };
    auto t = trim(text);
    auto space = t.find_first_of(" \t");
    if (space == std::string_view::npos) return fail();
    auto day = parse_day(t.substr(0, space));
    auto time = trim(t.substr(space));
    auto colon = time.find(':');
    if (!day || colon == std::string_view::npos) return fail();
    auto hour = small_number(time.substr(0, colon), 1);
    auto minute = small_number(time.substr(colon + 1), 2);
    if (!hour || !minute || *hour > 23 || *minute > 59) return fail();
    council_schedule s;
    s.weekday = *day;
    s.hour = *hour;
    s.minute = *minute;
    return s;
}

bool is_known_timezone(const std::string& name) {
    try {
        date::locate_zone(name);
        return true;
    } catch (const std::exception&) {
        return false; // not found, or no tz database on this machine at all
    }
}

council_week week_of(const council_schedule& s, millis at) {
    auto tz = zone_of(s);
    return week_starting(tz, s, monday_containing(tz, at));
}

council_week last_due_week(const council_schedule& s, millis now) {
    auto tz = zone_of(s);
    auto monday = monday_containing(tz, now);
    // A loop rather than "at most one step back" so zones that skipped whole days stay correct.
    while (scheduled_in(tz, s, monday) > now) monday -= date::weeks{1};
    return week_starting(tz, s, monday);
}

millis next_run_after(const council_schedule& s, millis now) {
    auto tz = zone_of(s);
    auto monday = monday_containing(tz, now);
    auto at = scheduled_in(tz, s, monday);
    while (at <= now) {
        monday += date::weeks{1};
        at = scheduled_in(tz, s, monday);
    }
    return at;
}

std::string format_local(const council_schedule& s, millis at, const char* fmt) {
    auto tz = zone_of(s);
    // Whole seconds, so "%S" prints "05" rather than "05.000".
    auto utc = date::floor<std::chrono::seconds>(date::sys_time<milliseconds>{milliseconds{at}});
    return date::format(fmt, date::make_zoned(tz, utc));
}

} // namespace cxos
