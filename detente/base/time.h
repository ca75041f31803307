// Civil dates and GMT instants, with the arithmetic that treaty texts use:
// "N days after" an event, the end of a six-month period, treaty years
// counted from entry into force.
//
// Treaty times are GMT (New START Protocol, Part Four, Section I), so there
// are no time zones here. Date is a day in the proleptic Gregorian calendar;
// Instant is a second in GMT (leap seconds are not represented, as in POSIX
// time). Both are small immutable values, safe to share between threads.
#ifndef DETENTE_BASE_TIME_H_
#define DETENTE_BASE_TIME_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "detente/base/result.h"

namespace detente {

class Date {
 public:
  // 1970-01-01.
  constexpr Date() = default;

  // Fails with InvalidArgument when the day does not exist (2023-02-29) or
  // the year is outside [1, 9999].
  static Result<Date> FromYmd(int year, int month, int day);
  // Strict ISO 8601 calendar date "YYYY-MM-DD".
  static Result<Date> Parse(std::string_view text);
  static Date FromDaysSinceEpoch(int64_t days) { return Date(days); }

  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  int64_t days_since_epoch() const { return days_; }

  Date AddDays(int64_t n) const { return Date(days_ + n); }
  // Calendar months; a day past the end of the target month is clamped to
  // its last day (2011-01-31 + 1 month = 2011-02-28).
  Date AddMonths(int n) const;
  Date AddYears(int n) const { return AddMonths(12 * n); }
  // The first day of the month after this one.
  Date FirstOfNextMonth() const;

  // Days from `earlier` to this date (negative if this is earlier).
  int64_t DaysSince(Date earlier) const { return days_ - earlier.days_; }

  // "YYYY-MM-DD".
  std::string ToString() const;

  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  explicit constexpr Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;

  static constexpr Instant FromUnixSeconds(int64_t s) { return Instant(s); }
  // Midnight GMT at the start of `d`.
  static Instant StartOf(Date d) {
    return Instant(d.days_since_epoch() * 86400);
  }
  // "YYYY-MM-DDTHH:MM:SSZ" (a 'z', a space for 'T', or "+00:00" are
  // accepted; other offsets are refused: treaty times are GMT), or a bare
  // date meaning its midnight.
  static Result<Instant> Parse(std::string_view text);

  int64_t unix_seconds() const { return s_; }
  // The day this instant falls on.
  Date date() const;

  Instant AddSeconds(int64_t n) const { return Instant(s_ + n); }
  Instant AddHours(int64_t n) const { return Instant(s_ + 3600 * n); }
  Instant AddDays(int64_t n) const { return Instant(s_ + 86400 * n); }

  // "YYYY-MM-DDTHH:MM:SSZ".
  std::string ToString() const;

  friend constexpr auto operator<=>(Instant a, Instant b) = default;

 private:
  explicit constexpr Instant(int64_t s) : s_(s) {}
  int64_t s_ = 0;
};

// A half-open span of days [start, end).
struct DateRange {
  Date start;
  Date end;
  bool Contains(Date d) const { return start <= d && d < end; }
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

// Treaty year `number` (1-based): year 1 runs from entry into force to the
// same calendar day a year later, and so on. A date before entry into force
// is in no treaty year: OutOfRange.
struct TreatyYear {
  int number = 0;
  DateRange range;
};
Result<TreatyYear> TreatyYearOf(Date entry_into_force, Date d);
TreatyYear NthTreatyYear(Date entry_into_force, int number);

// Consecutive periods of `months` months starting at `first_start` (e.g. the
// six-month data periods of New START, the first beginning on 1 March 2011).
// Period 0 starts at first_start. A date before first_start is OutOfRange.
struct Period {
  int index = 0;
  DateRange range;
};
Result<Period> PeriodContaining(Date first_start, int months, Date d);
Period NthPeriod(Date first_start, int months, int index);

}  // namespace detente

#endif  // DETENTE_BASE_TIME_H_
