#include "detente/inspection/messages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/inspection/inspection_testing.h"

namespace detente::inspection {
namespace {

using ::testing::HasSubstr;
using testutil::FollowOn3p;
using testutil::NewStart;

TEST(InspectionMessagesTest, KindsBySuffix) {
  EXPECT_EQ(KindOf("NST-INSP-REQUEST"), MessageKind::kRequest);
  EXPECT_EQ(KindOf("TRI-INSP-ARRIVAL"), MessageKind::kArrival);
  EXPECT_EQ(KindOf("NST-INSP-COMPLETE"), MessageKind::kComplete);
  EXPECT_EQ(KindOf("NST-INSP-RV-COMMIT"), MessageKind::kRvCommit);
  EXPECT_EQ(KindOf("NST-INSP-RV-RANDOM"), MessageKind::kRvRandom);
  EXPECT_EQ(KindOf("NST-INSP-RV-REVEAL"), MessageKind::kRvReveal);
  EXPECT_EQ(KindOf("NST-INSP-FLIGHT-PLAN"), MessageKind::kNone);
  EXPECT_EQ(KindOf("NST-RV-CHANGE"), MessageKind::kNone);
  EXPECT_EQ(KindOf("-INSP-REQUEST"), MessageKind::kNone);  // suffix only
  for (MessageKind k : AllMessageKinds()) {
    EXPECT_EQ(KindOf("X" + std::string(SuffixOf(k))), k);
  }
}

TEST(InspectionMessagesTest, BundledCataloguesCarryEveryKind) {
  for (const treaty::Spec* spec : {&NewStart(), &FollowOn3p()}) {
    EXPECT_TRUE(CheckCatalogue(*spec).ok()) << CheckCatalogue(*spec);
    for (MessageKind k : AllMessageKinds()) {
      EXPECT_NE(testutil::CodeFor(*spec, k), "")
          << spec->id << " lacks " << SuffixOf(k);
    }
  }
}

TEST(InspectionMessagesTest, CheckCatalogueNamesWhatIsWrong) {
  auto field = [](treaty::Spec& s, const char* code,
                  const char* name) -> treaty::Field* {
    for (treaty::NotificationType& t : s.notifications) {
      if (t.code != code) continue;
      for (treaty::Field& f : t.fields) {
        if (f.name == name) return &f;
      }
    }
    return nullptr;
  };
  {
    treaty::Spec s = NewStart();
    field(s, "NST-INSP-RV-COMMIT", "commitment")->type =
        treaty::ValueType::kInteger;
    EXPECT_THAT(std::string(CheckCatalogue(s).message()),
                HasSubstr("NST-INSP-RV-COMMIT: field 'commitment' is integer, "
                          "the inspection fold reads it as string"));
  }
  {
    treaty::Spec s = NewStart();
    field(s, "NST-INSP-ARRIVAL", "facility")->name = "site";
    EXPECT_THAT(std::string(CheckCatalogue(s).message()),
                HasSubstr("NST-INSP-ARRIVAL: -INSP-ARRIVAL message has no "
                          "field 'facility'"));
  }
  {
    treaty::Spec s = NewStart();
    field(s, "NST-INSP-COMPLETE", "inspection")->required = false;
    EXPECT_THAT(std::string(CheckCatalogue(s).message()),
                HasSubstr("NST-INSP-COMPLETE: field 'inspection' must be "
                          "required"));
  }
  {
    treaty::Spec s = NewStart();
    s.inspections.types.clear();
    EXPECT_THAT(std::string(CheckCatalogue(s).message()),
                HasSubstr("declares no [[inspections.types]]"));
  }
}

}  // namespace
}  // namespace detente::inspection
