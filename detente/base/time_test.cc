#include "detente/base/time.h"

#include <gtest/gtest.h>

namespace detente {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(DateTest, ParseAndPrintRoundTrip) {
  EXPECT_EQ(D("2011-02-05").ToString(), "2011-02-05");
  EXPECT_EQ(D("1970-01-01").days_since_epoch(), 0);
  EXPECT_EQ(D("2000-02-29").ToString(), "2000-02-29");
  Date d = D("2026-02-05");
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 2);
  EXPECT_EQ(d.day(), 5);
}

TEST(DateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"2011-2-5", "2011/02/05", "", "20110205", "2011-02-05x", "2023-02-29",
        "2011-13-01", "2011-04-31", "0000-01-01", "2011-00-10"}) {
    Result<Date> r = Date::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(Date::Parse("2023-02-29")
                .status()
                .message()
                .find("not a day of the calendar"),
            std::string_view::npos);
}

TEST(DateTest, DayArithmetic) {
  // New START: initial data no later than 45 days after entry into force.
  EXPECT_EQ(D("2011-02-05").AddDays(45), D("2011-03-22"));
  EXPECT_EQ(D("2011-03-22").DaysSince(D("2011-02-05")), 45);
  EXPECT_EQ(D("2012-02-28").AddDays(1), D("2012-02-29"));
  EXPECT_EQ(D("2012-03-01").AddDays(-1), D("2012-02-29"));
}

TEST(DateTest, MonthArithmeticClampsToMonthEnd) {
  EXPECT_EQ(D("2011-01-31").AddMonths(1), D("2011-02-28"));
  EXPECT_EQ(D("2012-01-31").AddMonths(1), D("2012-02-29"));
  EXPECT_EQ(D("2011-03-01").AddMonths(6), D("2011-09-01"));
  EXPECT_EQ(D("2011-09-01").AddMonths(-12), D("2010-09-01"));
  // Limits take effect seven years after entry into force.
  EXPECT_EQ(D("2011-02-05").AddYears(7), D("2018-02-05"));
  EXPECT_EQ(D("2012-02-29").AddYears(1), D("2013-02-28"));
  EXPECT_EQ(D("2011-02-05").FirstOfNextMonth(), D("2011-03-01"));
  EXPECT_EQ(D("2011-12-31").FirstOfNextMonth(), D("2012-01-01"));
}

TEST(InstantTest, ParseGmtOnly) {
  Instant t = *Instant::Parse("2022-11-28T12:30:05Z");
  EXPECT_EQ(t.ToString(), "2022-11-28T12:30:05Z");
  EXPECT_EQ(t.date(), D("2022-11-28"));
  EXPECT_EQ(Instant::Parse("2022-11-28")->ToString(), "2022-11-28T00:00:00Z");
  EXPECT_EQ(Instant::Parse("2022-11-28 12:30:05+00:00")->ToString(),
            "2022-11-28T12:30:05Z");
  EXPECT_FALSE(Instant::Parse("2022-11-28T12:30:05+03:00").ok());
  EXPECT_NE(
      Instant::Parse("2022-11-28T12:30:05").status().message().find("GMT"),
      std::string_view::npos);
  EXPECT_FALSE(Instant::Parse("2022-11-28T24:00:00Z").ok());
  EXPECT_FALSE(Instant::Parse("2022-11-28T1:00:00Z").ok());
}

TEST(InstantTest, ArithmeticAndDatesBeforeEpoch) {
  Instant t = *Instant::Parse("2011-02-05T00:00:00Z");
  EXPECT_EQ(t.AddHours(-24).ToString(), "2011-02-04T00:00:00Z");
  EXPECT_EQ(t.AddDays(5).date(), D("2011-02-10"));
  Instant old = *Instant::Parse("1969-12-31T23:59:59Z");
  EXPECT_EQ(old.unix_seconds(), -1);
  EXPECT_EQ(old.date(), D("1969-12-31"));
  EXPECT_EQ(old.ToString(), "1969-12-31T23:59:59Z");
}

TEST(TreatyYearTest, CountedFromEntryIntoForce) {
  Date eif = D("2011-02-05");
  EXPECT_FALSE(TreatyYearOf(eif, D("2011-02-04")).ok());
  TreatyYear y1 = *TreatyYearOf(eif, eif);
  EXPECT_EQ(y1.number, 1);
  EXPECT_EQ(y1.range.end, D("2012-02-05"));
  EXPECT_EQ(TreatyYearOf(eif, D("2012-02-04"))->number, 1);
  EXPECT_EQ(TreatyYearOf(eif, D("2012-02-05"))->number, 2);
  // The ninth treaty year ran 5 Feb 2019 to 5 Feb 2020.
  TreatyYear y9 = *TreatyYearOf(eif, D("2019-12-31"));
  EXPECT_EQ(y9.number, 9);
  EXPECT_EQ(y9.range.start, D("2019-02-05"));
  EXPECT_EQ(NthTreatyYear(eif, 15).range.end, D("2026-02-05"));
}

TEST(PeriodTest, SixMonthPeriodsFromFirstOfMonthAfterEntryIntoForce) {
  Date first = D("2011-02-05").FirstOfNextMonth();
  EXPECT_EQ(first, D("2011-03-01"));
  Period p0 = *PeriodContaining(first, 6, D("2011-08-31"));
  EXPECT_EQ(p0.index, 0);
  EXPECT_EQ(p0.range.end, D("2011-09-01"));
  Period p1 = *PeriodContaining(first, 6, D("2011-09-01"));
  EXPECT_EQ(p1.index, 1);
  EXPECT_EQ(p1.range.end, D("2012-03-01"));
  // Update due no later than 30 days after the end of the period.
  EXPECT_EQ(p0.range.end.AddDays(30), D("2011-10-01"));
  EXPECT_EQ(PeriodContaining(first, 6, D("2022-11-28"))->range.start,
            D("2022-09-01"));
  EXPECT_FALSE(PeriodContaining(first, 6, D("2011-02-28")).ok());
  EXPECT_FALSE(PeriodContaining(first, 0, D("2012-01-01")).ok());
}

}  // namespace
}  // namespace detente
