// The published oracles of stability_reference.md §1.6 (jimjkelly/
// missile-defense tests/test-calculations.js, values from the
// specification's author), each to its stated precision, and the DERIVED
// regression values of the same section.
#include "detente/stability/damage.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace detente::stability {
namespace {

TEST(StabilityDamageOracle, SspkOf750KtAt700PsiCep900m) {
  double lr = LethalRadiusMetres(750.0, 700.0);
  EXPECT_NEAR(SingleShotKill(lr, 900.0), 0.19019, 1e-5);
  EXPECT_NEAR(SingleShotKillFor(750.0, 900.0, 700.0), 0.19019, 1e-5);
}

TEST(StabilityDamageOracle, TheConstantMatters) {
  // Reference §1.6: with c = 2.63 the first value becomes 0.19150.
  EXPECT_NEAR(SingleShotKillFor(750.0, 900.0, 700.0, 2.63), 0.19150, 1e-5);
}

TEST(StabilityDamageOracle, OffensiveNotional) {
  EXPECT_NEAR(TerminalKill(0.9, 0.9), 0.81, 1e-12);
  EXPECT_NEAR(TerminalKill(0.19019, 0.8), 0.152152, 1e-12);
}

TEST(StabilityDamageOracle, OffensiveGroundBurst) {
  // Y 750 kt, R .75, CEP 900 m, H 200 psi: 0.2888312680363119 (12 d.p.).
  double tkp = TerminalKill(SingleShotKillFor(750.0, 900.0, 200.0), 0.75);
  EXPECT_NEAR(tkp, 0.2888312680363119, 5e-13);
}

TEST(StabilityDamageOracle, GroundBurstEqualsNotionalToFiveDecimals) {
  double ground = TerminalKill(SingleShotKillFor(750.0, 900.0, 700.0), 0.8);
  EXPECT_NEAR(ground, 0.15215494491130396, 1e-12);
  EXPECT_NEAR(ground, TerminalKill(0.19019, 0.8), 5e-6);
}

TEST(StabilityDamageOracle, DefensiveLayers) {
  EXPECT_NEAR(LayerStopProbability({2, 0.9, 0.9}), 0.891, 1e-12);
  EXPECT_NEAR(LayerStopProbability({2, 0.5, 0.65}), 0.43875, 1e-12);
}

TEST(StabilityDamageOracle, WarheadSuccessThroughALayer) {
  std::vector<DefenceLayer> layers = {{2, 0.5, 0.65}};
  EXPECT_NEAR(WarheadSuccess(TerminalKill(0.19019, 0.8), layers), 0.085395,
              5e-7);
}

TEST(StabilityDamageOracle, NoneSucceedOneNotionalAttacker) {
  std::vector<DefenceLayer> layers = {{1, 0.9, 0.9}};
  std::vector<double> pw = {WarheadSuccess(TerminalKill(0.9, 0.9), layers)};
  EXPECT_NEAR(ProbabilityNoneSucceed(pw), 0.8461, 5e-5);
}

TEST(StabilityDamageOracle, NoneSucceedOneGroundBurst) {
  std::vector<DefenceLayer> layers = {{1, 0.9, 0.9}};
  double tkp = TerminalKill(SingleShotKillFor(1000.0, 100.0, 10.0), 0.9);
  std::vector<double> pw = {WarheadSuccess(tkp, layers)};
  EXPECT_NEAR(ProbabilityNoneSucceed(pw), 0.8290, 5e-5);
}

TEST(StabilityDamageOracle, NoneSucceedAgainstNumberOfWarheads) {
  std::vector<DefenceLayer> layers = {{2, 0.5, 0.65}};
  double pw = WarheadSuccess(TerminalKill(0.19019, 0.8), layers);
  const double expected[] = {0.9146, 0.8365, 0.7651, 0.6997};
  std::vector<double> shots;
  for (int n = 1; n <= 4; ++n) {
    shots.push_back(pw);
    EXPECT_NEAR(ProbabilityNoneSucceed(shots), expected[n - 1], 5e-5) << n;
    EXPECT_NEAR(1.0 - KillProbability(pw, n), expected[n - 1], 5e-5) << n;
  }
}

// DERIVED values of §1.6 (the reference's own arithmetic, not published):
// LR, SSKP and the two-shot kill with R = 0.8 and no fratricide.
TEST(StabilityDamageDerived, LiberPressStyleWarheads) {
  struct Row {
    double kt, cep, psi, lr, sskp, two;
  };
  const Row rows[] = {
      {455, 90, 3000, 258.8, 0.9968, 0.9590},
      {455, 90, 5000, 218.3, 0.9830, 0.9544},
      {100, 90, 3000, 156.2, 0.8759, 0.9104},
      {100, 90, 5000, 131.7, 0.7734, 0.8546},
      {335, 120, 3000, 233.7, 0.9278, 0.9336},
      {300, 120, 2000, 257.8, 0.9592, 0.9459},
  };
  for (const Row& r : rows) {
    EXPECT_NEAR(LethalRadiusMetres(r.kt, r.psi), r.lr, 0.05) << r.kt;
    double sskp = SingleShotKillFor(r.kt, r.cep, r.psi);
    EXPECT_NEAR(sskp, r.sskp, 5e-5) << r.kt;
    EXPECT_NEAR(KillProbability(TerminalKill(sskp, 0.8), 2), r.two, 5e-5)
        << r.kt;
  }
}

TEST(StabilityDamageDerived, LethalRadiusCheckValues) {
  EXPECT_DOUBLE_EQ(LethalRadiusNmi(1.0, 1.0), 2.62);
  EXPECT_NEAR(LethalRadiusMetres(1000.0, 1.0), 4852.24, 1e-9);
  EXPECT_NEAR(LethalRadiusMetres(1000.0, 1000.0), 485.224, 1e-3);
  EXPECT_NEAR(LethalRadiusMetres(455.0, 2000.0), 296.0, 0.5);
}

TEST(StabilityDamage, SigmaMakesCepTheMedianMiss) {
  // Half of all misses fall within the CEP: 1 - exp(-CEP^2 / 2 sigma^2).
  double sigma = SigmaFromCep(900.0);
  EXPECT_NEAR(1.0 - std::exp(-900.0 * 900.0 / (2 * sigma * sigma)), 0.5, 1e-15);
  EXPECT_NEAR(SingleShotKill(900.0, 900.0), 0.5, 1e-15);
}

TEST(StabilityDamage, NoLayersPenetrateFully) {
  EXPECT_EQ(Penetration({}), 1.0);
  EXPECT_EQ(WarheadSuccess(0.3, {}), 0.3);
}

TEST(StabilityDamageFratricide, DisabledIsTheIndependentProduct) {
  std::vector<Shot> shots = {{0.8, 0.9}, {0.8, 0.9}, {0.8, 0.9}};
  Fratricide off;
  EXPECT_NEAR(SurvivalProbability(shots, off), std::pow(1 - 0.72, 3), 1e-15);
}

TEST(StabilityDamageFratricide, ThirdShotFliesThroughEarlierClouds) {
  std::vector<Shot> shots = {{0.8, 0.9}, {0.7, 0.6}, {0.9, 0.5}};
  Fratricide on{true, 2, 0.75};
  EXPECT_EQ(ClearSkies(shots, 0, on), 1.0);
  EXPECT_EQ(ClearSkies(shots, 1, on), 1.0);
  double clear = (1 - 0.75 * 0.8 * 0.1) * (1 - 0.75 * 0.7 * 0.4);
  EXPECT_NEAR(ClearSkies(shots, 2, on), clear, 1e-15);
  double survive = (1 - 0.72) * (1 - 0.42) * (1 - clear * 0.45);
  EXPECT_NEAR(SurvivalProbability(shots, on), survive, 1e-15);
  // Fratricide can only help the target.
  EXPECT_GT(SurvivalProbability(shots, on),
            SurvivalProbability(shots, Fratricide{}));
}

TEST(StabilityDamageFratricide, NoFreeShots) {
  std::vector<Shot> shots = {{1.0, 0.5}, {1.0, 0.5}};
  Fratricide on{true, 0, 1.0};
  EXPECT_EQ(ClearSkies(shots, 0, on), 1.0);  // nothing before it
  EXPECT_NEAR(ClearSkies(shots, 1, on), 0.5, 1e-15);
  EXPECT_NEAR(SurvivalProbability(shots, on), 0.5 * 0.75, 1e-15);
}

}  // namespace
}  // namespace detente::stability
