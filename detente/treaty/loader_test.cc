#include "detente/treaty/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace detente::treaty {
namespace {

using ::testing::HasSubstr;

Date D(const char* s) { return *Date::Parse(s); }

// A small spec that uses every section and most options. Malformed specs
// below are this text with one edit, so each test shows the one mistake.
constexpr std::string_view kMini = R"toml(# A minimal spec for tests.
[treaty]
id = "mini"
name = "Minimal Treaty on Test Arms"
short_name = "MINI"
description = "A small spec for tests."
verification = true

[dates]
signature = 2010-04-08
entry_into_force = "2011-02-05"
expiry = 2026-02-05
original_expiry = 2021-02-05
withdrawal_notice_months = "param:withdrawal_notice_months"

[parameters]
withdrawal_notice_months = { value = 3, unit = "months", public = false, source = "assumed", note = "Article XIV not read" }
arrival_hours = { value = 16, unit = "hours", public = true }
bomber_weight = { value = 10, public = true }
type_two_quota = { value = 8, public = true }

[[parties]]
code = "US"
name = "United States of America"

[[parties]]
code = "RU"
name = "Russian Federation"

[[statuses]]
id = "deployed"
name = "Deployed"

[[statuses]]
id = "non_deployed"
name = "Non-deployed"
description = "Not deployed."

[[categories]]
id = "icbm"
name = "ICBM"
carries_warheads = true
unique_identifier = true
attributes = [
  { name = "range_km", type = "integer", required = true, description = "maximum range" },
  { name = "armament", type = "string" },
]
source = "Art. III"

[[categories]]
id = "heavy_bomber"
name = "Heavy bomber"

[[limits]]
id = "deployed_warheads"
name = "Deployed warheads"
article = "Art. II 1(b)"
max = 1550
effective = 2018-02-05
terms = [
  { category = "icbm", status = ["deployed"], weight = "warheads" },
  { category = "heavy_bomber", status = ["deployed"], weight = 1 },
]
source = "Art. II"

[[limits]]
id = "attributed"
name = "Attributed"
min = 10
max = 800
effective = 2012-01-01
until = 2020-01-01
parties = ["US"]
terms = [
  { category = "icbm", status = ["deployed", "non_deployed"], parties = ["RU"], types = ["RS-24"], where = { range_km = [500, 5500], armament = "mirv" }, weight = "attribute:range_km" },
  { category = "heavy_bomber", status = ["deployed"], weight = "param:bomber_weight", first = 150, then = "one" },
]
note = "for tests"

[[notifications]]
code = "MINI-1"
name = "Change in data"
reference = "Part Four, Sec. I"
deadline = "within 5 days after event"
fields = [
  { name = "item", type = "identifier" },
  { name = "change", type = "enum", values = ["added", "removed"], description = "what changed" },
  { name = "remark", type = "text", required = false },
]
source = "Protocol"
note = "n"

[[notifications]]
code = "MINI-2"
name = "Six-monthly update"
deadline = "no later than 30 days after the end of each six-month period"

[[notifications]]
code = "MINI-3"
name = "Arrival"
deadline = "at least param:arrival_hours hours before event"

[data_exchange]
first_period_start = 2011-03-01
period_months = 6
source = "Part Four"

[inspections]
one_at_a_time = true

[[inspections.types]]
id = "type_one"
name = "Type One"
annual_quota = 10
quota_year = "treaty_year"
reentry_vehicle_count = true
purpose = "confirm"
source = "Art. XI"

[[inspections.types]]
id = "type_two"
name = "Type Two"
annual_quota = "param:type_two_quota"
quota_year = "calendar_year"
not_before_days_after_entry_into_force = 60

[commission]
name = "Bilateral Consultative Commission"
min_sessions_per_year = 2
agreed_agenda_required = false
confidential = true
outcome_kinds = ["agreement", "decision"]
source = "Art. XII"
)toml";

// kMini with the first occurrence of `from` replaced by `to`.
std::string Edit(std::string_view from, std::string_view to,
                 std::string text = std::string(kMini)) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "test bug: '" << from << "' not in spec";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

// 1-based line and column of the first occurrence of `needle` in `text`.
int LineOf(std::string_view text, std::string_view needle) {
  size_t pos = text.find(needle);
  EXPECT_NE(pos, std::string_view::npos) << "test bug: '" << needle << "'";
  int line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}
int ColumnOf(std::string_view text, std::string_view needle) {
  size_t pos = text.find(needle);
  size_t line_start = text.rfind('\n', pos);
  return static_cast<int>(pos - (line_start == std::string_view::npos
                                     ? 0
                                     : line_start + 1)) +
         1;
}

// Loads `text` as mini.toml and expects it to fail; returns the errors.
std::vector<SpecError> Errors(std::string_view text) {
  std::vector<SpecError> errors;
  Result<Spec> spec = LoadSpecString(text, "specs/mini.toml", &errors);
  EXPECT_FALSE(spec.ok()) << "spec loaded";
  if (!spec.ok()) {
    EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
    // The status carries every error, one per line.
    std::string joined;
    for (const SpecError& e : errors) {
      if (!joined.empty()) joined += '\n';
      joined += e.ToString();
    }
    EXPECT_EQ(spec.status().message(), joined);
  }
  return errors;
}

std::string Dump(const std::vector<SpecError>& errors) {
  std::string out;
  for (const SpecError& e : errors) out += e.ToString() + "\n";
  return out;
}

// Expects exactly one error, at `line`, for `key`, whose message contains
// `message`.
void ExpectOneError(std::string_view text, int line, std::string_view key,
                    std::string_view message) {
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].file, "specs/mini.toml");
  EXPECT_EQ(errors[0].line, line) << Dump(errors);
  EXPECT_EQ(errors[0].key, key) << Dump(errors);
  EXPECT_THAT(errors[0].message, HasSubstr(std::string(message)))
      << Dump(errors);
}

TEST(LoaderTest, MinimalSpecLoadsEveryField) {
  std::vector<SpecError> errors{SpecError{}};  // cleared on success
  Result<Spec> loaded = LoadSpecString(kMini, "specs/mini.toml", &errors);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(errors.empty());
  const Spec& s = *loaded;

  EXPECT_EQ(s.id, "mini");
  EXPECT_EQ(s.name, "Minimal Treaty on Test Arms");
  EXPECT_EQ(s.short_name, "MINI");
  EXPECT_EQ(s.description, "A small spec for tests.");
  EXPECT_FALSE(s.hypothetical);
  EXPECT_TRUE(s.verification);
  EXPECT_EQ(s.source_file, "specs/mini.toml");

  EXPECT_EQ(s.dates.signature, D("2010-04-08"));
  EXPECT_EQ(s.dates.entry_into_force, D("2011-02-05"));  // from a string
  EXPECT_EQ(s.dates.expiry, D("2026-02-05"));
  EXPECT_EQ(s.dates.original_expiry, D("2021-02-05"));
  EXPECT_FALSE(s.dates.ended.has_value());
  EXPECT_EQ(s.dates.ended_reason, "");
  EXPECT_EQ(s.dates.withdrawal_notice_months, 3);  // via param:

  ASSERT_EQ(s.parameters.size(), 4u);
  const Parameter& notice = s.parameters[0];
  EXPECT_EQ(notice.name, "withdrawal_notice_months");
  EXPECT_EQ(notice.value, 3);
  EXPECT_EQ(notice.unit, "months");
  EXPECT_FALSE(notice.is_public);
  EXPECT_EQ(notice.source, "assumed");
  EXPECT_EQ(notice.note, "Article XIV not read");
  EXPECT_TRUE(s.FindParameter("arrival_hours")->is_public);
  EXPECT_EQ(s.FindParameter("bomber_weight")->unit, "");

  ASSERT_EQ(s.parties.size(), 2u);
  EXPECT_EQ(s.parties[0].code, "US");
  EXPECT_EQ(s.parties[0].name, "United States of America");
  EXPECT_EQ(s.parties[1].code, "RU");

  ASSERT_EQ(s.statuses.size(), 2u);
  EXPECT_EQ(s.statuses[0].id, "deployed");
  EXPECT_EQ(s.statuses[0].name, "Deployed");
  EXPECT_EQ(s.statuses[1].description, "Not deployed.");

  ASSERT_EQ(s.categories.size(), 2u);
  const Category& icbm = s.categories[0];
  EXPECT_EQ(icbm.id, "icbm");
  EXPECT_EQ(icbm.name, "ICBM");
  EXPECT_TRUE(icbm.carries_warheads);
  EXPECT_TRUE(icbm.unique_identifier);
  EXPECT_EQ(icbm.source, "Art. III");
  ASSERT_EQ(icbm.attributes.size(), 2u);
  EXPECT_EQ(icbm.attributes[0].name, "range_km");
  EXPECT_EQ(icbm.attributes[0].type, ValueType::kInteger);
  EXPECT_TRUE(icbm.attributes[0].required);
  EXPECT_EQ(icbm.attributes[0].description, "maximum range");
  EXPECT_EQ(icbm.attributes[1].type, ValueType::kString);
  EXPECT_FALSE(icbm.attributes[1].required);
  EXPECT_FALSE(s.categories[1].carries_warheads);
  EXPECT_FALSE(s.categories[1].unique_identifier);

  ASSERT_EQ(s.limits.size(), 2u);
  const Limit& dw = s.limits[0];
  EXPECT_EQ(dw.id, "deployed_warheads");
  EXPECT_EQ(dw.name, "Deployed warheads");
  EXPECT_EQ(dw.article, "Art. II 1(b)");
  EXPECT_EQ(dw.max, 1550);
  EXPECT_FALSE(dw.min.has_value());
  EXPECT_EQ(dw.effective, D("2018-02-05"));
  EXPECT_FALSE(dw.until.has_value());
  EXPECT_TRUE(dw.parties.empty());
  EXPECT_EQ(dw.source, "Art. II");
  EXPECT_EQ(dw.location.file, "specs/mini.toml");
  EXPECT_EQ(dw.location.line, LineOf(kMini, "[[limits]]"));
  ASSERT_EQ(dw.terms.size(), 2u);
  EXPECT_EQ(dw.terms[0].category, "icbm");
  EXPECT_EQ(dw.terms[0].statuses, std::vector<std::string>{"deployed"});
  EXPECT_EQ(dw.terms[0].weight.kind, Weight::Kind::kWarheads);
  EXPECT_EQ(dw.terms[0].location.line,
            LineOf(kMini, "{ category = \"icbm\", status = [\"deployed\"]"));
  EXPECT_EQ(dw.terms[0].location.column, 3);
  EXPECT_EQ(dw.terms[1].weight.kind, Weight::Kind::kConstant);
  EXPECT_EQ(dw.terms[1].weight.constant, 1);
  EXPECT_FALSE(dw.terms[1].first.has_value());

  const Limit& at = s.limits[1];
  EXPECT_EQ(at.min, 10);
  EXPECT_EQ(at.max, 800);
  EXPECT_EQ(at.effective, D("2012-01-01"));
  EXPECT_EQ(at.until, D("2020-01-01"));
  EXPECT_EQ(at.parties, std::vector<std::string>{"US"});
  EXPECT_EQ(at.note, "for tests");
  ASSERT_EQ(at.terms.size(), 2u);
  const Term& t0 = at.terms[0];
  EXPECT_EQ(t0.statuses,
            (std::vector<std::string>{"deployed", "non_deployed"}));
  EXPECT_EQ(t0.parties, std::vector<std::string>{"RU"});
  EXPECT_EQ(t0.types, std::vector<std::string>{"RS-24"});
  ASSERT_EQ(t0.where.size(), 2u);
  EXPECT_EQ(t0.where[0].attribute, "range_km");
  EXPECT_FALSE(t0.where[0].equals.has_value());
  EXPECT_EQ(t0.where[0].min, 500);
  EXPECT_EQ(t0.where[0].max, 5500);
  EXPECT_EQ(t0.where[1].attribute, "armament");
  EXPECT_EQ(t0.where[1].equals, "mirv");
  EXPECT_EQ(t0.weight.kind, Weight::Kind::kAttribute);
  EXPECT_EQ(t0.weight.attribute, "range_km");
  const Term& t1 = at.terms[1];
  EXPECT_EQ(t1.weight.kind, Weight::Kind::kConstant);
  EXPECT_EQ(t1.weight.constant, 10);  // param:bomber_weight
  EXPECT_EQ(t1.first, 150);
  ASSERT_TRUE(t1.then.has_value());
  EXPECT_EQ(t1.then->kind, Weight::Kind::kOne);

  ASSERT_EQ(s.notifications.size(), 3u);
  const NotificationType& n1 = s.notifications[0];
  EXPECT_EQ(n1.code, "MINI-1");
  EXPECT_EQ(n1.name, "Change in data");
  EXPECT_EQ(n1.reference, "Part Four, Sec. I");
  EXPECT_EQ(n1.source, "Protocol");
  EXPECT_EQ(n1.note, "n");
  ASSERT_TRUE(n1.deadline.has_value());
  EXPECT_EQ(n1.deadline->ToString(), "within 5 days after event");
  EXPECT_EQ(n1.deadline->text, "within 5 days after event");
  ASSERT_EQ(n1.fields.size(), 3u);
  EXPECT_EQ(n1.fields[0].name, "item");
  EXPECT_EQ(n1.fields[0].type, ValueType::kIdentifier);
  EXPECT_TRUE(n1.fields[0].required);
  EXPECT_EQ(n1.fields[1].type, ValueType::kEnum);
  EXPECT_EQ(n1.fields[1].values,
            (std::vector<std::string>{"added", "removed"}));
  EXPECT_EQ(n1.fields[1].description, "what changed");
  EXPECT_FALSE(n1.fields[2].required);
  const DeadlineRule& update = *s.notifications[1].deadline;
  EXPECT_EQ(update.anchor, DeadlineRule::Anchor::kPeriodEnd);
  EXPECT_EQ(update.period_months, 6);
  EXPECT_EQ(update.amount, 30);
  const DeadlineRule& arrival = *s.notifications[2].deadline;
  EXPECT_EQ(arrival.direction, DeadlineRule::Direction::kBefore);
  EXPECT_EQ(arrival.amount, 16);
  EXPECT_EQ(arrival.parameter, "arrival_hours");

  ASSERT_TRUE(s.data_exchange.has_value());
  EXPECT_EQ(s.data_exchange->first_period_start, D("2011-03-01"));
  EXPECT_EQ(s.data_exchange->period_months, 6);
  EXPECT_EQ(s.data_exchange->source, "Part Four");

  EXPECT_TRUE(s.inspections.one_at_a_time);
  ASSERT_EQ(s.inspections.types.size(), 2u);
  const InspectionType& one = s.inspections.types[0];
  EXPECT_EQ(one.id, "type_one");
  EXPECT_EQ(one.name, "Type One");
  EXPECT_EQ(one.annual_quota, 10);
  EXPECT_EQ(one.quota_year, QuotaYear::kTreatyYear);
  EXPECT_EQ(one.not_before_days_after_entry_into_force, 0);
  EXPECT_TRUE(one.reentry_vehicle_count);
  EXPECT_EQ(one.purpose, "confirm");
  EXPECT_EQ(one.source, "Art. XI");
  const InspectionType& two = s.inspections.types[1];
  EXPECT_EQ(two.annual_quota, 8);
  EXPECT_EQ(two.quota_year, QuotaYear::kCalendarYear);
  EXPECT_EQ(two.not_before_days_after_entry_into_force, 60);
  EXPECT_FALSE(two.reentry_vehicle_count);

  ASSERT_TRUE(s.commission.has_value());
  EXPECT_EQ(s.commission->name, "Bilateral Consultative Commission");
  EXPECT_EQ(s.commission->min_sessions_per_year, 2);
  EXPECT_FALSE(s.commission->agreed_agenda_required);
  EXPECT_TRUE(s.commission->confidential);
  EXPECT_EQ(s.commission->outcome_kinds,
            (std::vector<std::string>{"agreement", "decision"}));
  EXPECT_EQ(s.commission->source, "Art. XII");
}

TEST(LoaderTest, OptionalSectionsMayBeOmitted) {
  constexpr std::string_view kBare = R"toml([treaty]
id = "bare"
name = "Bare"
short_name = "B"
hypothetical = true
verification = false

[dates]
signature = 2002-05-24
entry_into_force = 2003-06-01
expiry = 2012-12-31
ended = 2011-02-05
ended_reason = "superseded by New START"

[[parties]]
code = "US"
name = "United States"

[[parties]]
code = "RU"
name = "Russia"
)toml";
  Result<Spec> s = LoadSpecString(kBare, "bare.toml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->hypothetical);
  EXPECT_FALSE(s->verification);
  EXPECT_EQ(s->dates.ended, D("2011-02-05"));
  EXPECT_EQ(s->dates.ended_reason, "superseded by New START");
  EXPECT_EQ(s->End(), D("2011-02-05"));
  EXPECT_FALSE(s->data_exchange.has_value());
  EXPECT_FALSE(s->commission.has_value());
  EXPECT_FALSE(s->dates.withdrawal_notice_months.has_value());
  EXPECT_TRUE(s->limits.empty());
}

// ---------------------------------------------------------------------------
// Malformed specs: one mistake each.

TEST(LoaderErrorTest, MissingRequiredKeyIsReportedAtItsTable) {
  std::string text = Edit("short_name = \"MINI\"\n", "");
  ExpectOneError(text, LineOf(text, "[treaty]"), "treaty.short_name",
                 "required key 'short_name' is missing");
}

TEST(LoaderErrorTest, MissingRequiredSection) {
  std::string text = Edit("[dates]", "[dated]");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 2u) << Dump(errors);
  // The missing table is reported at the document, the stray one where it is.
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_EQ(errors[0].key, "dates");
  EXPECT_EQ(errors[0].message, "required key 'dates' is missing");
  EXPECT_EQ(errors[1].line, LineOf(text, "[dated]"));
  EXPECT_EQ(errors[1].key, "dated");
  EXPECT_THAT(errors[1].message,
              HasSubstr("unknown key 'dated' (did you mean 'dates'?"));
}

TEST(LoaderErrorTest, WrongType) {
  std::string text = Edit("max = 1550", "max = \"1550\"");
  ExpectOneError(text, LineOf(text, "max = \"1550\""), "limits[0].max",
                 "expected an integer or 'param:NAME', found a string '1550'");
}

TEST(LoaderErrorTest, WrongTypeForBoolean) {
  std::string text = Edit("verification = true", "verification = \"yes\"");
  ExpectOneError(text, LineOf(text, "verification"), "treaty.verification",
                 "expected a boolean (true or false), found a string");
}

TEST(LoaderErrorTest, UnknownCategoryInTerm) {
  std::string text = Edit(
      "{ category = \"icbm\", status = [\"deployed\"], "
      "weight = \"warheads\" }",
      "{ category = \"icbms\", status = [\"deployed\"], "
      "weight = \"warheads\" }");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "\"icbms\""));
  EXPECT_EQ(errors[0].column, ColumnOf(text, "\"icbms\""));
  EXPECT_EQ(errors[0].key, "limits[0].terms[0].category");
  EXPECT_EQ(errors[0].message,
            "unknown category 'icbms' (declared: icbm, heavy_bomber)");
  EXPECT_EQ(errors[0].ToString(),
            "specs/mini.toml:" + std::to_string(errors[0].line) + ":" +
                std::to_string(errors[0].column) +
                ": limits[0].terms[0].category: unknown category 'icbms' "
                "(declared: icbm, heavy_bomber)");
}

TEST(LoaderErrorTest, UnknownStatusInTerm) {
  std::string text = Edit(
      "{ category = \"heavy_bomber\", status = [\"deployed\"], weight = 1 }",
      "{ category = \"heavy_bomber\", status = [\"deploy\"], weight = 1 }");
  ExpectOneError(text, LineOf(text, "\"deploy\""),
                 "limits[0].terms[1].status[0]",
                 "unknown status 'deploy' (declared: deployed, non_deployed)");
}

TEST(LoaderErrorTest, EmptyStatusList) {
  std::string text = Edit(
      "{ category = \"heavy_bomber\", status = [\"deployed\"], weight = 1 }",
      "{ category = \"heavy_bomber\", status = [], weight = 1 }");
  ExpectOneError(text, LineOf(text, "status = []"), "limits[0].terms[1].status",
                 "must not be empty");
}

TEST(LoaderErrorTest, NegativeLimit) {
  std::string text = Edit("max = 1550", "max = -5");
  ExpectOneError(text, LineOf(text, "max = -5"), "limits[0].max",
                 "must not be negative (got -5)");
}

TEST(LoaderErrorTest, LimitWithNeitherMaxNorMin) {
  std::string text = Edit("max = 1550\n", "");
  ExpectOneError(text, LineOf(text, "[[limits]]"), "limits[0]",
                 "a limit needs 'max', 'min' or both");
}

TEST(LoaderErrorTest, MinGreaterThanMax) {
  std::string text = Edit("min = 10", "min = 900");
  ExpectOneError(text, LineOf(text, "min = 900"), "limits[1].min",
                 "min 900 is greater than max 800");
}

TEST(LoaderErrorTest, EffectiveDateBeforeEntryIntoForce) {
  std::string text = Edit("effective = 2018-02-05", "effective = 2010-01-01");
  ExpectOneError(text, LineOf(text, "effective = 2010"), "limits[0].effective",
                 "effective date 2010-01-01 is before entry into force "
                 "(2011-02-05)");
}

TEST(LoaderErrorTest, UntilNotAfterEffective) {
  std::string text = Edit("until = 2020-01-01", "until = 2011-06-01");
  ExpectOneError(text, LineOf(text, "until ="), "limits[1].until",
                 "until 2011-06-01 is not after the effective date "
                 "(2012-01-01)");
}

TEST(LoaderErrorTest, DuplicateNotificationCode) {
  std::string text = Edit("code = \"MINI-3\"", "code = \"MINI-1\"");
  int line = LineOf(text, "name = \"Arrival\"") - 1;
  ExpectOneError(text, line, "notifications[2].code",
                 "notification code 'MINI-1' listed twice");
}

TEST(LoaderErrorTest, InvalidNotificationCode) {
  std::string text = Edit("code = \"MINI-2\"", "code = \"mini_2\"");
  ExpectOneError(text, LineOf(text, "mini_2"), "notifications[1].code",
                 "'mini_2' is not a valid notification code");
}

TEST(LoaderErrorTest, DateThatIsNotOnTheCalendar) {
  std::string text = Edit("entry_into_force = \"2011-02-05\"",
                          "entry_into_force = \"2011-02-30\"");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "2011-02-30"));
  EXPECT_EQ(errors[0].column, ColumnOf(text, "\"2011-02-30\""));
  EXPECT_EQ(errors[0].key, "dates.entry_into_force");
  EXPECT_EQ(errors[0].message, "2011-02-30 is not a day of the calendar");
}

TEST(LoaderErrorTest, MalformedDateString) {
  std::string text = Edit("until = 2020-01-01", "until = \"1 Jan 2020\"");
  ExpectOneError(text, LineOf(text, "1 Jan 2020"), "limits[1].until",
                 "'1 Jan 2020' is not a date of the form YYYY-MM-DD");
}

TEST(LoaderErrorTest, DateTimeWhereADateIsExpected) {
  std::string text =
      Edit("signature = 2010-04-08", "signature = 2010-04-08T10:00:00Z");
  ExpectOneError(text, LineOf(text, "signature"), "dates.signature",
                 "expected a date (YYYY-MM-DD), found a date-time");
}

TEST(LoaderErrorTest, EntryIntoForceBeforeSignature) {
  std::string text = Edit("signature = 2010-04-08", "signature = 2011-04-08");
  ExpectOneError(text, LineOf(text, "entry_into_force"),
                 "dates.entry_into_force",
                 "entry into force 2011-02-05 is before signature "
                 "(2011-04-08)");
}

TEST(LoaderErrorTest, ExpiryNotAfterEntryIntoForce) {
  std::string text = Edit("expiry = 2026-02-05", "expiry = 2011-02-05");
  ExpectOneError(text, LineOf(text, "expiry = 2011"), "dates.expiry",
                 "expiry 2011-02-05 is not after entry into force "
                 "(2011-02-05)");
}

TEST(LoaderErrorTest, EndedNeedsAReason) {
  std::string text = Edit("original_expiry = 2021-02-05",
                          "original_expiry = 2021-02-05\nended = 2019-01-01");
  ExpectOneError(text, LineOf(text, "[dates]"), "dates.ended_reason",
                 "required key 'ended_reason' is missing (needed with "
                 "'ended')");
}

TEST(LoaderErrorTest, UnknownDeadlineRule) {
  std::string text = Edit("deadline = \"within 5 days after event\"",
                          "deadline = \"promptly after event\"");
  ExpectOneError(text, LineOf(text, "promptly"), "notifications[0].deadline",
                 "unexpected 'promptly' (expected 'within', 'no later than', "
                 "'at least' or 'no less than')");
}

TEST(LoaderErrorTest, DeadlineWithUnknownParameter) {
  std::string text = Edit("param:arrival_hours hours", "param:arrival hours");
  ExpectOneError(text, LineOf(text, "param:arrival hours"),
                 "notifications[2].deadline",
                 "unknown parameter 'arrival' (declared: "
                 "withdrawal_notice_months, arrival_hours, bomber_weight, "
                 "type_two_quota)");
}

TEST(LoaderErrorTest, DeadlineOnAPeriodWithoutDataExchange) {
  std::string text = Edit(
      "[data_exchange]\nfirst_period_start = 2011-03-01\nperiod_months = 6\n"
      "source = \"Part Four\"\n",
      "");
  ExpectOneError(text, LineOf(text, "each six-month period"),
                 "notifications[1].deadline",
                 "the deadline refers to the end of a period but the spec has "
                 "no [data_exchange]");
}

TEST(LoaderErrorTest, DeadlinePeriodMustMatchDataExchange) {
  std::string text = Edit("period_months = 6", "period_months = 12");
  ExpectOneError(text, LineOf(text, "each six-month period"),
                 "notifications[1].deadline",
                 "the deadline names a 6-month period but [data_exchange] "
                 "period_months is 12");
}

TEST(LoaderErrorTest, PeriodMonthsOutOfRange) {
  std::string text = Edit("period_months = 6", "period_months = 13");
  ExpectOneError(text, LineOf(text, "period_months = 13"),
                 "data_exchange.period_months", "must be at most 12 (got 13)");
}

TEST(LoaderErrorTest, UnknownTermWeight) {
  std::string text = Edit("weight = 1 }", "weight = \"double\" }");
  ExpectOneError(text, LineOf(text, "\"double\""), "limits[0].terms[1].weight",
                 "unknown weight 'double' (expected one, warheads, an "
                 "integer, param:NAME or attribute:NAME)");
}

TEST(LoaderErrorTest, WarheadsWeightOnACategoryWithoutWarheads) {
  std::string text = Edit("weight = 1 }", "weight = \"warheads\" }");
  ExpectOneError(text,
                 LineOf(text,
                        "heavy_bomber\", status = [\"deployed\"], "
                        "weight = \"warheads\""),
                 "limits[0].terms[1].weight",
                 "weight 'warheads' needs a category that carries warheads; "
                 "category 'heavy_bomber' does not");
}

TEST(LoaderErrorTest, AttributeWeightNeedsAnIntegerAttribute) {
  std::string text = Edit("weight = \"attribute:range_km\"",
                          "weight = \"attribute:armament\"");
  ExpectOneError(text, LineOf(text, "attribute:armament"),
                 "limits[1].terms[0].weight",
                 "weight attribute 'armament' is of type string; a weight "
                 "needs an integer attribute");
}

TEST(LoaderErrorTest, PartyListedTwice) {
  std::string text = Edit("code = \"RU\"", "code = \"US\"");
  std::vector<SpecError> errors = Errors(text);
  // The duplicate, and RU (now undeclared) referred to by a term.
  ASSERT_EQ(errors.size(), 2u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "name = \"Russian Federation\"") - 1);
  EXPECT_EQ(errors[0].key, "parties[1].code");
  EXPECT_EQ(errors[0].message, "party 'US' listed twice");
  EXPECT_EQ(errors[1].key, "limits[1].terms[0].parties[0]");
  EXPECT_EQ(errors[1].message, "unknown party 'RU' (declared: US)");
}

TEST(LoaderErrorTest, OnlyOneParty) {
  std::string text =
      Edit("[[parties]]\ncode = \"RU\"\nname = \"Russian Federation\"\n", "");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 2u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "[[parties]]"));
  EXPECT_EQ(errors[0].key, "parties");
  EXPECT_EQ(errors[0].message, "a treaty needs at least two parties, found 1");
  EXPECT_EQ(errors[1].line, LineOf(text, "parties = [\"RU\"]"));
  EXPECT_EQ(errors[1].message, "unknown party 'RU' (declared: US)");
}

TEST(LoaderErrorTest, InvalidPartyCode) {
  std::string text = Edit("code = \"RU\"", "code = \"Ru\"");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "parties[1].code");
  EXPECT_THAT(errors[0].message,
              HasSubstr("'Ru' is not a valid party code (expected upper-case "
                        "letters and digits: [A-Z][A-Z0-9]*)"));
}

TEST(LoaderErrorTest, UnknownKeyWithSuggestion) {
  std::string text = Edit("article = ", "artcle = ");
  ExpectOneError(text, LineOf(text, "artcle"), "limits[0].artcle",
                 "unknown key 'artcle' (did you mean 'article'? allowed: id, "
                 "name, article, max, min, effective, until, parties, terms, "
                 "source, note)");
}

TEST(LoaderErrorTest, UnknownKeyWithoutNearMiss) {
  std::string text = Edit("source = \"Art. III\"", "colour = \"green\"");
  ExpectOneError(text, LineOf(text, "colour"), "categories[0].colour",
                 "unknown key 'colour' (allowed: id, name, carries_warheads, "
                 "unique_identifier, attributes, source)");
}

TEST(LoaderErrorTest, UnknownParameterReference) {
  std::string text = Edit("\"param:type_two_quota\"", "\"param:type_3_quota\"");
  ExpectOneError(text, LineOf(text, "type_3_quota"),
                 "inspections.types[1].annual_quota",
                 "unknown parameter 'type_3_quota' (declared: "
                 "withdrawal_notice_months, arrival_hours, bomber_weight, "
                 "type_two_quota)");
}

TEST(LoaderErrorTest, ParameterNeedsValueAndPublic) {
  std::string text = Edit("bomber_weight = { value = 10, public = true }",
                          "bomber_weight = { value = 10 }");
  ExpectOneError(text, LineOf(text, "bomber_weight ="),
                 "parameters.bomber_weight.public",
                 "required key 'public' is missing");
  std::string text2 =
      Edit("bomber_weight = { value = 10, public = true }",
           "bomber_weight = { value = \"ten\", public = true }");
  ExpectOneError(text2, LineOf(text2, "bomber_weight ="),
                 "parameters.bomber_weight.value",
                 "expected an integer, found a string");
}

TEST(LoaderErrorTest, TreatyIdMustEqualFileStem) {
  std::string text = Edit("id = \"mini\"", "id = \"maxi\"");
  ExpectOneError(text, LineOf(text, "\"maxi\""), "treaty.id",
                 "id 'maxi' does not match the file name (expected 'mini')");
}

TEST(LoaderErrorTest, TomlSyntaxError) {
  std::string text =
      Edit("name = \"Deployed warheads\"", "name = \"Deployed warheads");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "\"Deployed warheads"));
  EXPECT_EQ(errors[0].key, "");
  EXPECT_FALSE(errors[0].message.empty());
  EXPECT_THAT(
      errors[0].ToString(),
      HasSubstr("specs/mini.toml:" + std::to_string(errors[0].line) + ":"));
}

TEST(LoaderErrorTest, ImpossibleTomlDateIsASyntaxError) {
  std::string text = Edit("signature = 2010-04-08", "signature = 2011-02-30");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].line, LineOf(text, "2011-02-30"));
  EXPECT_THAT(errors[0].message, HasSubstr("30"));
}

TEST(LoaderErrorTest, ConditionOnUndeclaredAttribute) {
  std::string text = Edit("armament = \"mirv\"", "stages = 3");
  ExpectOneError(text, LineOf(text, "stages = 3"),
                 "limits[1].terms[0].where.stages",
                 "unknown attribute 'stages' in category 'icbm' (declared: "
                 "range_km, armament)");
}

TEST(LoaderErrorTest, ConditionTypeMustMatchAttribute) {
  std::string text = Edit("armament = \"mirv\"", "armament = 3");
  ExpectOneError(text, LineOf(text, "armament = 3"),
                 "limits[1].terms[0].where.armament",
                 "attribute 'armament' is of type string; it cannot equal an "
                 "integer");
  std::string text2 = Edit("range_km = [500, 5500]", "range_km = [5500, 500]");
  ExpectOneError(text2, LineOf(text2, "[5500, 500]"),
                 "limits[1].terms[0].where.range_km",
                 "range [5500, 500] is empty (min > max)");
}

TEST(LoaderErrorTest, ThenWithoutFirst) {
  std::string text = Edit("first = 150, then = \"one\"", "then = \"one\"");
  ExpectOneError(text, LineOf(text, "then = \"one\""),
                 "limits[1].terms[1].then",
                 "'then' is only allowed with 'first'");
}

TEST(LoaderErrorTest, EmptyTerms) {
  std::string text = Edit("parties = [\"US\"]\nterms = [",
                          "parties = [\"US\"]\nterms = []\nold_terms = [");
  std::vector<SpecError> errors = Errors(text);
  ASSERT_EQ(errors.size(), 2u) << Dump(errors);
  EXPECT_EQ(errors[0].key, "limits[1].terms");
  EXPECT_EQ(errors[0].message, "a limit needs at least one term");
  EXPECT_EQ(errors[1].key, "limits[1].old_terms");
}

TEST(LoaderErrorTest, EnumFieldNeedsValues) {
  std::string text =
      Edit("type = \"enum\", values = [\"added\", \"removed\"], ",
           "type = \"enum\", ");
  ExpectOneError(text, LineOf(text, "{ name = \"change\""),
                 "notifications[0].fields[1].values",
                 "an enum field needs a non-empty 'values' list");
}

TEST(LoaderErrorTest, ValuesOnlyForEnumFields) {
  std::string text = Edit("{ name = \"item\", type = \"identifier\" }",
                          "{ name = \"item\", type = \"identifier\", values = "
                          "[\"a\"] }");
  ExpectOneError(text, LineOf(text, "values = [\"a\"]"),
                 "notifications[0].fields[0].values",
                 "'values' is only for enum fields (this one is identifier)");
}

TEST(LoaderErrorTest, DuplicateFieldName) {
  std::string text = Edit("{ name = \"remark\"", "{ name = \"item\"");
  ExpectOneError(text, LineOf(text, "{ name = \"item\", type = \"text\""),
                 "notifications[0].fields[2].name",
                 "field 'item' listed twice");
}

TEST(LoaderErrorTest, UnknownValueType) {
  std::string text = Edit("type = \"identifier\"", "type = \"identifer\"");
  ExpectOneError(text, LineOf(text, "identifer"),
                 "notifications[0].fields[0].type",
                 "unknown value type 'identifer' (expected integer, string, "
                 "boolean, date, instant, identifier, party, category, "
                 "status, facility, enum, item_list, totals, text)");
}

TEST(LoaderErrorTest, UnknownQuotaYear) {
  std::string text =
      Edit("quota_year = \"treaty_year\"", "quota_year = \"fiscal_year\"");
  ExpectOneError(text, LineOf(text, "fiscal_year"),
                 "inspections.types[0].quota_year",
                 "unknown quota_year 'fiscal_year' (expected treaty_year or "
                 "calendar_year)");
}

TEST(LoaderErrorTest, DuplicateCategoryAndInvalidId) {
  std::string text = Edit("id = \"heavy_bomber\"", "id = \"icbm\"");
  std::vector<SpecError> dup = Errors(text);
  // The duplicate, and the two terms that use heavy_bomber, now undeclared.
  ASSERT_EQ(dup.size(), 3u) << Dump(dup);
  EXPECT_EQ(dup[0].line, LineOf(text, "name = \"Heavy bomber\"") - 1);
  EXPECT_EQ(dup[0].key, "categories[1].id");
  EXPECT_EQ(dup[0].message, "category 'icbm' listed twice");
  EXPECT_EQ(dup[1].key, "limits[0].terms[1].category");
  EXPECT_EQ(dup[1].message, "unknown category 'heavy_bomber' (declared: icbm)");
  EXPECT_EQ(dup[2].key, "limits[1].terms[1].category");
  std::string text2 = Edit("id = \"non_deployed\"", "id = \"Non-Deployed\"");
  std::vector<SpecError> errors = Errors(text2);
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "statuses[1].id");
  EXPECT_THAT(errors[0].message, HasSubstr("'Non-Deployed' is not a valid id"));
}

// One file with several independent mistakes: all are reported in one run,
// in file order, although the loader reads sections in another order.
TEST(LoaderErrorTest, ReportsEveryErrorInFileOrder) {
  std::string text = std::string(kMini);
  text = Edit("short_name = \"MINI\"", "shortname = \"MINI\"", text);
  text = Edit("signature = 2010-04-08", "signature = \"2010-04-31\"", text);
  text = Edit("{ value = 3, unit", "{ value = 3, units", text);
  text =
      Edit("id = \"icbm\"\nname = \"ICBM\"", "id = \"icbm\"\nname = 7", text);
  text = Edit("max = 1550", "max = -1", text);
  text = Edit("status = [\"deployed\", \"non_deployed\"]",
              "status = [\"deployed\", \"retired\"]", text);
  text = Edit("first = 150, then", "then", text);
  text = Edit("after event\"", "after evnt\"", text);
  text = Edit("annual_quota = 10", "annual_quota = \"param:nope\"", text);
  text = Edit("min_sessions_per_year = 2", "min_sessions_per_year = 2.5", text);

  std::vector<SpecError> errors = Errors(text);
  struct Want {
    int line;
    std::string key;
    std::string message;
  };
  const std::vector<Want> want = {
      {LineOf(text, "[treaty]"), "treaty.short_name",
       "required key 'short_name' is missing"},
      {LineOf(text, "shortname"), "treaty.shortname",
       "unknown key 'shortname' (did you mean 'short_name'?"},
      {LineOf(text, "2010-04-31"), "dates.signature",
       "2010-04-31 is not a day of the calendar"},
      {LineOf(text, "units"), "parameters.withdrawal_notice_months.units",
       "unknown key 'units' (did you mean 'unit'?"},
      {LineOf(text, "name = 7"), "categories[0].name",
       "expected a string, found an integer"},
      {LineOf(text, "max = -1"), "limits[0].max",
       "must not be negative (got -1)"},
      {LineOf(text, "\"retired\""), "limits[1].terms[0].status[1]",
       "unknown status 'retired'"},
      {LineOf(text, "then = \"one\""), "limits[1].terms[1].then",
       "'then' is only allowed with 'first'"},
      {LineOf(text, "evnt"), "notifications[0].deadline", "unexpected 'evnt'"},
      {LineOf(text, "param:nope"), "inspections.types[0].annual_quota",
       "unknown parameter 'nope'"},
      {LineOf(text, "2.5"), "commission.min_sessions_per_year",
       "expected an integer or 'param:NAME', found a floating-point number"},
  };
  ASSERT_EQ(errors.size(), want.size()) << Dump(errors);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(errors[i].line, want[i].line) << i << "\n" << Dump(errors);
    EXPECT_EQ(errors[i].key, want[i].key) << i << "\n" << Dump(errors);
    EXPECT_THAT(errors[i].message, HasSubstr(want[i].message)) << i << "\n"
                                                               << Dump(errors);
  }
}

// ---------------------------------------------------------------------------
// Files.

class LoadSpecFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("loader_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view text) {
    std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  std::filesystem::path dir_;
};

TEST_F(LoadSpecFileTest, LoadsAFileAndRecordsItsPath) {
  std::string path = Write("mini.toml", kMini);
  Result<Spec> s = LoadSpecFile(path);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->id, "mini");
  EXPECT_EQ(s->source_file, path);
}

TEST_F(LoadSpecFileTest, ErrorsNameTheFile) {
  std::string path = Write("other.toml", kMini);  // id "mini" != "other"
  std::vector<SpecError> errors;
  Result<Spec> s = LoadSpecFile(path, &errors);
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, path);
  EXPECT_EQ(std::string(s.status().message()),
            path +
                ":3:6: treaty.id: id 'mini' does not match the file name "
                "(expected 'other')");
}

TEST_F(LoadSpecFileTest, MissingFileIsNotFound) {
  std::string path = (dir_ / "absent.toml").string();
  std::vector<SpecError> errors{SpecError{}};
  Result<Spec> s = LoadSpecFile(path, &errors);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr(path));
  EXPECT_TRUE(errors.empty());
}

TEST_F(LoadSpecFileTest, DirectoryIsAnIOError) {
  Result<Spec> s = LoadSpecFile(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIOError);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr(dir_.string()));
}

TEST(SpecErrorTest, ToStringWithAndWithoutKey) {
  EXPECT_EQ((SpecError{"a.toml", 41, 9, "limits[1].terms[0].category",
                       "unknown category 'icbms'"})
                .ToString(),
            "a.toml:41:9: limits[1].terms[0].category: unknown category "
            "'icbms'");
  EXPECT_EQ((SpecError{"a.toml", 2, 5, "", "syntax"}).ToString(),
            "a.toml:2:5: syntax");
}

}  // namespace
}  // namespace detente::treaty
