// Spec: one treaty as data — identity and dates, parties, item categories and
// statuses, central limits as sums of declarative counting terms, the
// notification catalogue with deadline rules, inspection quotas, commission
// rules and named parameters for facts that are not public.
//
// A Spec is produced by the loader (loader.h) from a TOML file and is
// immutable afterwards; every other module reads it. It owns all its strings
// and vectors; pointers returned by the Find* helpers borrow from it and live
// as long as the Spec. Thread-safety: const methods may be called
// concurrently.
//
// The file format is documented in docs/treaty-spec.md.
#ifndef DETENTE_TREATY_SPEC_H_
#define DETENTE_TREATY_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/time.h"
#include "detente/treaty/deadline.h"

namespace detente::treaty {

// Where a value came from in the spec file, for messages.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// A named value that a treaty text fixes but the public record does not give
// reliably (or at all). Specs refer to it as "param:NAME" wherever an integer
// is expected, so that a reader sees which numbers rest on assumptions and a
// user can change them in one place.
struct Parameter {
  std::string name;
  int64_t value = 0;
  std::string unit;  // "days", "hours", "months", "warheads", ... or empty
  bool is_public = false;  // false: not found in a public source
  std::string source;      // where the value comes from, or why it is assumed
  std::string note;
};

// Types of attributes and notification body fields.
// Persistent (names appear in spec files): do not rename existing entries.
enum class ValueType {
  kInteger,
  kString,
  kBoolean,
  kDate,        // YYYY-MM-DD
  kInstant,     // YYYY-MM-DDTHH:MM:SSZ (GMT)
  kIdentifier,  // an item's unique identifier
  kParty,       // a party code declared in the spec
  kCategory,    // a category id declared in the spec
  kStatus,      // a status id declared in the spec
  kFacility,    // a facility identifier
  kEnum,        // one of Field::values
  kItemList,    // a list of item records (database exchanges)
  kTotals,      // declared aggregate per limit id (six-monthly updates)
  kText,        // free text (diplomatic notes, agenda items)
};
std::string_view ValueTypeName(ValueType t);
std::optional<ValueType> ParseValueType(std::string_view name);

struct Party {
  std::string code;  // e.g. "US", "RU"; unique within the spec
  std::string name;
};

struct Attribute {
  std::string name;
  ValueType type = ValueType::kString;
  bool required = false;
  std::string description;
};

// A class of treaty-accountable item: ICBM, SLBM launcher, heavy bomber, ...
struct Category {
  std::string id;
  std::string name;
  bool carries_warheads = false;   // items may declare warheads emplaced
  bool unique_identifier = false;  // each item has a treaty UID
  std::vector<Attribute> attributes;
  std::string source;
  const Attribute* FindAttribute(std::string_view name) const;
};

// An item status: deployed, non-deployed, test, eliminated, ...
struct ItemStatus {
  std::string id;
  std::string name;
  std::string description;
};

// How much one matching item contributes to a limit's aggregate.
struct Weight {
  enum class Kind { kOne, kWarheads, kConstant, kAttribute };
  Kind kind = Kind::kOne;
  int64_t constant = 0;          // for kConstant
  std::string attribute;         // for kAttribute: an integer attribute's name
  std::string ToString() const;  // "one", "warheads", "10", "attribute:x"
};

// A condition on an item attribute: equal to a string, or an integer in
// [min, max] (equality is min == max).
struct AttributeCondition {
  std::string attribute;
  std::optional<std::string> equals;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  std::string ToString() const;
};

// One declarative counting term: the items of `category` whose status is in
// `statuses` (and, when given, whose party, type and attributes match)
// contribute `weight` each. When `first` is set, only the first N matching
// items (in identifier order) count at `weight`; the rest count at `then`
// (START I's bomber attribution: 10 for the first 150, then actual).
struct Term {
  std::string category;
  std::vector<std::string> statuses;  // never empty
  std::vector<std::string> parties;   // empty: every party
  std::vector<std::string> types;     // empty: every type
  std::vector<AttributeCondition> where;
  Weight weight;
  std::optional<int64_t> first;
  std::optional<Weight> then;
  SourceLocation location;
  std::string ToString() const;
};

// A limit on an aggregate that is the sum of its terms, per party. Binds from
// `effective` until `until` (if set) or the treaty's end, whichever is first.
// `max` is a ceiling; `min` (SORT's range) a floor; at least one is set.
// A ban is a limit with max = 0.
struct Limit {
  std::string id;  // e.g. "deployed_warheads"; unique within the spec
  std::string name;
  std::string article;  // e.g. "Art. II 1(b)"
  std::optional<int64_t> max;
  std::optional<int64_t> min;
  Date effective;
  std::optional<Date> until;
  std::vector<std::string> parties;  // empty: every party
  std::vector<Term> terms;
  std::string source;
  std::string note;
  SourceLocation location;
  bool AppliesTo(std::string_view party) const;
};

// One body field of a notification type.
struct Field {
  std::string name;
  ValueType type = ValueType::kString;
  bool required = true;
  std::vector<std::string> values;  // for kEnum
  std::string description;
};

// An entry of the notification catalogue.
struct NotificationType {
  std::string code;  // unique within the spec, e.g. "NST-DB-INIT"
  std::string name;
  std::string reference;  // where the treaty defines it, e.g. "Part Four, Sec.
                          // II, para 1"
  std::optional<DeadlineRule> deadline;  // none: no deadline
  std::vector<Field> fields;
  std::string source;
  std::string note;
  const Field* FindField(std::string_view name) const;
};

// Which year an inspection quota is counted over.
enum class QuotaYear { kTreatyYear, kCalendarYear };

struct InspectionType {
  std::string id;  // e.g. "type_one"
  std::string name;
  int64_t annual_quota = 0;
  QuotaYear quota_year = QuotaYear::kTreatyYear;
  int64_t not_before_days_after_entry_into_force = 0;
  bool reentry_vehicle_count = false;  // may count warheads on one missile
  std::string purpose;
  std::string source;
};

struct InspectionRules {
  bool one_at_a_time = false;
  std::vector<InspectionType> types;
  const InspectionType* Find(std::string_view id) const;
};

// The implementation body: New START's Bilateral Consultative Commission,
// INF's Special Verification Commission, ...
struct CommissionRules {
  std::string name;
  int64_t min_sessions_per_year = 0;
  bool agreed_agenda_required = true;
  bool confidential = false;
  std::vector<std::string> outcome_kinds;  // e.g. "agreement", "decision"
  std::string source;
};

// Periodic full database updates: periods of `period_months` months from
// `first_period_start`; data as of each period start, due per the catalogue.
struct DataExchange {
  Date first_period_start;
  int period_months = 6;
  std::string source;
};

struct TreatyDates {
  Date signature;
  Date entry_into_force;
  std::optional<Date> expiry;           // scheduled end; none: unlimited
  std::optional<Date> original_expiry;  // before any extension
  std::optional<Date> ended;            // actual end, when earlier
  std::string ended_reason;             // "withdrawal", "superseded", ...
  std::optional<int64_t> withdrawal_notice_months;
};

struct Spec {
  // Identity.
  std::string id;  // file stem, e.g. "new-start"
  std::string name;
  std::string short_name;
  std::string description;
  bool hypothetical = false;
  bool verification = true;  // false: the treaty has no verification regime
  std::string source_file;

  TreatyDates dates;
  std::vector<Party> parties;
  std::vector<ItemStatus> statuses;
  std::vector<Category> categories;
  std::vector<Limit> limits;
  std::vector<NotificationType> notifications;
  InspectionRules inspections;
  std::optional<CommissionRules> commission;
  std::optional<DataExchange> data_exchange;
  std::vector<Parameter> parameters;

  const Party* FindParty(std::string_view code) const;
  const Category* FindCategory(std::string_view id) const;
  const ItemStatus* FindStatus(std::string_view id) const;
  const Limit* FindLimit(std::string_view id) const;
  const NotificationType* FindNotification(std::string_view code) const;
  const Parameter* FindParameter(std::string_view name) const;

  // The day the treaty stops being in force: the earlier of `ended` and
  // `expiry`; none while it has neither.
  std::optional<Date> End() const;
  bool InForce(Date d) const;
  // True when `limit` binds on `d`: d >= effective and before the earlier of
  // the limit's `until` and the treaty's end.
  bool Binds(const Limit& limit, Date d) const;
};

}  // namespace detente::treaty

#endif  // DETENTE_TREATY_SPEC_H_
