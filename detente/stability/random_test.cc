#include "detente/stability/random.h"

#include <cmath>
#include <cstdint>

#include "gtest/gtest.h"

namespace detente::stability {
namespace {

// pcg-c-basic's pcg32-demo, seeded pcg32_srandom_r(&rng, 42u, 54u), prints
// these first outputs (pcg-random.org; the same as pcg_random.hpp's
// pcg32(42, 54)).
TEST(StabilityRandom, Pcg32MatchesTheReferenceStream) {
  Pcg32 rng(42u, 54u);
  const uint32_t expected[] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                               0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (uint32_t e : expected) EXPECT_EQ(rng.Next32(), e);
}

TEST(StabilityRandom, TrialStreamsAreReproducibleAndDistinct) {
  Pcg32 a = TrialRng(7, 3);
  Pcg32 b = TrialRng(7, 3);
  Pcg32 c = TrialRng(7, 4);
  Pcg32 d = TrialRng(8, 3);
  uint64_t xa = a.Next64();
  EXPECT_EQ(xa, b.Next64());
  EXPECT_NE(xa, c.Next64());
  EXPECT_NE(xa, d.Next64());
}

TEST(StabilityRandom, UniformIsInUnitIntervalWithMeanOneHalf) {
  Pcg32 rng = TrialRng(1, 0);
  const int n = 200000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    double u = Uniform01(rng);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // sd of the mean = sqrt(1/12 / n) = 6.5e-4; 5 sd.
  EXPECT_NEAR(sum / n, 0.5, 3.3e-3);
}

TEST(StabilityRandom, NormalPairHasUnitVarianceAndNoCorrelation) {
  Pcg32 rng = TrialRng(2, 0);
  const int n = 200000;
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    auto [x, y] = StandardNormalPair(rng);
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  // Standard errors: mean 2.2e-3, variance 3.2e-3, covariance 2.2e-3.
  EXPECT_NEAR(sx / n, 0.0, 0.012);
  EXPECT_NEAR(sy / n, 0.0, 0.012);
  EXPECT_NEAR(sxx / n, 1.0, 0.016);
  EXPECT_NEAR(syy / n, 1.0, 0.016);
  EXPECT_NEAR(sxy / n, 0.0, 0.012);
}

// The radial miss of the circular normal is Rayleigh: the share of draws
// inside the CEP must be 1/2 (this is what distinguishes the correct sigma
// from the CEP/0.675 pitfall of reference §1.2, which gives ~0.20).
TEST(StabilityRandom, HalfOfTheMissesFallInsideTheCep) {
  Pcg32 rng = TrialRng(3, 0);
  const double cep = 100.0;
  const double sigma = cep / std::sqrt(std::log(4.0));
  const int n = 200000;
  int inside = 0;
  for (int i = 0; i < n; ++i) {
    auto [x, y] = StandardNormalPair(rng);
    if ((x * sigma) * (x * sigma) + (y * sigma) * (y * sigma) <= cep * cep)
      ++inside;
  }
  EXPECT_NEAR(static_cast<double>(inside) / n, 0.5, 0.0056);  // 5 sd
}

TEST(StabilityRandom, BernoulliEdges) {
  Pcg32 rng = TrialRng(4, 0);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(Bernoulli(rng, 0.0));
    EXPECT_TRUE(Bernoulli(rng, 1.0));
  }
}

}  // namespace
}  // namespace detente::stability
