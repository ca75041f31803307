// Counting on hand-built item sets for every bundled spec, loaded from
// data/treaties/ by the real loader: the numbers below are worked out by
// hand from each treaty's counting rules.
#include <gtest/gtest.h>

#include <string>

#include "detente/registry/counting.h"
#include "detente/registry/items_io.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::registry {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

const treaty::Spec& Load(const std::string& id) {
  return treaty::testing::BundledSpec(id);
}

ItemSet Items(const treaty::Spec& spec, const std::string& csv) {
  Result<ItemSet> set = ParseItemsCsv(csv, "test.csv", spec);
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? std::move(set).value() : ItemSet();
}

int64_t Agg(const treaty::Spec& spec, const ItemSet& set, const char* limit,
            const char* party) {
  const treaty::Limit* l = spec.FindLimit(limit);
  EXPECT_NE(l, nullptr) << limit;
  if (l == nullptr) return -1;
  Result<Aggregate> a = Count(*l, set, party);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? a->value : -1;
}

TEST(BundledCountingTest, NewStartExampleItems) {
  treaty::Spec spec = Load("new-start");
  Result<ItemSet> set = LoadItemsFile(
      std::string(DETENTE_SOURCE_DIR) + "/data/examples/new-start-items.csv",
      spec);
  ASSERT_TRUE(set.ok()) << set.status();
  // Worked out in data/examples/README.md.
  EXPECT_EQ(Agg(spec, *set, "deployed_delivery_vehicles", "US"), 4);
  EXPECT_EQ(Agg(spec, *set, "deployed_warheads", "US"), 9);
  EXPECT_EQ(Agg(spec, *set, "deployed_and_nondeployed_launchers", "US"), 7);
  EXPECT_EQ(Agg(spec, *set, "deployed_delivery_vehicles", "RU"), 4);
  EXPECT_EQ(Agg(spec, *set, "deployed_warheads", "RU"), 12);
  EXPECT_EQ(Agg(spec, *set, "deployed_and_nondeployed_launchers", "RU"), 4);
  std::vector<LimitCheck> checks = *CheckAll(spec, *set, D("2018-02-05"));
  ASSERT_EQ(checks.size(), 6u);
  for (const LimitCheck& c : checks) {
    EXPECT_TRUE(c.binding);
    EXPECT_EQ(c.state, LimitState::kWithin);
  }
  // The day the treaty expired, nothing binds.
  std::vector<LimitCheck> expired = *CheckAll(spec, *set, D("2026-02-05"));
  for (const LimitCheck& c : expired) {
    EXPECT_EQ(c.state, LimitState::kInformational);
  }
}

TEST(BundledCountingTest, StartOneBomberAttribution) {
  treaty::Spec spec = Load("start-1");
  std::string csv =
      "id,party,category,type,status,warheads,armament,alcm_capacity,"
      "throw_weight_kg,basing,size_class\n";
  // 152 US ALCM bombers equipped for 20 ALCMs each: the first 150 count 10,
  // the next two their capacity (20).
  for (int i = 0; i < 152; ++i) {
    csv += fmt::format(
        "US-HB-{:03d},US,heavy_bomber,B-52H,deployed,,alcm,20,,,\n", i);
  }
  csv += "US-HB-900,US,heavy_bomber,B-1B,deployed,,other,,,,\n";
  // Russia: 181 ALCM bombers; parameters attribute 8 to the first 180.
  for (int i = 0; i < 181; ++i) {
    csv += fmt::format(
        "RU-HB-{:03d},RU,heavy_bomber,Tu-95MS,deployed,,alcm,16,,,\n", i);
  }
  csv +=
      "US-M-1,US,icbm,Minuteman III,deployed,3,,,1150,silo,light\n"
      "RU-M-1,RU,icbm,SS-18,deployed,10,,,8800,silo,heavy\n"
      "RU-M-2,RU,icbm,SS-25,deployed,1,,,1000,mobile,light\n";
  ItemSet set = Items(spec, csv);
  EXPECT_EQ(Agg(spec, set, "accountable_warheads", "US"),
            3 + 150 * 10 + 2 * 20 + 1);
  EXPECT_EQ(Agg(spec, set, "accountable_warheads", "RU"),
            10 + 1 + 180 * 8 + 16);
  EXPECT_EQ(Agg(spec, set, "strategic_nuclear_delivery_vehicles", "US"),
            152 + 1 + 1);
  EXPECT_EQ(Agg(spec, set, "heavy_icbm_warheads", "RU"), 10);
  EXPECT_EQ(Agg(spec, set, "deployed_heavy_icbms", "RU"), 1);
  EXPECT_EQ(Agg(spec, set, "mobile_icbm_warheads", "RU"), 1);
  EXPECT_EQ(Agg(spec, set, "ballistic_missile_throw_weight_kg", "RU"), 9800);
  // Limits bound from 5 December 2001 to expiry on 5 December 2009.
  const treaty::Limit& snd = *spec.FindLimit("accountable_warheads");
  EXPECT_EQ(Evaluate(spec, snd, 6001, D("2001-12-04")),
            LimitState::kInformational);
  EXPECT_EQ(Evaluate(spec, snd, 6001, D("2001-12-05")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, snd, 6001, D("2009-12-05")),
            LimitState::kInformational);
}

TEST(BundledCountingTest, SortRangeNeverBound) {
  treaty::Spec spec = Load("sort");
  std::string csv = "id,party,category,status\n";
  for (int i = 0; i < 1800; ++i) {
    csv +=
        fmt::format("US-W-{:04d},US,strategic_nuclear_warhead,deployed\n", i);
  }
  csv += "US-W-9999,US,strategic_nuclear_warhead,non_deployed\n";
  ItemSet set = Items(spec, csv);
  EXPECT_EQ(Agg(spec, set, "strategic_nuclear_warheads", "US"), 1800);
  const treaty::Limit& l = *spec.FindLimit("strategic_nuclear_warheads");
  ASSERT_TRUE(l.min && l.max);
  EXPECT_EQ(*l.min, 1700);
  EXPECT_EQ(*l.max, 2200);
  // Superseded by New START on 5 Feb 2011, before the range was to bind on
  // 31 Dec 2012: the range never bound.
  EXPECT_EQ(Evaluate(spec, l, 2500, D("2012-12-31")),
            LimitState::kInformational);
  EXPECT_FALSE(spec.verification);
  // Had it run its course, the range would have been checked on that day.
  spec.dates.ended.reset();
  EXPECT_EQ(Evaluate(spec, l, 2500, D("2012-12-31")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, l, 1600, D("2012-12-31")), LimitState::kUnder);
  EXPECT_EQ(Evaluate(spec, l, 1800, D("2012-12-31")), LimitState::kWithin);
}

TEST(BundledCountingTest, InfBansTheRangeBand) {
  treaty::Spec spec = Load("inf");
  ItemSet set =
      Items(spec,
            "id,party,category,type,status,range_km\n"
            "US-P2-1,US,glbm,Pershing II,deployed,1770\n"
            "US-GLCM-1,US,glcm,BGM-109G,non_deployed,2500\n"
            "US-SR-1,US,glbm,short,deployed,499\n"
            "US-EL-1,US,glbm,Pershing II,eliminated,1770\n"
            "RU-SS20-L,RU,glbm_launcher,SS-20 launcher,deployed,5000\n"
            "RU-LONG,RU,glbm,ICBM-class,deployed,5501\n");
  EXPECT_EQ(Agg(spec, set, "intermediate_and_shorter_range_missiles", "US"), 2);
  EXPECT_EQ(Agg(spec, set, "intermediate_and_shorter_range_missiles", "RU"), 0);
  EXPECT_EQ(Agg(spec, set, "intermediate_and_shorter_range_launchers", "RU"),
            1);
  const treaty::Limit& ban =
      *spec.FindLimit("intermediate_and_shorter_range_missiles");
  EXPECT_EQ(Evaluate(spec, ban, 2, D("1991-05-31")),
            LimitState::kInformational);
  EXPECT_EQ(Evaluate(spec, ban, 2, D("1991-06-01")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, ban, 0, D("2000-01-01")), LimitState::kWithin);
  // After the US withdrawal on 2 August 2019 the ban no longer binds.
  EXPECT_EQ(Evaluate(spec, ban, 2, D("2019-08-02")),
            LimitState::kInformational);
}

TEST(BundledCountingTest, ThreePartyFollowOnCountsEachParty) {
  treaty::Spec spec = Load("follow-on-3p");
  ASSERT_EQ(spec.parties.size(), 3u);
  EXPECT_TRUE(spec.hypothetical);
  ItemSet set = Items(spec,
                      "id,party,category,status,warheads\n"
                      "US-1,US,icbm,deployed,1\n"
                      "RU-1,RU,icbm,deployed,4\n"
                      "RU-2,RU,slbm,deployed,4\n"
                      "CN-1,CN,icbm,deployed,3\n"
                      "CN-2,CN,heavy_bomber,deployed,\n"
                      "CN-3,CN,icbm_launcher,non_deployed,\n");
  EXPECT_EQ(Agg(spec, set, "deployed_warheads", "RU"), 8);
  EXPECT_EQ(Agg(spec, set, "deployed_warheads", "US"), 1);
  EXPECT_EQ(Agg(spec, set, "deployed_warheads_cn", "CN"), 3 + 1);
  std::vector<LimitCheck> checks = *CheckAll(spec, set, D("2036-01-01"));
  int cn = 0;
  for (const LimitCheck& c : checks) {
    EXPECT_TRUE(c.binding);
    EXPECT_EQ(c.state, LimitState::kWithin);
    // Each party is checked only against the limits that name it.
    const treaty::Limit* l = spec.FindLimit(c.aggregate.limit_id);
    EXPECT_TRUE(l->AppliesTo(c.aggregate.party));
    if (c.aggregate.party == "CN") ++cn;
  }
  EXPECT_EQ(cn, 3);
  EXPECT_EQ(checks.size(), 9u);  // 3 limits x 2 parties + 3 CN limits
}

}  // namespace
}  // namespace detente::registry
