#include "commands/council_schedule.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cxos;

namespace {

// Expected instants are built from civil UTC fields with plain arithmetic (days before each month,
// leap years), so a mistake in the tz library use cannot also hide in the expectation.
millis utc(int y, int mon, int d, int h, int min) {
    static const int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    auto leap = [](int yr) { return (yr % 4 == 0 && yr % 100 != 0) || yr % 400 == 0; };
    std::int64_t days = 0;
    for (int yr = 1970; yr < y; ++yr) days += leap(yr) ? 366 : 365;
    days += before_month[mon - 1] + (mon > 2 && leap(y) ? 1 : 0) + (d - 1);
    return ((days * 24 + h) * 60 + min) * 60 * 1000;
}

constexpr millis minute_ms = 60 * 1000;

council_schedule make(std::string_view text, std::string zone) {
    std::string error;
    auto s = parse_council_schedule(text, error);
    REQUIRE(s);
    s->timezone = std::move(zone);
    return *s;
}

} // namespace

TEST_CASE("the expectation helper agrees with a known epoch", "[council]") {
    CHECK(utc(1970, 1, 1, 0, 0) == 0);
    CHECK(utc(2026, 1, 1, 0, 0) == 1767225600000);  // date -ud 2026-01-01 +%s
    CHECK(utc(2026, 10, 19, 7, 0) == 1792393200000); // date -ud '2026-10-19 07:00' +%s
}

TEST_CASE("schedules parse as three-letter day and 24-hour time", "[council]") {
    std::string error;
    auto s = parse_council_schedule("MON 09:00", error);
    REQUIRE(s);
    CHECK(s->weekday == 1);
    CHECK(s->hour == 9);
    CHECK(s->minute == 0);
    CHECK(s->timezone == "UTC");
    CHECK(error.empty());

    s = parse_council_schedule("sun 23:59", error);
    REQUIRE(s);
    CHECK(s->weekday == 7);
    CHECK(s->hour == 23);
    CHECK(s->minute == 59);

    s = parse_council_schedule("  Thu   7:05 ", error);
    REQUIRE(s);
    CHECK(s->weekday == 4);
    CHECK(s->hour == 7);
    CHECK(s->minute == 5);

    const char* days[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
    for (int i = 0; i < 7; ++i) {
        s = parse_council_schedule(std::string(days[i]) + " 00:00", error);
        REQUIRE(s);
        CHECK(s->weekday == i + 1);
    }
}

TEST_CASE("bad schedules are refused with a readable message", "[council]") {
    for (const char* bad : {"", "MON", "09:00", "MON 24:00", "MON 09:60", "MONDAY 09:00", "XYZ 09:00",
                            "MON 9", "MON 09:0", "MON 090:00", "MON09:00", "MON 09:00 weekly",
                            "MON -1:00", "MON +9:00", "MO 09:00", "MON 09:00pm"}) {
        INFO(bad);
        std::string error;
        CHECK_FALSE(parse_council_schedule(bad, error));
        CHECK(error.find("\"MON 09:00\"") != std::string::npos);
        CHECK(error.find("24-hour") != std::string::npos);
    }
}

TEST_CASE("time zones are checked against the system database", "[council]") {
    CHECK(is_known_timezone("Europe/Berlin"));
    CHECK(is_known_timezone("America/New_York"));
    CHECK(is_known_timezone("UTC"));
    CHECK_FALSE(is_known_timezone("Mars/Olympus_Mons"));
    CHECK_FALSE(is_known_timezone("Europe/Berlinn"));
    CHECK_FALSE(is_known_timezone(""));
    CHECK_FALSE(is_known_timezone("../../etc/passwd"));

    council_schedule s;
    s.timezone = "Mars/Olympus_Mons";
    CHECK_THROWS_AS(week_of(s, 0), std::invalid_argument);
    CHECK_THROWS_AS(last_due_week(s, 0), std::invalid_argument);
    CHECK_THROWS_AS(next_run_after(s, 0), std::invalid_argument);
    CHECK_THROWS_AS(format_local(s, 0, "%H:%M"), std::invalid_argument);
}

TEST_CASE("Berlin Monday 09:00 follows the end of summer time", "[council]") {
    auto s = make("MON 09:00", "Europe/Berlin");
    auto w43 = week_of(s, utc(2026, 10, 21, 12, 0));
    CHECK(w43.key == "2026-W43");
    CHECK(w43.number == 43);
    CHECK(w43.scheduled_at == utc(2026, 10, 19, 7, 0)); // CEST, UTC+2

    // DST ended on Sunday 25 October 2026, so the same wall time is an hour later in UTC.
    auto w44 = week_of(s, utc(2026, 10, 28, 12, 0));
    CHECK(w44.key == "2026-W44");
    CHECK(w44.number == 44);
    CHECK(w44.scheduled_at == utc(2026, 10, 26, 8, 0)); // CET, UTC+1

    // The week follows the local date: Sunday 23:30 UTC is already Monday in Berlin.
    CHECK(week_of(s, utc(2026, 10, 25, 23, 30)).key == "2026-W44");
    CHECK(week_of(s, utc(2026, 10, 25, 22, 59)).key == "2026-W43");
    CHECK(week_of(s, utc(2026, 10, 18, 22, 30)).key == "2026-W43"); // Monday 00:30 CEST
    CHECK(week_of(s, utc(2026, 10, 18, 21, 59)).key == "2026-W42");

    // The scheduled instant may lie after `at` within the same week.
    CHECK(week_of(s, utc(2026, 10, 26, 7, 0)).scheduled_at == utc(2026, 10, 26, 8, 0));
}

TEST_CASE("every weekday lands on its own day of the ISO week", "[council]") {
    for (int d = 1; d <= 7; ++d) {
        INFO(d);
        council_schedule s;
        s.weekday = d;
        s.hour = 18;
        s.minute = 45;
        auto w = week_of(s, utc(2026, 10, 21, 12, 0));
        CHECK(w.key == "2026-W43");
        CHECK(w.scheduled_at == utc(2026, 10, 19, 18, 45) + (d - 1) * 24LL * 60 * minute_ms);
    }
}

TEST_CASE("last due week switches exactly at the scheduled instant", "[council]") {
    auto s = make("MON 09:00", "Europe/Berlin");
    const millis due = utc(2026, 10, 26, 8, 0);

    auto before = last_due_week(s, due - 1);
    CHECK(before.key == "2026-W43");
    CHECK(before.scheduled_at == utc(2026, 10, 19, 7, 0));

    auto at = last_due_week(s, due);
    CHECK(at.key == "2026-W44");
    CHECK(at.scheduled_at == due);

    auto after = last_due_week(s, due + 1);
    CHECK(after.key == "2026-W44");
    CHECK(after.scheduled_at == due);

    // Late in the week it is still this week's run that is due.
    CHECK(last_due_week(s, utc(2026, 11, 1, 22, 59)).key == "2026-W44"); // Sun 23:59 CET
}

TEST_CASE("next run is strictly after now and crosses DST changes", "[council]") {
    auto s = make("MON 09:00", "Europe/Berlin");
    CHECK(next_run_after(s, utc(2026, 10, 19, 6, 59)) == utc(2026, 10, 19, 7, 0));
    CHECK(next_run_after(s, utc(2026, 10, 19, 7, 0)) == utc(2026, 10, 26, 8, 0));
    CHECK(next_run_after(s, utc(2026, 10, 26, 8, 0) - 1) == utc(2026, 10, 26, 8, 0));
    CHECK(next_run_after(s, utc(2026, 10, 26, 8, 0)) == utc(2026, 11, 2, 8, 0));
    // Spring: summer time began on Sunday 29 March 2026.
    CHECK(next_run_after(s, utc(2026, 3, 23, 8, 0)) == utc(2026, 3, 30, 7, 0));
    // From late Sunday the next run is the following day, not a week later.
    CHECK(next_run_after(s, utc(2026, 3, 29, 21, 0)) == utc(2026, 3, 30, 7, 0));
}

TEST_CASE("a skipped local time runs when the clock jumps forward", "[council]") {
    // Berlin 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00 UTC; 02:30 never happens.
    auto s = make("SUN 02:30", "Europe/Berlin");
    auto w = week_of(s, utc(2026, 3, 25, 12, 0));
    CHECK(w.key == "2026-W13");
    CHECK(w.scheduled_at == utc(2026, 3, 29, 1, 0));
    CHECK(format_local(s, w.scheduled_at, "%H:%M %Z") == "03:00 CEST");
    // The weeks around it are ordinary.
    CHECK(week_of(s, utc(2026, 3, 18, 12, 0)).scheduled_at == utc(2026, 3, 22, 1, 30)); // CET
    CHECK(week_of(s, utc(2026, 4, 1, 12, 0)).scheduled_at == utc(2026, 4, 5, 0, 30));   // CEST
    CHECK(next_run_after(s, utc(2026, 3, 22, 1, 30)) == utc(2026, 3, 29, 1, 0));
    CHECK(last_due_week(s, utc(2026, 3, 29, 1, 0) - 1).key == "2026-W12");
}

TEST_CASE("an ambiguous local time runs at its first occurrence", "[council]") {
    // Berlin 25 October 2026: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    auto s = make("SUN 02:30", "Europe/Berlin");
    auto w = week_of(s, utc(2026, 10, 21, 12, 0));
    CHECK(w.key == "2026-W43");
    CHECK(w.scheduled_at == utc(2026, 10, 25, 0, 30));
    CHECK(format_local(s, w.scheduled_at, "%H:%M %Z") == "02:30 CEST");
    // The second 02:30 is not a second run.
    CHECK(next_run_after(s, utc(2026, 10, 25, 0, 30)) == utc(2026, 11, 1, 1, 30));
}

TEST_CASE("ISO week keys follow the ISO year across New Year", "[council]") {
    auto s = make("MON 09:00", "UTC");
    auto dec31 = week_of(s, utc(2026, 12, 31, 12, 0)); // Thursday
    CHECK(dec31.key == "2026-W53");
    CHECK(dec31.number == 53);
    CHECK(dec31.scheduled_at == utc(2026, 12, 28, 9, 0));
    CHECK(week_of(s, utc(2027, 1, 1, 12, 0)).key == "2026-W53");
    CHECK(week_of(s, utc(2027, 1, 3, 23, 59)).key == "2026-W53");
    auto jan4 = week_of(s, utc(2027, 1, 4, 0, 0));
    CHECK(jan4.key == "2027-W01");
    CHECK(jan4.number == 1);
    CHECK(jan4.scheduled_at == utc(2027, 1, 4, 9, 0));
    // Monday 29 December 2025 already belongs to ISO year 2026.
    CHECK(week_of(s, utc(2025, 12, 29, 0, 0)).key == "2026-W01");
    CHECK(week_of(s, utc(2025, 12, 28, 23, 59)).key == "2025-W52");
    // Stepping back from the first week of a year reaches the last week of the previous one.
    CHECK(last_due_week(s, utc(2027, 1, 4, 8, 59)).key == "2026-W53");

    // Auckland (NZDT, UTC+13) reaches the new ISO week half a day before UTC does.
    auto nz = make("MON 09:00", "Pacific/Auckland");
    auto w = week_of(nz, utc(2027, 1, 3, 12, 0)); // Monday 01:00 in Auckland
    CHECK(w.key == "2027-W01");
    CHECK(w.scheduled_at == utc(2027, 1, 3, 20, 0));
}

TEST_CASE("New York follows US daylight saving dates", "[council]") {
    auto s = make("FRI 17:00", "America/New_York");
    // EDT began on Sunday 8 March 2026 and ended on Sunday 1 November 2026.
    CHECK(week_of(s, utc(2026, 3, 4, 12, 0)).scheduled_at == utc(2026, 3, 6, 22, 0));  // EST
    CHECK(week_of(s, utc(2026, 3, 11, 12, 0)).scheduled_at == utc(2026, 3, 13, 21, 0)); // EDT
    CHECK(next_run_after(s, utc(2026, 3, 6, 22, 0)) == utc(2026, 3, 13, 21, 0));
    CHECK(next_run_after(s, utc(2026, 10, 30, 21, 0)) == utc(2026, 11, 6, 22, 0));
    CHECK(last_due_week(s, utc(2026, 11, 6, 21, 59)).scheduled_at == utc(2026, 10, 30, 21, 0));
    // Friday 20:00 EDT is already Saturday in UTC but still the local Friday's week.
    CHECK(week_of(s, utc(2026, 10, 31, 0, 0)).key == "2026-W44");

    auto gap = make("SUN 02:30", "America/New_York");
    CHECK(week_of(gap, utc(2026, 3, 5, 12, 0)).scheduled_at == utc(2026, 3, 8, 7, 0)); // 03:00 EDT
    auto fold = make("SUN 01:30", "America/New_York");
    CHECK(week_of(fold, utc(2026, 10, 28, 12, 0)).scheduled_at == utc(2026, 11, 1, 5, 30)); // EDT
}

TEST_CASE("local formatting uses the schedule zone and its abbreviation", "[council]") {
    auto s = make("MON 09:00", "Europe/Berlin");
    CHECK(format_local(s, utc(2026, 10, 19, 7, 0), "%a %d %b %H:%M %Z") == "Mon 19 Oct 09:00 CEST");
    CHECK(format_local(s, utc(2026, 10, 26, 8, 0), "%a %d %b %H:%M %Z") == "Mon 26 Oct 09:00 CET");
    CHECK(format_local(s, utc(2026, 10, 26, 8, 0) + 5500, "%H:%M:%S") == "09:00:05");
}
