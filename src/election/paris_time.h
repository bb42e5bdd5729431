// Europe/Paris local time <-> UTC by the EU summer-time rule, in pure
// arithmetic (no time-zone database): from the last Sunday of March 01:00 UTC
// to the last Sunday of October 01:00 UTC the offset is +2 h, otherwise +1 h.
// The rule has been the same since 1996; dates before 1996 are refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "election/model.h"

namespace isoloir::election {

// Days since 1970-01-01 of a proleptic Gregorian date (no validity check).
int64_t DaysFromCivil(int year, int month, int day);
// True when year/month/day is a real calendar date (31/02 is not).
bool IsValidDate(int year, int month, int day);

// Seconds since the epoch at which Paris summer time begins / ends in `year`.
int64_t ParisSummerTimeStart(int year);
int64_t ParisSummerTimeEnd(int year);
// Paris offset from UTC, in seconds, at the UTC instant `utc`.
int ParisOffsetAt(int64_t utc);

// Parses "YYYY-MM-DDTHH:MM" (Paris local time) and converts it to UTC.
// Errors: "time.format" (not that shape or not a real date/time),
// "time.range" (year outside 1996..2999), "time.nonexistent" (inside the
// hour skipped when clocks go forward), "time.ambiguous" (inside the hour
// that occurs twice when clocks go back).
Result<DateTime> ParseParisLocal(std::string_view text);

// UTC instant -> "YYYY-MM-DDTHH:MM" Paris local time (seconds dropped).
std::string FormatParisLocal(int64_t utc);
// UTC instant -> "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtc(int64_t utc);

}  // namespace isoloir::election
