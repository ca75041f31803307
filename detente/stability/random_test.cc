#include "detente/stability/random.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

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

TEST(StabilityRandom, Next64IsTwoNext32) {
  Pcg32 a = TrialRng(5, 9);
  Pcg32 b = a;
  for (int i = 0; i < 1000; ++i) {
    uint64_t hi = b.Next32();
    uint64_t lo = b.Next32();
    ASSERT_EQ(a.Next64(), (hi << 32u) | lo) << i;
  }
}

// P(X = k) from the closed form, in logs.
double BinomialPmf(int64_t n, double p, int64_t k) {
  const auto nd = static_cast<double>(n);
  const auto kd = static_cast<double>(k);
  return std::exp(std::lgamma(nd + 1) - std::lgamma(kd + 1) -
                  std::lgamma(nd - kd + 1) + kd * std::log(p) +
                  (nd - kd) * std::log1p(-p));
}

TEST(StabilityRandom, BinomialProbabilitiesMatchTheClosedForm) {
  for (auto [n, p] : {std::pair<int64_t, double>{1, 0.5},
                      {3, 0.8},
                      {20, 0.03},
                      {113, 0.8},
                      {910, 0.8},
                      {2000, 0.001}}) {
    std::vector<double> pk = BinomialProbabilities(n, p);
    ASSERT_EQ(pk.size(), static_cast<size_t>(n + 1));
    double sum = 0;
    for (int64_t k = 0; k <= n; ++k) {
      double want = BinomialPmf(n, p, k);
      double got = pk[static_cast<size_t>(k)];
      sum += got;
      if (want > 1e-250) {
        EXPECT_NEAR(got / want, 1.0, 1e-10) << n << " " << p << " " << k;
      } else {
        EXPECT_LT(got, 1e-240) << n << " " << p << " " << k;
      }
    }
    EXPECT_NEAR(sum, 1.0, 1e-14);
  }
  EXPECT_EQ(BinomialProbabilities(4, 0.0),
            (std::vector<double>{1, 0, 0, 0, 0}));
  EXPECT_EQ(BinomialProbabilities(3, 1.0), (std::vector<double>{0, 0, 0, 1}));
  EXPECT_EQ(BinomialProbabilities(0, 0.3), (std::vector<double>{1}));
}

TEST(StabilityRandom, DiscreteSamplerHoldsTheProbabilities) {
  // Tiny outcomes on both sides of the mode keep their relative precision.
  const std::vector<double> w = {1e-16, 0.25, 0.5, 0.0, 0.25, 3e-17};
  auto s = DiscreteSampler::Make(w);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->size(), w.size());
  double total = 0;
  for (double x : w) total += x;
  for (size_t k = 0; k < w.size(); ++k) {
    double want = w[k] / total;
    EXPECT_NEAR(s->Probability(k), want, 2e-16) << k;
    if (want > 0) {
      EXPECT_NEAR(s->Probability(k) / want, 1.0, 1e-2) << k;
    }
  }
  EXPECT_EQ(s->Probability(3), 0.0);
  EXPECT_EQ(s->Threshold(w.size() - 1), uint64_t{1} << 63u);
  // Weights need not be normalised.
  auto scaled = DiscreteSampler::Make(std::vector<double>{2, 6});
  ASSERT_TRUE(scaled.ok());
  EXPECT_EQ(scaled->Probability(0), 0.25);
}

TEST(StabilityRandom, DiscreteSamplerRefusesBadWeights) {
  EXPECT_FALSE(DiscreteSampler::Make(std::vector<double>{}).ok());
  EXPECT_FALSE(DiscreteSampler::Make(std::vector<double>{0, 0}).ok());
  EXPECT_FALSE(DiscreteSampler::Make(std::vector<double>{0.5, -0.1}).ok());
  EXPECT_FALSE(DiscreteSampler::Make(std::vector<double>{NAN, 1}).ok());
  EXPECT_FALSE(DiscreteSampler::Make(std::vector<double>{INFINITY, 1}).ok());
}

// The guide table only shortens the search: every draw is the outcome of
// plain inversion of the same U, T[k-1] <= U < T[k]. Checked on
// distributions that put many boundaries in one bucket of the guide.
TEST(StabilityRandom, DiscreteSamplerIsExactInversion) {
  std::vector<std::vector<double>> cases;
  cases.push_back(BinomialProbabilities(910, 0.8));
  cases.push_back(BinomialProbabilities(3, 0.8));
  std::vector<double> clustered(300, 1e-6);
  clustered[150] = 1.0;
  clustered[299] = 0.5;
  cases.push_back(clustered);
  cases.push_back({0.0, 1.0, 0.0, 1e-300, 2.0});
  for (size_t c = 0; c < cases.size(); ++c) {
    auto s = DiscreteSampler::Make(cases[c]);
    ASSERT_TRUE(s.ok()) << s.status();
    Pcg32 rng = TrialRng(10, c);
    for (int i = 0; i < 100000; ++i) {
      Pcg32 copy = rng;
      const uint64_t head = copy.Next32();
      const uint64_t u = (head << 31u) | (copy.Next32() >> 1u);
      size_t want = 0;
      while (s->Threshold(want) <= u) ++want;
      ASSERT_EQ(s->Sample(rng), want) << c << " " << i;
    }
  }
}

// When a threshold shares U's top 32 bits, the second Next32() decides:
// thresholds put inside the interval of the next draw's head, so that the
// low bits fall on either side of them.
TEST(StabilityRandom, DiscreteSamplerDrawsLowBitsOnlyWhenTheyDecide) {
  Pcg32 rng = TrialRng(13, 0);
  int below = 0;
  for (int i = 0; i < 2000; ++i) {
    Pcg32 copy = rng;
    const uint64_t head = copy.Next32();
    const uint64_t u = (head << 31u) | (copy.Next32() >> 1u);
    // T[0] in the middle of [head * 2^31, (head + 1) * 2^31).
    const double t0 = static_cast<double>((head << 31u) + (1u << 30u));
    auto s = DiscreteSampler::Make(
        std::vector<double>{t0 * 0x1.0p-63, 1.0 - t0 * 0x1.0p-63});
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->Threshold(0) >> 31u, head) << i;
    const uint32_t want = u < s->Threshold(0) ? 0 : 1;
    below += want == 0 ? 1 : 0;
    ASSERT_EQ(s->Sample(rng), want) << i;
    // Both words were used: the generators are in step again.
    ASSERT_EQ(rng.Next32(), copy.Next32()) << i;
  }
  EXPECT_GT(below, 900);  // the low bits fall on both sides, about evenly
  EXPECT_LT(below, 1100);
  // Without a tie one word is used.
  auto s = DiscreteSampler::Make(std::vector<double>{0.5, 0.5});
  ASSERT_TRUE(s.ok());
  Pcg32 copy = rng;
  s->Sample(rng);
  copy.Next32();
  EXPECT_EQ(rng.Next32(), copy.Next32());
}

// Pearson's chi-square of `counts` against probabilities `p` (n draws),
// bins with an expected count below 5 pooled; returns {statistic, df}.
std::pair<double, int> ChiSquare(const std::vector<int64_t>& counts,
                                 const std::vector<double>& p, int64_t n) {
  double stat = 0;
  int bins = 0;
  double pooled_expected = 0;
  int64_t pooled_count = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    pooled_expected += p[k] * static_cast<double>(n);
    pooled_count += counts[k];
    if (pooled_expected >= 5) {
      double d = static_cast<double>(pooled_count) - pooled_expected;
      stat += d * d / pooled_expected;
      ++bins;
      pooled_expected = 0;
      pooled_count = 0;
    }
  }
  if (pooled_count > 0 || pooled_expected > 0) {  // the tail: into a bin
    double d = static_cast<double>(pooled_count) - pooled_expected;
    stat += d * d / std::max(pooled_expected, 1e-300);
  }
  return {stat, bins - 1};
}

// The 0.999 quantile of chi-square with df degrees of freedom
// (Wilson-Hilferty, z = 3.0902).
double ChiSquare999(int df) {
  const double v = 2.0 / (9.0 * df);
  const double x = 1.0 - v + 3.0902 * std::sqrt(v);
  return df * x * x * x;
}

TEST(StabilityRandom, BinomialDrawsHaveTheBinomialDistribution) {
  for (auto [n, p] : {std::pair<int64_t, double>{1, 0.3},
                      {3, 0.8},
                      {20, 0.03},
                      {113, 0.8},
                      {910, 0.8}}) {
    std::vector<double> pk = BinomialProbabilities(n, p);
    auto s = DiscreteSampler::Make(pk);
    ASSERT_TRUE(s.ok());
    Pcg32 rng = TrialRng(11, static_cast<uint64_t>(n));
    const int64_t draws = 200000;
    std::vector<int64_t> counts(pk.size(), 0);
    double sum = 0, sum2 = 0;
    for (int64_t i = 0; i < draws; ++i) {
      uint32_t k = s->Sample(rng);
      ++counts[k];
      sum += k;
      sum2 += static_cast<double>(k) * k;
    }
    const double nd = static_cast<double>(n);
    const double mean = nd * p;
    const double var = nd * p * (1 - p);
    const double m = sum / draws;
    const double v = sum2 / draws - m * m;
    // 5 standard errors of the mean and of the variance; the sample
    // variance's is sqrt((mu4 - var^2) / draws), with the binomial's
    // fourth central moment mu4 = var * (1 + 3 (n - 2) p (1 - p)).
    const double mu4 = var * (1 + 3 * (nd - 2) * p * (1 - p));
    EXPECT_NEAR(m, mean, 5 * std::sqrt(var / draws)) << n << " " << p;
    EXPECT_NEAR(v, var, 5 * std::sqrt((mu4 - var * var) / draws))
        << n << " " << p;
    auto [chi2, df] = ChiSquare(counts, pk, draws);
    ASSERT_GE(df, 1);
    EXPECT_LT(chi2, ChiSquare999(df)) << n << " " << p << " df " << df;
  }
}

}  // namespace
}  // namespace detente::stability
