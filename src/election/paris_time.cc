#include "election/paris_time.h"

#include <cstdio>

namespace isoloir::election {
namespace {

constexpr int64_t kDay = 86400;

// Howard Hinnant's civil_from_days.
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

// Day number of the last Sunday of the month.
int64_t LastSunday(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDays[month - 1];
  const int64_t days = DaysFromCivil(year, month, last);
  // 1970-01-01 was a Thursday: weekday (0 = Sunday) = (days + 4) mod 7.
  const int64_t weekday = ((days + 4) % 7 + 7) % 7;
  return days - weekday;
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool InSummer(int64_t utc, int year) {
  return utc >= ParisSummerTimeStart(year) && utc < ParisSummerTimeEnd(year);
}

}  // namespace

int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsValidDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max = 29;
  return day <= max;
}

int64_t ParisSummerTimeStart(int year) { return LastSunday(year, 3) * kDay + 3600; }
int64_t ParisSummerTimeEnd(int year) { return LastSunday(year, 10) * kDay + 3600; }

int ParisOffsetAt(int64_t utc) {
  int y, m, d;
  CivilFromDays(utc >= 0 ? utc / kDay : (utc - kDay + 1) / kDay, y, m, d);
  return InSummer(utc, y) ? 7200 : 3600;
}

Result<DateTime> ParseParisLocal(std::string_view text) {
  const std::string shown(text.substr(0, 40));
  auto format_error = [&] {
    return MakeError("time.format",
                     "\"" + shown + "\" is not a Paris local time written YYYY-MM-DDTHH:MM");
  };
  if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':') {
    return format_error();
  }
  int year, month, day, hour, minute;
  if (!Digits(text, 0, 4, year) || !Digits(text, 5, 2, month) || !Digits(text, 8, 2, day) ||
      !Digits(text, 11, 2, hour) || !Digits(text, 14, 2, minute)) {
    return format_error();
  }
  if (!IsValidDate(year, month, day) || hour > 23 || minute > 59) return format_error();
  if (year < 1996 || year > 2999) {
    return MakeError("time.range", "\"" + shown + "\": the year must be between 1996 and 2999");
  }
  const int64_t local = DaysFromCivil(year, month, day) * kDay + hour * 3600 + minute * 60;
  // Both candidate offsets; the right one is the one the rule gives at that instant.
  const int64_t summer = local - 7200;
  const int64_t winter = local - 3600;
  const bool summer_ok = InSummer(summer, year);
  const bool winter_ok = !InSummer(winter, year);
  if (summer_ok && winter_ok) {
    return MakeError("time.ambiguous", "\"" + shown +
                                           "\" occurs twice in Paris (clocks go back that "
                                           "night); choose another time");
  }
  if (!summer_ok && !winter_ok) {
    return MakeError("time.nonexistent", "\"" + shown +
                                             "\" does not exist in Paris (clocks go forward "
                                             "that night); choose another time");
  }
  return DateTime{std::string(text), summer_ok ? summer : winter};
}

std::string FormatParisLocal(int64_t utc) {
  const int64_t local = utc + ParisOffsetAt(utc);
  const int64_t days = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
  const int64_t secs = local - days * kDay;
  int y, m, d;
  CivilFromDays(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", y, m, d, static_cast<int>(secs / 3600),
                static_cast<int>(secs % 3600 / 60));
  return buf;
}

std::string FormatUtc(int64_t utc) {
  const int64_t days = utc >= 0 ? utc / kDay : (utc - kDay + 1) / kDay;
  const int64_t secs = utc - days * kDay;
  int y, m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs % 3600 / 60),
                static_cast<int>(secs % 60));
  return buf;
}

}  // namespace isoloir::election
