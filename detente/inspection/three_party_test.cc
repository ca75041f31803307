// The inspection fold over the hypothetical three-party follow-on: each
// party inspects either of the others, one inspection at a time on each
// territory, quotas per inspecting party.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/inspection/inspection_testing.h"
#include "detente/inspection/inspections.h"
#include "fmt/format.h"

namespace detente::inspection {
namespace {

using ::testing::HasSubstr;
using testutil::FollowOn3p;
using testutil::Hex32;
using testutil::Messages;

// The follow-on's first day on which inspections may begin (its entry into
// force plus param:inspections_start_days, both hypothetical).
std::string FirstDay() {
  const treaty::Spec& s = FollowOn3p();
  return s.dates.entry_into_force
      .AddDays(s.inspections.Find("type_one")
                   ->not_before_days_after_entry_into_force)
      .ToString();
}

TEST(InspectionThreePartyTest, OneAtATimePerTerritory) {
  const std::string d = FirstDay();
  Inspections f(FollowOn3p());
  Messages m(FollowOn3p());
  ASSERT_TRUE(
      f.Apply(m.Request("US", d + "T08:00:00Z", "A", "type_one", "RU")).ok());
  // CN inspects the US while the US inspects Russia.
  ASSERT_TRUE(
      f.Apply(m.Request("CN", d + "T09:00:00Z", "B", "type_two", "US")).ok());
  // Not Russia while the US is there.
  Status s = f.Apply(m.Request("CN", d + "T10:00:00Z", "C", "type_one", "RU"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("another inspection is in progress on RU's "
                        "territory: A (type_one by US, requested)"));
  EXPECT_EQ(f.state().inspections.at("B").inspected, "US");
}

TEST(InspectionThreePartyTest, TheInspectedPartyIsNamedAndChecked) {
  const std::string d = FirstDay();
  Inspections f(FollowOn3p());
  Messages m(FollowOn3p());
  ASSERT_TRUE(
      f.Apply(m.Request("US", d + "T08:00:00Z", "A", "type_one", "CN")).ok());
  ASSERT_TRUE(
      f.Apply(m.Arrive("US", d + "T10:00:00Z", "A", "type_one", "CN-SYN-1"))
          .ok());
  // Only CN commits.
  std::string c = testutil::CommitmentHex(FollowOn3p(), "A", "CN", "CN-SYN-1",
                                          {"CN-M1", "CN-M2"}, Hex32(9));
  Status s = f.Apply(m.Commit("RU", d + "T11:00:00Z", "A", c));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("only the inspected party (CN) sends INSP-RV-COMMIT"));
  ASSERT_TRUE(f.Apply(m.Commit("CN", d + "T11:00:00Z", "A", c)).ok());
  ASSERT_TRUE(f.Apply(m.Random("US", d + "T12:00:00Z", "A", Hex32(3))).ok());
  ASSERT_TRUE(
      f.Apply(m.Reveal("CN", d + "T13:00:00Z", "A", "CN-M1, CN-M2", Hex32(9)))
          .ok());
  const std::string designated = f.state().inspections.at("A").rv->designated;
  s = f.Apply(m.Complete("US", d + "T20:00:00Z", "A", "type_one", "CN-SYN-1",
                         designated, 3, "RU"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("inspection A is of CN, not RU"));
  EXPECT_TRUE(f.Apply(m.Complete("US", d + "T20:00:00Z", "A", "type_one",
                                 "CN-SYN-1", designated, 3, "CN"))
                  .ok());
}

TEST(InspectionThreePartyTest, QuotaPerInspectingPartyWhicheverItInspects) {
  const treaty::Spec& spec = FollowOn3p();
  const int64_t quota = spec.inspections.Find("type_two")->annual_quota;
  Date day = *Date::Parse(FirstDay());
  Inspections f(spec);
  Messages m(spec);
  for (int64_t k = 0; k < quota; ++k) {
    const std::string id = "RU-" + std::to_string(k);
    const std::string target = k % 2 == 0 ? "US" : "CN";
    const std::string t = day.AddDays(k).ToString();
    ASSERT_TRUE(
        f.Apply(m.Request("RU", t + "T08:00:00Z", id, "type_two", target))
            .ok());
    ASSERT_TRUE(
        f.Apply(m.Arrive("RU", t + "T09:00:00Z", id, "type_two", "SYN")).ok());
    ASSERT_TRUE(f.Apply(m.Complete("RU", t + "T10:00:00Z", id, "type_two",
                                   "SYN", "", std::nullopt, target))
                    .ok());
  }
  Status s =
      f.Apply(m.Request("RU", day.AddDays(quota).ToString() + "T08:00:00Z",
                        "RU-X", "type_two", "US"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr(fmt::format("exhausted: {} of {} used", quota, quota)));
  Result<std::vector<QuotaRow>> rows =
      QuotaUse(spec, f.state(), spec.dates.entry_into_force.year());
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 6u);  // 3 parties x 2 types
}

}  // namespace
}  // namespace detente::inspection
