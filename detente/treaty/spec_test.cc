#include "detente/treaty/spec.h"

#include <gtest/gtest.h>

namespace detente::treaty {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

Spec MakeSpec() {
  Spec spec;
  spec.id = "t";
  spec.dates.signature = D("2010-04-08");
  spec.dates.entry_into_force = D("2011-02-05");
  spec.parties = {{"US", "United States"}, {"RU", "Russian Federation"}};
  spec.statuses = {{"deployed", "Deployed", ""}};
  Category icbm;
  icbm.id = "icbm";
  icbm.attributes = {{"range_km", ValueType::kInteger, true, ""},
                     {"armament", ValueType::kString, false, ""}};
  spec.categories = {icbm};
  Limit limit;
  limit.id = "deployed_warheads";
  limit.max = 1550;
  limit.effective = D("2018-02-05");
  spec.limits = {limit};
  NotificationType n;
  n.code = "NST-1";
  n.fields = {{"item", ValueType::kIdentifier, true, {}, ""}};
  spec.notifications = {n};
  spec.parameters = {{"notice", 3, "months", false, "", ""}};
  InspectionType type_one;
  type_one.id = "type_one";
  spec.inspections.types = {type_one};
  return spec;
}

TEST(SpecTest, FindHelpers) {
  Spec spec = MakeSpec();
  ASSERT_NE(spec.FindParty("RU"), nullptr);
  EXPECT_EQ(spec.FindParty("RU")->name, "Russian Federation");
  EXPECT_EQ(spec.FindParty("UK"), nullptr);
  EXPECT_EQ(spec.FindParty("us"), nullptr);  // codes are case-sensitive
  ASSERT_NE(spec.FindCategory("icbm"), nullptr);
  EXPECT_EQ(spec.FindCategory("slbm"), nullptr);
  EXPECT_NE(spec.FindStatus("deployed"), nullptr);
  EXPECT_EQ(spec.FindStatus("test"), nullptr);
  ASSERT_NE(spec.FindLimit("deployed_warheads"), nullptr);
  EXPECT_EQ(*spec.FindLimit("deployed_warheads")->max, 1550);
  EXPECT_EQ(spec.FindLimit("x"), nullptr);
  ASSERT_NE(spec.FindNotification("NST-1"), nullptr);
  EXPECT_EQ(spec.FindNotification("NST-2"), nullptr);
  ASSERT_NE(spec.FindParameter("notice"), nullptr);
  EXPECT_EQ(spec.FindParameter("notice")->value, 3);
  EXPECT_EQ(spec.FindParameter("other"), nullptr);
  EXPECT_NE(spec.inspections.Find("type_one"), nullptr);
  EXPECT_EQ(spec.inspections.Find("type_two"), nullptr);

  const Category& icbm = *spec.FindCategory("icbm");
  ASSERT_NE(icbm.FindAttribute("range_km"), nullptr);
  EXPECT_EQ(icbm.FindAttribute("range_km")->type, ValueType::kInteger);
  EXPECT_EQ(icbm.FindAttribute("stages"), nullptr);
  const NotificationType& n = *spec.FindNotification("NST-1");
  ASSERT_NE(n.FindField("item"), nullptr);
  EXPECT_EQ(n.FindField("item")->type, ValueType::kIdentifier);
  EXPECT_EQ(n.FindField("other"), nullptr);
}

TEST(SpecTest, EndIsTheEarlierOfEndedAndExpiry) {
  Spec spec = MakeSpec();
  EXPECT_FALSE(spec.End().has_value());
  spec.dates.expiry = D("2026-02-05");
  EXPECT_EQ(spec.End(), D("2026-02-05"));
  spec.dates.ended = D("2023-02-21");
  EXPECT_EQ(spec.End(), D("2023-02-21"));
  spec.dates.expiry.reset();
  EXPECT_EQ(spec.End(), D("2023-02-21"));
}

TEST(SpecTest, InForceFromEntryIntoForceUntilTheEndExclusive) {
  Spec spec = MakeSpec();
  EXPECT_FALSE(spec.InForce(D("2011-02-04")));
  EXPECT_TRUE(spec.InForce(D("2011-02-05")));
  EXPECT_TRUE(spec.InForce(D("2100-01-01")));  // unlimited duration
  spec.dates.expiry = D("2026-02-05");
  EXPECT_TRUE(spec.InForce(D("2026-02-04")));
  EXPECT_FALSE(spec.InForce(D("2026-02-05")));
}

TEST(SpecTest, BindsFromEffectiveUntilTheEarlierOfUntilAndTheEnd) {
  Spec spec = MakeSpec();
  spec.dates.expiry = D("2026-02-05");
  Limit limit = *spec.FindLimit("deployed_warheads");
  EXPECT_FALSE(spec.Binds(limit, D("2018-02-04")));
  EXPECT_TRUE(spec.Binds(limit, D("2018-02-05")));
  EXPECT_TRUE(spec.Binds(limit, D("2026-02-04")));
  EXPECT_FALSE(spec.Binds(limit, D("2026-02-05")));
  limit.until = D("2020-01-01");
  EXPECT_TRUE(spec.Binds(limit, D("2019-12-31")));
  EXPECT_FALSE(spec.Binds(limit, D("2020-01-01")));
  limit.until = D("2030-01-01");
  spec.dates.ended = D("2023-02-21");
  EXPECT_TRUE(spec.Binds(limit, D("2023-02-20")));
  EXPECT_FALSE(spec.Binds(limit, D("2023-02-21")));
}

TEST(SpecTest, LimitAppliesToListedPartiesOrAll) {
  Limit limit;
  EXPECT_TRUE(limit.AppliesTo("US"));
  limit.parties = {"RU"};
  EXPECT_FALSE(limit.AppliesTo("US"));
  EXPECT_TRUE(limit.AppliesTo("RU"));
}

TEST(SpecTest, ValueTypeNamesRoundTrip) {
  const ValueType all[] = {
      ValueType::kInteger,  ValueType::kString,   ValueType::kBoolean,
      ValueType::kDate,     ValueType::kInstant,  ValueType::kIdentifier,
      ValueType::kParty,    ValueType::kCategory, ValueType::kStatus,
      ValueType::kFacility, ValueType::kEnum,     ValueType::kItemList,
      ValueType::kTotals,   ValueType::kText};
  for (ValueType t : all) {
    EXPECT_EQ(ParseValueType(ValueTypeName(t)), t) << ValueTypeName(t);
  }
  EXPECT_EQ(ValueTypeName(ValueType::kItemList), "item_list");
  EXPECT_EQ(ValueTypeName(ValueType::kBoolean), "boolean");
  EXPECT_EQ(ParseValueType("Integer"), std::nullopt);
  EXPECT_EQ(ParseValueType("bool"), std::nullopt);
  EXPECT_EQ(ParseValueType(""), std::nullopt);
}

TEST(SpecTest, WeightToString) {
  Weight w;
  EXPECT_EQ(w.ToString(), "one");
  w.kind = Weight::Kind::kWarheads;
  EXPECT_EQ(w.ToString(), "warheads");
  w.kind = Weight::Kind::kConstant;
  w.constant = 10;
  EXPECT_EQ(w.ToString(), "10");
  w.kind = Weight::Kind::kAttribute;
  w.attribute = "launchers";
  EXPECT_EQ(w.ToString(), "attribute:launchers");
}

TEST(SpecTest, AttributeConditionToString) {
  AttributeCondition c{"armament", "alcm", std::nullopt, std::nullopt};
  EXPECT_EQ(c.ToString(), "armament = \"alcm\"");
  AttributeCondition eq{"launchers", std::nullopt, 1, 1};
  EXPECT_EQ(eq.ToString(), "launchers = 1");
  AttributeCondition range{"range_km", std::nullopt, 500, 5500};
  EXPECT_EQ(range.ToString(), "range_km in [500, 5500]");
  AttributeCondition floor{"range_km", std::nullopt, 500, std::nullopt};
  EXPECT_EQ(floor.ToString(), "range_km >= 500");
}

TEST(SpecTest, TermToString) {
  Term t;
  t.category = "icbm";
  t.statuses = {"deployed"};
  t.weight.kind = Weight::Kind::kWarheads;
  EXPECT_EQ(t.ToString(), "icbm [deployed] x warheads");

  Term b;
  b.category = "heavy_bomber";
  b.statuses = {"deployed", "non_deployed"};
  b.parties = {"US"};
  b.types = {"B-52H"};
  b.where = {{"armament", "alcm", std::nullopt, std::nullopt},
             {"range_km", std::nullopt, 500, 5500}};
  b.weight.kind = Weight::Kind::kConstant;
  b.weight.constant = 10;
  b.first = 150;
  b.then = Weight{Weight::Kind::kAttribute, 0, "alcms"};
  EXPECT_EQ(b.ToString(),
            "heavy_bomber [deployed, non_deployed] parties [US] types [B-52H] "
            "where armament = \"alcm\" and range_km in [500, 5500] x 10 for "
            "the first 150, then attribute:alcms");
}

}  // namespace
}  // namespace detente::treaty
