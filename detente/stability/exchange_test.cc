#include "detente/stability/exchange.h"

#include <cmath>

#include "detente/stability/stability_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace detente::stability {
namespace {

using testing::MakePosture;
using testing::System;

// W87-like attacker (300 kt, 120 m, R 0.8) on 2,000 psi silos: the DERIVED
// row of reference §1.6 has SSKP 0.9592 and a two-shot kill of 0.9459.
WeaponSystem Attacker() {
  return System("att", Basing::kSilo, 1, 300, 120, 0.8, 2000);
}
WeaponSystem Silo(int mirv = 1, double psi = 2000) {
  return System("silo", Basing::kSilo, mirv, 300, 120, 0.7, psi);
}

TEST(StabilityExchange, TwoOnOneAgainstOneSilo) {
  Posture a = MakePosture("a", {{Attacker(), {2, 2}}});
  Posture b = MakePosture("b", {{Silo(), {1, 1}}});
  auto plan = PlanCounterforce(a, b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->aim_points.size(), 1u);
  ASSERT_EQ(plan->assignments.size(), 2u);
  EXPECT_NEAR(plan->assignments[0].sspk, 0.9592, 5e-5);
  ExchangeOutcome out = ExpectedOutcome(*plan, 2);
  EXPECT_NEAR(out.victim_destroyed, 0.9459, 5e-5);
  EXPECT_NEAR(out.victim_surviving, 1 - 0.9459, 5e-5);
  // The survivor retaliates with reliability 0.7.
  EXPECT_NEAR(out.victim_arriving, (1 - 0.9459) * 0.7, 5e-5);
  EXPECT_EQ(out.striker_remaining, 0.0);
  EXPECT_EQ(out.striker_arriving, 0.0);
  ExchangeOutcome none = ExpectedOutcome(*plan, 0);
  EXPECT_EQ(none.victim_destroyed, 0.0);
  EXPECT_NEAR(none.striker_arriving, 1.6, 1e-12);
}

TEST(StabilityExchange, CapLimitsWarheadsPerAimPoint) {
  Posture a = MakePosture("a", {{Attacker(), {10, 10}}});
  Posture b = MakePosture("b", {{Silo(), {3, 3}}});
  ExchangeOptions o;
  o.max_warheads_per_aim_point = 2;
  auto plan = PlanCounterforce(a, b, o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->assignments.size(), 6u);
  std::vector<int> per(3, 0);
  for (const Assignment& as : plan->assignments) ++per[as.aim_point];
  EXPECT_THAT(per, ::testing::ElementsAre(2, 2, 2));
  // Greedy spreads first: one on each before any second shot.
  EXPECT_EQ(plan->assignments[0].aim_point, 0u);
  EXPECT_EQ(plan->assignments[1].aim_point, 1u);
  EXPECT_EQ(plan->assignments[2].aim_point, 2u);
  ExchangeOutcome out = ExpectedOutcome(*plan, 6);
  EXPECT_NEAR(out.victim_destroyed, 3 * 0.9459, 2e-4);
  EXPECT_EQ(out.striker_remaining, 4.0);
  EXPECT_NEAR(out.striker_arriving, 4 * 0.8, 1e-12);
}

TEST(StabilityExchange, GreedyGoesWhereTheMarginalKillIsLargest) {
  // A ten-warhead silo is worth a second shot before a one-warhead silo is
  // worth a first: 10 * 0.28 * 0.72 > 1 * 0.72 with TKP 0.72 on both.
  WeaponSystem heavy = System("heavy", Basing::kSilo, 10, 300, 120, 0.7, 2000);
  WeaponSystem single = System("single", Basing::kSilo, 1, 300, 120, 0.7, 2000);
  WeaponSystem att = System("att", Basing::kSilo, 1, 100, 100, 0.9, 2000);
  Posture a = MakePosture("a", {{att, {3, 3}}});
  Posture b = MakePosture("b", {{single, {1, 1}}, {heavy, {1, 10}}});
  auto plan = PlanCounterforce(a, b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->assignments.size(), 3u);
  EXPECT_EQ(plan->aim_points[plan->assignments[0].aim_point].warheads, 10);
  EXPECT_EQ(plan->aim_points[plan->assignments[1].aim_point].warheads, 10);
  EXPECT_EQ(plan->aim_points[plan->assignments[2].aim_point].warheads, 1);
}

TEST(StabilityExchange, AlertLaunchersAreUntargetable) {
  // 10 SSBN launchers, 4 warheads each, 60% at sea day to day, 90%
  // generated; boats of 20 tubes, so the 4 in port are one aim point.
  WeaponSystem ssbn =
      System("ssbn", Basing::kSubmarine, 4, 100, 300, 0.8, 315, 0.6, 0.9, 20);
  Posture a = MakePosture("a", {{Attacker(), {5, 5}}});
  Posture b = MakePosture("b", {{ssbn, {10, 40}}});
  auto plan = PlanCounterforce(a, b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->aim_points.size(), 1u);
  EXPECT_EQ(plan->aim_points[0].launchers, 4);
  EXPECT_EQ(plan->aim_points[0].warheads, 16);
  EXPECT_EQ(plan->victim_untargetable, 24);
  ExchangeOptions generated;
  generated.victim_alert = AlertLevel::kGenerated;
  auto gplan = PlanCounterforce(a, b, generated);
  ASSERT_TRUE(gplan.ok());
  EXPECT_EQ(gplan->aim_points[0].launchers, 1);
  EXPECT_EQ(gplan->victim_untargetable, 36);
}

TEST(StabilityExchange, StrikerCommitsSurvivableShareAndKeepsBombersBack) {
  WeaponSystem slbm =
      System("slbm", Basing::kSubmarine, 4, 455, 90, 0.8, 315, 0.6, 0.9, 20);
  WeaponSystem bomber =
      System("bomber", Basing::kBomber, 16, 150, 30, 0.8, 30, 0.0, 0.5, 18);
  Posture a = MakePosture("a", {{bomber, {10, 100}}, {slbm, {25, 100}}});
  Posture b = MakePosture("b", {{Silo(), {200, 200}}});
  auto plan = PlanCounterforce(a, b, ExchangeOptions{});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->striker_pool, 180);
  EXPECT_EQ(plan->striker_withheld, 20);
  ASSERT_EQ(plan->types.size(), 2u);
  EXPECT_EQ(plan->types[0].system, "slbm");  // counterforce types first
  EXPECT_FALSE(plan->types[1].counterforce);
  EXPECT_EQ(plan->assignments.size(), 90u);  // only the SLBM warheads
  ExchangeOutcome out = ExpectedOutcome(*plan, 90);
  EXPECT_NEAR(out.striker_arriving, 90 * 0.8, 1e-9);  // the bombers
  ExchangeOptions with_bombers;
  with_bombers.bombers_in_counterforce = true;
  auto bplan = PlanCounterforce(a, b, with_bombers);
  ASSERT_TRUE(bplan.ok());
  // The ALCM (K = 150^(2/3)/30^2) is more lethal than the W88 and goes
  // first.
  EXPECT_EQ(bplan->types[0].system, "bomber");
  EXPECT_EQ(bplan->assignments.size(), 180u);
}

TEST(StabilityExchange, LaunchUnderAttackSavesTheSiloShare) {
  Posture a = MakePosture("a", {{Attacker(), {2, 2}}});
  Posture b = MakePosture("b", {{Silo(), {1, 1}}});
  ExchangeOptions o;
  o.victim_launch_under_attack = true;
  auto plan = PlanCounterforce(a, b, o);
  ASSERT_TRUE(plan.ok());
  ExchangeOutcome out = ExpectedOutcome(*plan, 2);
  EXPECT_NEAR(out.victim_destroyed, 0.1 * 0.9459, 5e-6);
}

TEST(StabilityExchange, DefencesReduceArrivals) {
  Posture a = MakePosture("a", {{Attacker(), {2, 2}}});
  Posture b = MakePosture("b", {{Silo(), {1, 1}}});
  ExchangeOptions o;
  o.victim_defences = {{2, 0.5, 0.65}};  // D = 0.43875
  o.striker_defences = {{1, 1.0, 0.5}};  // D = 0.5
  auto plan = PlanCounterforce(a, b, o);
  ASSERT_TRUE(plan.ok());
  double tkp = 0.8 * (1 - 0.43875) * plan->assignments[0].sspk;
  ExchangeOutcome out = ExpectedOutcome(*plan, 2);
  EXPECT_NEAR(out.victim_destroyed, 1 - (1 - tkp) * (1 - tkp), 1e-12);
  EXPECT_NEAR(out.victim_arriving, (1 - tkp) * (1 - tkp) * 0.7 * 0.5, 1e-12);
}

TEST(StabilityExchange, FratricideLowersTheThirdShot) {
  Posture a = MakePosture("a", {{Attacker(), {3, 3}}});
  Posture b = MakePosture("b", {{Silo(), {1, 1}}});
  ExchangeOptions o;
  o.max_warheads_per_aim_point = 3;
  o.fratricide = Fratricide{true, 2, 0.75};
  auto plan = PlanCounterforce(a, b, o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->assignments.size(), 3u);
  EXPECT_EQ(plan->assignments[1].clear, 1.0);
  double miss = 0.8 * (1 - plan->assignments[0].sspk);
  EXPECT_NEAR(plan->assignments[2].clear, (1 - 0.75 * miss) * (1 - 0.75 * miss),
              1e-15);
}

TEST(StabilityExchange, CurveMatchesPointEvaluations) {
  Posture a = MakePosture(
      "a",
      {{Attacker(), {50, 50}},
       {System("mirv", Basing::kRoadMobile, 4, 500, 150, 0.8, 30, 0.3, 0.8, 7),
        {40, 120}}});
  Posture b = MakePosture(
      "b",
      {{Silo(3, 5000), {30, 80}},
       {System("ssbn", Basing::kSubmarine, 6, 100, 300, 0.8, 315, 0.2, 0.7, 16),
        {48, 200}}});
  ExchangeOptions o;
  o.victim_launch_under_attack = true;
  auto plan = PlanCounterforce(a, b, o);
  ASSERT_TRUE(plan.ok());
  std::vector<ExchangeOutcome> curve = ExpectedCurve(*plan);
  ASSERT_EQ(curve.size(), plan->assignments.size() + 1);
  for (size_t w = 0; w < curve.size(); w += 7) {
    ExchangeOutcome p = ExpectedOutcome(*plan, static_cast<int64_t>(w));
    EXPECT_NEAR(curve[w].victim_destroyed, p.victim_destroyed, 1e-9) << w;
    EXPECT_NEAR(curve[w].victim_arriving, p.victim_arriving, 1e-9) << w;
    EXPECT_NEAR(curve[w].striker_arriving, p.striker_arriving, 1e-9) << w;
    if (w > 0) {
      EXPECT_GE(curve[w].victim_destroyed, curve[w - 1].victim_destroyed);
    }
  }
}

TEST(StabilityExchange, BadOptionsAndPosturesAreRefused) {
  Posture a = MakePosture("a", {{Attacker(), {2, 2}}});
  Posture b = MakePosture("b", {{Silo(), {1, 1}}});
  ExchangeOptions o;
  o.max_warheads_per_aim_point = 0;
  EXPECT_THAT(std::string(PlanCounterforce(a, b, o).status().message()),
              ::testing::HasSubstr("max_warheads_per_aim_point: must be >= 1"));
  o = ExchangeOptions{};
  o.striker_survivable_use = 1.5;
  EXPECT_FALSE(PlanCounterforce(a, b, o).ok());
  Posture empty = MakePosture("empty", {});
  EXPECT_THAT(
      std::string(
          PlanCounterforce(a, empty, ExchangeOptions{}).status().message()),
      ::testing::HasSubstr("victim: empty: force: the posture is empty"));
  Posture bad = MakePosture("bad", {{Silo(), {1, 5}}});
  EXPECT_FALSE(PlanCounterforce(a, bad, ExchangeOptions{}).ok());
}

}  // namespace
}  // namespace detente::stability
