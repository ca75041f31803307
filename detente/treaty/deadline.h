// DeadlineRule: when a notification is due, parsed from the phrase a spec
// writes in treaty English, e.g.
//   "within 5 days after event"
//   "no later than 30 days after the end of each six-month period"
//   "at least 24 hours before event"
//   "no later than 45 days after entry into force"
//   "at least 30 days before the start of each calendar year"
// The amount may be a parameter: "within param:arrival_notice_hours hours
// after event". The grammar is in docs/treaty-spec.md.
//
// A DeadlineRule is a small immutable value; thread-safe.
#ifndef DETENTE_TREATY_DEADLINE_H_
#define DETENTE_TREATY_DEADLINE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "detente/base/result.h"
#include "detente/base/time.h"

namespace detente::treaty {

struct DeadlineRule {
  // kAfter: due no later than anchor + amount. kBefore: due no later than
  // anchor - amount (advance notice).
  enum class Direction { kAfter, kBefore };
  enum class Unit { kHours, kDays };
  enum class Anchor {
    kEvent,              // the event the notification reports
    kPeriodEnd,          // the end of the data-exchange period
    kEntryIntoForce,     // the treaty's entry into force
    kCalendarYearStart,  // 1 January of the year concerned
  };

  Direction direction = Direction::kAfter;
  int64_t amount = 0;
  Unit unit = Unit::kDays;
  Anchor anchor = Anchor::kEvent;
  // For kPeriodEnd: the period length the phrase names ("six-month" is 6).
  // The loader checks it against [data_exchange] period_months; 0 otherwise.
  int period_months = 0;
  std::string parameter;  // non-empty when the amount came from param:NAME
  std::string text;       // the phrase as written in the spec

  // The latest instant at which a notification anchored at `anchor_time`
  // is on time (inclusive). Hours are exact; days count calendar days in
  // GMT, so an after-rule is met until the end of day anchor.date() + amount
  // and a before-rule until the end of day anchor.date() - amount.
  Instant DueBy(Instant anchor_time) const;
  // True when a notification received at `received` meets the rule.
  bool IsMet(Instant anchor_time, Instant received) const {
    return received <= DueBy(anchor_time);
  }
  // Canonical phrase, e.g. "within 5 days after event": "within" for every
  // after-rule, "at least" for every before-rule, "param:NAME" for an amount
  // that came from a parameter. ParseDeadlineRule(ToString()) gives back an
  // equal rule (up to `text`).
  std::string ToString() const;
};

// Resolves "param:NAME" in a rule to an integer, or returns an error naming
// the unknown parameter.
using ParameterResolver = std::function<Result<int64_t>(std::string_view)>;

// Parses a rule phrase. Words are case-insensitive and may be separated by
// any amount of white space. Errors (InvalidArgument) say which word was
// unexpected and list what was expected there. `resolve` is called only for
// a "param:NAME" amount; it may be empty when the phrase has none.
Result<DeadlineRule> ParseDeadlineRule(std::string_view text,
                                       const ParameterResolver& resolve);

}  // namespace detente::treaty

#endif  // DETENTE_TREATY_DEADLINE_H_
