#include "detente/treaty/message_fields.h"

#include <gtest/gtest.h>

namespace detente::treaty {
namespace {

enum class Kind { kNone, kPostpone, kSessionPostpone };

// A longer suffix that ends with a shorter one must come first.
constexpr KindSuffix<Kind> kTable[] = {
    {Kind::kSessionPostpone, "-SESSION-POSTPONE"},
    {Kind::kPostpone, "-POSTPONE"},
};

TEST(MessageFieldsTest, KindsAreFoundBySuffixInTableOrder) {
  EXPECT_EQ(KindBySuffix<Kind>(kTable, "NST-BCC-POSTPONE", Kind::kNone),
            Kind::kPostpone);
  EXPECT_EQ(KindBySuffix<Kind>(kTable, "NST-BCC-SESSION-POSTPONE", Kind::kNone),
            Kind::kSessionPostpone);
  EXPECT_EQ(KindBySuffix<Kind>(kTable, "NST-BCC-POSTPONED", Kind::kNone),
            Kind::kNone);
  // The suffix alone names no treaty's message.
  EXPECT_EQ(KindBySuffix<Kind>(kTable, "-POSTPONE", Kind::kNone), Kind::kNone);
  EXPECT_EQ(SuffixByKind<Kind>(kTable, Kind::kPostpone), "-POSTPONE");
  EXPECT_EQ(SuffixByKind<Kind>(kTable, Kind::kNone), "");
  EXPECT_EQ(KindsOf<Kind>(kTable),
            (std::vector<Kind>{Kind::kSessionPostpone, Kind::kPostpone}));
}

NotificationType Postpone() {
  NotificationType t;
  t.code = "NST-BCC-POSTPONE";
  t.fields = {{"session", ValueType::kString, true, {}, ""},
              {"reason", ValueType::kText, false, {}, ""}};
  return t;
}

constexpr FieldNeed kNeeds[] = {
    {"session", ValueType::kString, true},
    {"reason", ValueType::kText, false},
    {"new_dates_to_follow", ValueType::kBoolean, false},
};

TEST(MessageFieldsTest, AbsentOptionalFieldIsRefusedUnlessAllowed) {
  NotificationType t = Postpone();
  Status strict = CheckFieldNeeds(t, "-POSTPONE", kNeeds, {.reader = "fold"});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.message(),
            "NST-BCC-POSTPONE: -POSTPONE message has no field "
            "'new_dates_to_follow' (boolean), which the fold reads");
  EXPECT_TRUE(
      CheckFieldNeeds(t, "-POSTPONE", kNeeds,
                      {.reader = "fold", .optional_may_be_absent = true})
          .ok());
}

TEST(MessageFieldsTest, AbsentRequiredFieldIsAlwaysRefused) {
  NotificationType t = Postpone();
  t.fields.erase(t.fields.begin());
  Status s =
      CheckFieldNeeds(t, "-POSTPONE", kNeeds,
                      {.reader = "fold", .optional_may_be_absent = true});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no field 'session' (string)"), std::string::npos)
      << s.message();
}

TEST(MessageFieldsTest, WrongTypeAndOptionalWhereRequiredAreNamed) {
  NotificationType t = Postpone();
  t.fields[1].type = ValueType::kString;
  Status s = CheckFieldNeeds(
      t, "-POSTPONE", kNeeds,
      {.reader = "commission fold", .optional_may_be_absent = true});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "NST-BCC-POSTPONE: field 'reason' is string, the commission fold "
            "reads it as text");
  t = Postpone();
  t.fields[0].required = false;
  s = CheckFieldNeeds(t, "-POSTPONE", kNeeds,
                      {.reader = "fold", .optional_may_be_absent = true});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "NST-BCC-POSTPONE: field 'session' must be required: the fold "
            "needs it on every message");
}

}  // namespace
}  // namespace detente::treaty
