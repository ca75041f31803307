#include "detente/base/time.h"

#include <chrono>
#include <cstdio>

#include "fmt/format.h"

namespace detente {
namespace {

namespace chr = std::chrono;

chr::year_month_day Ymd(int64_t days) {
  return chr::year_month_day(chr::sys_days(chr::days(days)));
}

int64_t DaysOf(const chr::year_month_day& ymd) {
  return chr::sys_days(ymd).time_since_epoch().count();
}

// Parses exactly `width` decimal digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t width, int* out) {
  if (pos + width > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999) {
    return Status::InvalidArgument(fmt::format("year {} out of range", year));
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument(fmt::format("month {} out of range", month));
  }
  chr::year_month_day ymd{chr::year(year),
                          chr::month(static_cast<unsigned>(month)),
                          chr::day(static_cast<unsigned>(day < 0 ? 0 : day))};
  if (day < 1 || !ymd.ok()) {
    return Status::InvalidArgument(fmt::format(
        "{:04d}-{:02d}-{:02d} is not a day of the calendar", year, month, day));
  }
  return Date(DaysOf(ymd));
}

Result<Date> Date::Parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || !Digits(text, 0, 4, &y) || text[4] != '-' ||
      !Digits(text, 5, 2, &m) || text[7] != '-' || !Digits(text, 8, 2, &d)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a date of the form YYYY-MM-DD", text));
  }
  return FromYmd(y, m, d);
}

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const {
  return static_cast<int>(static_cast<unsigned>(Ymd(days_).month()));
}
int Date::day() const {
  return static_cast<int>(static_cast<unsigned>(Ymd(days_).day()));
}

Date Date::AddMonths(int n) const {
  chr::year_month_day ymd = Ymd(days_);
  chr::year_month_day shifted = ymd + chr::months(n);
  if (!shifted.ok()) {
    shifted = chr::year_month_day_last(shifted.year(),
                                       chr::month_day_last(shifted.month()));
  }
  return Date(DaysOf(shifted));
}

Date Date::FirstOfNextMonth() const {
  chr::year_month_day ymd = Ymd(days_);
  chr::year_month_day first{ymd.year(), ymd.month(), chr::day(1)};
  return Date(DaysOf(first + chr::months(1)));
}

std::string Date::ToString() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year(), month(), day());
}

Result<Instant> Instant::Parse(std::string_view text) {
  if (text.size() == 10) {
    DETENTE_ASSIGN_OR_RETURN(Date d, Date::Parse(text));
    return StartOf(d);
  }
  auto bad = [&]() {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not a GMT time of the form YYYY-MM-DDTHH:MM:SSZ", text));
  };
  if (text.size() < 19) return bad();
  Result<Date> d = Date::Parse(text.substr(0, 10));
  if (!d.ok()) return d.status();
  int hh = 0, mm = 0, ss = 0;
  char sep = text[10];
  if ((sep != 'T' && sep != 't' && sep != ' ') || !Digits(text, 11, 2, &hh) ||
      text[13] != ':' || !Digits(text, 14, 2, &mm) || text[16] != ':' ||
      !Digits(text, 17, 2, &ss)) {
    return bad();
  }
  std::string_view zone = text.substr(19);
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    if (zone.empty()) {
      return Status::InvalidArgument(fmt::format(
          "'{}' has no zone; treaty times are GMT: end it with Z", text));
    }
    return Status::InvalidArgument(fmt::format(
        "'{}' is not in GMT; treaty times are GMT: end it with Z", text));
  }
  if (hh > 23 || mm > 59 || ss > 59) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a time of day", text));
  }
  return StartOf(*d).AddSeconds(hh * 3600 + mm * 60 + ss);
}

Date Instant::date() const {
  int64_t days = s_ / 86400;
  if (s_ % 86400 < 0) --days;
  return Date::FromDaysSinceEpoch(days);
}

std::string Instant::ToString() const {
  Date d = date();
  int64_t rem = s_ - d.days_since_epoch() * 86400;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", d.ToString(), rem / 3600,
                     (rem / 60) % 60, rem % 60);
}

TreatyYear NthTreatyYear(Date entry_into_force, int number) {
  return TreatyYear{number,
                    {entry_into_force.AddYears(number - 1),
                     entry_into_force.AddYears(number)}};
}

Result<TreatyYear> TreatyYearOf(Date entry_into_force, Date d) {
  if (d < entry_into_force) {
    return Status::OutOfRange(fmt::format("{} is before entry into force ({})",
                                          d.ToString(),
                                          entry_into_force.ToString()));
  }
  int n = d.year() - entry_into_force.year();  // estimate; at most one off
  if (n < 1) n = 1;
  while (n > 1 && NthTreatyYear(entry_into_force, n).range.start > d) --n;
  while (!NthTreatyYear(entry_into_force, n).range.Contains(d)) ++n;
  return NthTreatyYear(entry_into_force, n);
}

Period NthPeriod(Date first_start, int months, int index) {
  return Period{index,
                {first_start.AddMonths(months * index),
                 first_start.AddMonths(months * (index + 1))}};
}

Result<Period> PeriodContaining(Date first_start, int months, Date d) {
  if (months <= 0) {
    return Status::InvalidArgument("a period must be at least one month");
  }
  if (d < first_start) {
    return Status::OutOfRange(
        fmt::format("{} is before the first period, which starts {}",
                    d.ToString(), first_start.ToString()));
  }
  int elapsed =
      (d.year() - first_start.year()) * 12 + (d.month() - first_start.month());
  int index = elapsed / months;
  if (index > 0 && NthPeriod(first_start, months, index).range.start > d) {
    --index;
  }
  while (!NthPeriod(first_start, months, index).range.Contains(d)) ++index;
  return NthPeriod(first_start, months, index);
}

}  // namespace detente
