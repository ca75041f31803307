#include "detente/stability/indices.h"

#include <cmath>

#include "detente/stability/stability_testing.h"
#include "gtest/gtest.h"

namespace detente::stability {
namespace {

using testing::MakePosture;
using testing::System;

TEST(StabilityIndex, ValueDamageIsEightyPercentAtW80) {
  EXPECT_NEAR(ValueDamage(300, 300), 0.8, 1e-15);
  EXPECT_EQ(ValueDamage(0, 300), 0.0);
  EXPECT_NEAR(ValueDamage(600, 300), 0.96, 1e-15);
}

// Both sides wholly untargetable (SSBNs all at sea): counterforce is
// pointless, so each side's strike is w = 0 and every cost follows from
// the formulas by hand.
TEST(StabilityIndex, InvulnerableForcesByHand) {
  WeaponSystem sea =
      System("sea", Basing::kSubmarine, 4, 100, 90, 0.8, 315, 1.0, 1.0, 20);
  Posture a = MakePosture("a", {{sea, {100, 400}}});
  Posture b = MakePosture("b", {{sea, {50, 200}}});
  KentThalerOptions o;
  o.w80_a = 250;
  o.w80_b = 150;
  auto r = KentThalerIndex(a, b, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->a_strikes.stop_warheads, 0);
  EXPECT_EQ(r->a_strikes.max_warheads, 0);
  auto d = [](double w, double w80) {
    return 1 - std::exp(-w * std::log(5.0) / w80);
  };
  auto cost = [](double own, double enemy) {
    return std::pow(own, 0.75) + 0.3 * (1 - std::pow(enemy, 0.75));
  };
  // A strikes with 90% of 400 (0.8 arrive); B retaliates with all 200.
  double c1_a = cost(d(200 * 0.8, 250), d(360 * 0.8, 150));
  // B strikes with 90% of 200; A retaliates with all 400.
  double c2_a = cost(d(180 * 0.8, 250), d(400 * 0.8, 150));
  double c1_b = cost(d(400 * 0.8, 150), d(180 * 0.8, 250));
  double c2_b = cost(d(360 * 0.8, 150), d(200 * 0.8, 250));
  EXPECT_NEAR(r->c1_a, c1_a, 1e-12);
  EXPECT_NEAR(r->c2_a, c2_a, 1e-12);
  EXPECT_NEAR(r->c1_b, c1_b, 1e-12);
  EXPECT_NEAR(r->c2_b, c2_b, 1e-12);
  EXPECT_NEAR(r->index, std::min(1.0, c1_a / c2_a) * std::min(1.0, c1_b / c2_b),
              1e-12);
}

TEST(StabilityIndex, StopRuleMinimisesTheStrikersCost) {
  WeaponSystem silo = System("silo", Basing::kSilo, 4, 500, 150, 0.8, 2000);
  Posture a = MakePosture("a", {{silo, {100, 400}}});
  Posture b = MakePosture("b", {{silo, {100, 400}}});
  KentThalerOptions o;
  auto fs = StopRuleFirstStrike(a, b, o.w80_a, o.w80_b, o);
  ASSERT_TRUE(fs.ok()) << fs.status();
  auto plan = PlanCounterforce(a, b, o.exchange);
  ASSERT_TRUE(plan.ok());
  std::vector<ExchangeOutcome> curve = ExpectedCurve(*plan);
  for (const ExchangeOutcome& out : curve) {
    double cost =
        std::pow(ValueDamage(out.victim_arriving, o.w80_a), 0.75) +
        0.3 * (1 - std::pow(ValueDamage(out.striker_arriving, o.w80_b), 0.75));
    EXPECT_GE(cost, fs->striker_cost - 1e-12) << out.counterforce_warheads;
  }
  // Against MIRVed silos, counterforce pays: the striker does use some.
  EXPECT_GT(fs->stop_warheads, 0);
}

TEST(StabilityIndex, SymmetricPosturesGiveEqualRatios) {
  WeaponSystem silo = System("silo", Basing::kSilo, 3, 300, 120, 0.8, 2000);
  WeaponSystem sea =
      System("sea", Basing::kSubmarine, 4, 100, 90, 0.8, 315, 0.6, 0.9, 20);
  Posture a = MakePosture("a", {{silo, {100, 300}}, {sea, {60, 240}}});
  Posture b = MakePosture("b", {{silo, {100, 300}}, {sea, {60, 240}}});
  auto r = KentThalerIndex(a, b, KentThalerOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->ratio_a, r->ratio_b);
  EXPECT_NEAR(r->index, r->ratio_a * r->ratio_a, 1e-15);
  EXPECT_GT(r->index, 0.0);
  EXPECT_LE(r->index, 1.0);
}

// The classic result the index must reproduce: the same warheads on
// MIRVed silos (4 per silo) are less stable than on single-warhead silos.
TEST(StabilityIndex, MirvedSilosAreLessStableThanSingleWarheadSilos) {
  WeaponSystem single = System("single", Basing::kSilo, 1, 300, 120, 0.8, 2000);
  WeaponSystem mirv = System("mirv", Basing::kSilo, 4, 300, 120, 0.8, 2000);
  WeaponSystem sea =
      System("sea", Basing::kSubmarine, 4, 100, 90, 0.8, 315, 0.6, 0.9, 20);
  Posture s = MakePosture("s", {{single, {400, 400}}, {sea, {50, 200}}});
  Posture m = MakePosture("m", {{mirv, {100, 400}}, {sea, {50, 200}}});
  auto rs = KentThalerIndex(s, s, KentThalerOptions{});
  auto rm = KentThalerIndex(m, m, KentThalerOptions{});
  ASSERT_TRUE(rs.ok() && rm.ok());
  EXPECT_GT(rs->index, rm->index);
  // Generating the sea-based force (90% at sea) helps the MIRVed pair.
  Posture mg = m;
  mg.alert = AlertLevel::kGenerated;
  auto rg = KentThalerIndex(mg, mg, KentThalerOptions{});
  ASSERT_TRUE(rg.ok());
  EXPECT_GT(rg->index, rm->index);
}

TEST(StabilityIndex, BadOptionsAreRefused) {
  WeaponSystem silo = System("silo", Basing::kSilo, 1, 300, 120, 0.8, 2000);
  Posture a = MakePosture("a", {{silo, {10, 10}}});
  KentThalerOptions o;
  o.w80_b = 0;
  EXPECT_FALSE(KentThalerIndex(a, a, o).ok());
}

TEST(StabilityBalance, SymmetricAndByHand) {
  WeaponSystem silo = System("silo", Basing::kSilo, 1, 300, 120, 0.8, 2000);
  Posture a = MakePosture("a", {{silo, {1, 1}}});
  Posture b = MakePosture("b", {{silo, {1, 1}}});
  auto r = BalanceMeasures(a, b, ExchangeOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  // One W87-like shot on one silo (§1.6: SSKP 0.9592, R 0.8).
  double pk = 0.9592 * 0.8;
  EXPECT_NEAR(r->a.surviving, 1 - pk, 5e-5);
  EXPECT_NEAR(r->a.arriving, (1 - pk) * 0.8, 5e-5);
  EXPECT_EQ(r->a.residual, 0.0);
  EXPECT_NEAR(r->a.arriving_unstruck, 0.8, 1e-12);
  EXPECT_NEAR(r->a.penalty_for_waiting, 0.8 * pk, 5e-5);
  EXPECT_NEAR(r->a.first_strike_advantage, -(1 - pk), 5e-5);
  EXPECT_DOUBLE_EQ(r->a.surviving, r->b.surviving);
  EXPECT_NEAR(r->instability, (0.8 * pk) * (0.8 * pk), 1e-4);
}

}  // namespace
}  // namespace detente::stability
