#include "detente/treaty/deadline.h"

#include <gtest/gtest.h>

#include <string>

namespace detente::treaty {
namespace {

using Anchor = DeadlineRule::Anchor;
using Direction = DeadlineRule::Direction;
using Unit = DeadlineRule::Unit;

Instant T(const char* s) { return *Instant::Parse(s); }

// Resolves the two parameters these tests use.
Result<int64_t> TestParams(std::string_view name) {
  if (name == "arrival_notice_hours") return int64_t{16};
  if (name == "negative") return int64_t{-1};
  return Status::NotFound("unknown parameter '" + std::string(name) + "'");
}

DeadlineRule Parse(std::string_view text) {
  Result<DeadlineRule> r = ParseDeadlineRule(text, TestParams);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status();
  return r.ok() ? *r : DeadlineRule{};
}

std::string ParseError(std::string_view text) {
  Result<DeadlineRule> r = ParseDeadlineRule(text, TestParams);
  EXPECT_FALSE(r.ok()) << text << " parsed";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST(ParseDeadlineRuleTest, WithinDaysAfterEvent) {
  DeadlineRule r = Parse("within 5 days after event");
  EXPECT_EQ(r.direction, Direction::kAfter);
  EXPECT_EQ(r.amount, 5);
  EXPECT_EQ(r.unit, Unit::kDays);
  EXPECT_EQ(r.anchor, Anchor::kEvent);
  EXPECT_EQ(r.period_months, 0);
  EXPECT_EQ(r.parameter, "");
  EXPECT_EQ(r.text, "within 5 days after event");
}

TEST(ParseDeadlineRuleTest, NoLaterThanAfterPeriodEnd) {
  DeadlineRule r =
      Parse("no later than 30 days after the end of each six-month period");
  EXPECT_EQ(r.direction, Direction::kAfter);
  EXPECT_EQ(r.amount, 30);
  EXPECT_EQ(r.unit, Unit::kDays);
  EXPECT_EQ(r.anchor, Anchor::kPeriodEnd);
  EXPECT_EQ(r.period_months, 6);
}

TEST(ParseDeadlineRuleTest, PeriodWordsAndNumerals) {
  EXPECT_EQ(Parse("within 1 day after the end of each twelve-month period")
                .period_months,
            12);
  EXPECT_EQ(
      Parse("within 1 day after the end of each 3-month period").period_months,
      3);
  EXPECT_EQ(Parse("within 1 day after the end of each one-month period")
                .period_months,
            1);
}

TEST(ParseDeadlineRuleTest, AtLeastHoursBeforeEvent) {
  DeadlineRule r = Parse("at least 24 hours before event");
  EXPECT_EQ(r.direction, Direction::kBefore);
  EXPECT_EQ(r.amount, 24);
  EXPECT_EQ(r.unit, Unit::kHours);
  EXPECT_EQ(r.anchor, Anchor::kEvent);
}

TEST(ParseDeadlineRuleTest, NoLessThanAndSingularUnits) {
  DeadlineRule r = Parse("no less than 1 hour before event");
  EXPECT_EQ(r.direction, Direction::kBefore);
  EXPECT_EQ(r.amount, 1);
  EXPECT_EQ(r.unit, Unit::kHours);
  DeadlineRule d = Parse("within 1 day after event");
  EXPECT_EQ(d.unit, Unit::kDays);
  EXPECT_EQ(d.amount, 1);
}

TEST(ParseDeadlineRuleTest, EntryIntoForceAndCalendarYear) {
  DeadlineRule eif = Parse("no later than 45 days after entry into force");
  EXPECT_EQ(eif.anchor, Anchor::kEntryIntoForce);
  EXPECT_EQ(eif.amount, 45);
  DeadlineRule year =
      Parse("at least 30 days before the start of each calendar year");
  EXPECT_EQ(year.anchor, Anchor::kCalendarYearStart);
  EXPECT_EQ(year.direction, Direction::kBefore);
  EXPECT_EQ(year.amount, 30);
}

TEST(ParseDeadlineRuleTest, ZeroAmount) {
  DeadlineRule r = Parse("within 0 hours after event");
  EXPECT_EQ(r.amount, 0);
}

TEST(ParseDeadlineRuleTest, CaseInsensitiveAndExtraSpaces) {
  DeadlineRule r = Parse(
      "  No  LATER than\t30   Days AFTER the End of EACH "
      "Six-Month  period  ");
  EXPECT_EQ(r.direction, Direction::kAfter);
  EXPECT_EQ(r.amount, 30);
  EXPECT_EQ(r.unit, Unit::kDays);
  EXPECT_EQ(r.anchor, Anchor::kPeriodEnd);
  EXPECT_EQ(r.period_months, 6);
}

TEST(ParseDeadlineRuleTest, ParameterAmount) {
  DeadlineRule r = Parse("within param:arrival_notice_hours hours after event");
  EXPECT_EQ(r.amount, 16);
  EXPECT_EQ(r.parameter, "arrival_notice_hours");
  EXPECT_EQ(r.unit, Unit::kHours);
  EXPECT_EQ(r.ToString(),
            "within param:arrival_notice_hours hours after event");
}

TEST(ParseDeadlineRuleTest, ToStringIsCanonicalAndRoundTrips) {
  EXPECT_EQ(Parse("no later than 45 days after entry into force").ToString(),
            "within 45 days after entry into force");
  EXPECT_EQ(Parse("no less than 24 hours before event").ToString(),
            "at least 24 hours before event");
  EXPECT_EQ(Parse("within 1 day after event").ToString(),
            "within 1 day after event");
  EXPECT_EQ(Parse("within 1 hours after event").ToString(),
            "within 1 hour after event");
  EXPECT_EQ(Parse("No later than 30 days after the end of each 6-month period")
                .ToString(),
            "within 30 days after the end of each six-month period");
  EXPECT_EQ(Parse("AT LEAST 30 DAYS BEFORE THE START OF EACH CALENDAR YEAR")
                .ToString(),
            "at least 30 days before the start of each calendar year");
  for (const char* phrase :
       {"within 5 days after event", "at least 24 hours before event",
        "within 30 days after the end of each six-month period",
        "within param:arrival_notice_hours hours after event",
        "at least 30 days before the start of each calendar year",
        "within 45 days after entry into force"}) {
    DeadlineRule a = Parse(phrase);
    DeadlineRule b = Parse(a.ToString());
    EXPECT_EQ(a.ToString(), phrase);
    EXPECT_EQ(b.direction, a.direction) << phrase;
    EXPECT_EQ(b.amount, a.amount) << phrase;
    EXPECT_EQ(b.unit, a.unit) << phrase;
    EXPECT_EQ(b.anchor, a.anchor) << phrase;
    EXPECT_EQ(b.period_months, a.period_months) << phrase;
    EXPECT_EQ(b.parameter, a.parameter) << phrase;
  }
}

TEST(ParseDeadlineRuleTest, ErrorsNameTheUnexpectedWordAndWhatWasExpected) {
  EXPECT_EQ(ParseError(""),
            "deadline '': unexpected end of phrase (expected 'within', 'no "
            "later than', 'at least' or 'no less than')");
  EXPECT_EQ(ParseError("promptly after event"),
            "deadline 'promptly after event': unexpected 'promptly' "
            "(expected 'within', 'no later than', 'at least' or 'no less "
            "than')");
  EXPECT_EQ(ParseError("no more than 5 days after event"),
            "deadline 'no more than 5 days after event': unexpected 'more' "
            "(expected 'later than' or 'less than')");
  EXPECT_EQ(ParseError("within five days after event"),
            "deadline 'within five days after event': unexpected 'five' "
            "(expected an integer >= 0 or 'param:NAME')");
  EXPECT_EQ(ParseError("within -5 days after event"),
            "deadline 'within -5 days after event': unexpected '-5' "
            "(expected an integer >= 0 or 'param:NAME')");
  EXPECT_EQ(ParseError("within 5 weeks after event"),
            "deadline 'within 5 weeks after event': unexpected 'weeks' "
            "(expected 'hour', 'hours', 'day' or 'days')");
  EXPECT_EQ(ParseError("within 5 days before event"),
            "deadline 'within 5 days before event': unexpected 'before' "
            "(expected 'after')");
  EXPECT_EQ(ParseError("at least 5 days after event"),
            "deadline 'at least 5 days after event': unexpected 'after' "
            "(expected 'before')");
  EXPECT_EQ(ParseError("within 5 days after the middle of each year"),
            "deadline 'within 5 days after the middle of each year': "
            "unexpected 'middle' (expected 'end of each' or 'start of each "
            "calendar year')");
  EXPECT_EQ(ParseError("within 5 days after entry into"),
            "deadline 'within 5 days after entry into': unexpected end of "
            "phrase (expected 'force')");
  EXPECT_EQ(ParseError("within 5 days after event promptly"),
            "deadline 'within 5 days after event promptly': unexpected "
            "'promptly' (expected the end of the phrase)");
  EXPECT_EQ(ParseError("within 5 days"),
            "deadline 'within 5 days': unexpected end of phrase (expected "
            "'after')");
}

TEST(ParseDeadlineRuleTest, BadPeriods) {
  EXPECT_NE(ParseError("within 5 days after the end of each period")
                .find("unexpected 'period' (expected a period such as "
                      "'six-month'"),
            std::string::npos);
  EXPECT_NE(
      ParseError("within 5 days after the end of each thirteen-month period")
          .find("unexpected 'thirteen-month'"),
      std::string::npos);
  EXPECT_NE(ParseError("within 5 days after the end of each 0-month period")
                .find("unexpected '0-month'"),
            std::string::npos);
  EXPECT_NE(ParseError("within 5 days after the end of each six-month")
                .find("unexpected end of phrase (expected 'period')"),
            std::string::npos);
}

TEST(ParseDeadlineRuleTest, ParameterErrors) {
  EXPECT_NE(ParseError("within param:nope hours after event")
                .find("unknown parameter 'nope'"),
            std::string::npos);
  EXPECT_NE(ParseError("within param:negative hours after event")
                .find("parameter 'negative' is -1"),
            std::string::npos);
  EXPECT_NE(
      ParseError("within param: hours after event").find("unexpected 'param:'"),
      std::string::npos);
  // Without a resolver a parameter cannot be used, but a plain rule can.
  EXPECT_FALSE(
      ParseDeadlineRule("within param:x hours after event", nullptr).ok());
  EXPECT_TRUE(ParseDeadlineRule("within 5 hours after event", nullptr).ok());
}

// New START, Part Four, Section II: changes in data are notified no later
// than five days after they occur; "within 5 days" is met any time on the
// fifth calendar day after the event, GMT.
TEST(DueByTest, DaysAfterEventRunToTheEndOfTheDay) {
  DeadlineRule r = Parse("within 5 days after event");
  Instant event = T("2011-03-01T10:15:00Z");
  EXPECT_EQ(r.DueBy(event), T("2011-03-06T23:59:59Z"));
  EXPECT_TRUE(r.IsMet(event, T("2011-03-06T23:59:59Z")));
  EXPECT_FALSE(r.IsMet(event, T("2011-03-07T00:00:00Z")));
  // The time of day of the event does not matter.
  EXPECT_EQ(r.DueBy(T("2011-03-01T23:59:59Z")), T("2011-03-06T23:59:59Z"));
  EXPECT_EQ(r.DueBy(T("2011-03-01T00:00:00Z")), T("2011-03-06T23:59:59Z"));
}

TEST(DueByTest, DaysAfterCrossMonthAndLeapDay) {
  DeadlineRule r = Parse("within 5 days after event");
  EXPECT_EQ(r.DueBy(T("2012-02-26T08:00:00Z")), T("2012-03-02T23:59:59Z"));
  EXPECT_EQ(r.DueBy(T("2011-12-29T08:00:00Z")), T("2012-01-03T23:59:59Z"));
  DeadlineRule same_day = Parse("within 0 days after event");
  EXPECT_EQ(same_day.DueBy(T("2011-03-01T10:00:00Z")),
            T("2011-03-01T23:59:59Z"));
}

// New START: the six-monthly update is due no later than 30 days after the
// end of each six-month period; the first period ends 1 September 2011.
TEST(DueByTest, SixMonthUpdateAfterPeriodEnd) {
  DeadlineRule r =
      Parse("no later than 30 days after the end of each six-month period");
  Instant period_end = Instant::StartOf(*Date::Parse("2011-09-01"));
  EXPECT_EQ(r.DueBy(period_end), T("2011-10-01T23:59:59Z"));
  EXPECT_TRUE(r.IsMet(period_end, T("2011-10-01T18:00:00Z")));
  EXPECT_FALSE(r.IsMet(period_end, T("2011-10-02T00:00:00Z")));
}

// New START: the initial database is due no later than 45 days after entry
// into force (5 February 2011).
TEST(DueByTest, AfterEntryIntoForce) {
  DeadlineRule r = Parse("no later than 45 days after entry into force");
  EXPECT_EQ(r.DueBy(T("2011-02-05T00:00:00Z")), T("2011-03-22T23:59:59Z"));
}

// Advance notice of an ICBM or SLBM launch: at least 24 hours before, to
// the second.
TEST(DueByTest, HoursBeforeAreExact) {
  DeadlineRule r = Parse("at least 24 hours before event");
  Instant launch = T("2012-05-10T12:30:00Z");
  EXPECT_EQ(r.DueBy(launch), T("2012-05-09T12:30:00Z"));
  EXPECT_TRUE(r.IsMet(launch, T("2012-05-09T12:30:00Z")));
  EXPECT_FALSE(r.IsMet(launch, T("2012-05-09T12:30:01Z")));
}

TEST(DueByTest, HoursAfterAreExact) {
  DeadlineRule r = Parse("within param:arrival_notice_hours hours after event");
  EXPECT_EQ(r.DueBy(T("2011-04-01T20:00:00Z")), T("2011-04-02T12:00:00Z"));
}

TEST(DueByTest, DaysBeforeEndAtTheEndOfThatDay) {
  DeadlineRule r =
      Parse("at least 30 days before the start of each calendar year");
  // 30 days before 1 January 2012 is 2 December 2011; any time that day is
  // in time.
  EXPECT_EQ(r.DueBy(T("2012-01-01T00:00:00Z")), T("2011-12-02T23:59:59Z"));
  DeadlineRule event = Parse("at least 2 days before event");
  EXPECT_EQ(event.DueBy(T("2011-03-10T15:00:00Z")), T("2011-03-08T23:59:59Z"));
  EXPECT_TRUE(
      event.IsMet(T("2011-03-10T15:00:00Z"), T("2011-03-08T23:00:00Z")));
  EXPECT_FALSE(
      event.IsMet(T("2011-03-10T15:00:00Z"), T("2011-03-09T00:00:00Z")));
}

}  // namespace
}  // namespace detente::treaty
