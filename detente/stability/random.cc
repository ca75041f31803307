#include "detente/stability/random.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "fmt/format.h"

namespace detente::stability {

Pcg32::Pcg32(uint64_t initstate, uint64_t initseq)
    : state_(0), inc_((initseq << 1u) | 1u), inc2_(inc_ * (kMultiplier + 1)) {
  Next32();
  state_ += initstate;
  Next32();
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30u)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27u)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31u);
}

Pcg32 TrialRng(uint64_t seed, uint64_t trial) {
  return Pcg32(SplitMix64(seed ^ SplitMix64(trial)), SplitMix64(seed) + trial);
}

double Uniform01(Pcg32& rng) {
  return static_cast<double>(rng.Next64() >> 11u) * 0x1.0p-53;
}

bool Bernoulli(Pcg32& rng, double p) { return Uniform01(rng) < p; }

std::pair<double, double> StandardNormalPair(Pcg32& rng) {
  double u1 = 1.0 - Uniform01(rng);
  double u2 = Uniform01(rng);
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(theta), r * std::sin(theta)};
}

namespace {

constexpr uint64_t kOne = uint64_t{1} << 63u;  // 1.0 in 63-bit fixed point

// x in [0, 1] in 63-bit fixed point, rounded down (x * 2^63 is exact).
uint64_t Fixed(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 1.0) return kOne;
  return static_cast<uint64_t>(x * 0x1.0p63);
}

}  // namespace

Result<DiscreteSampler> DiscreteSampler::Make(std::span<const double> weights) {
  if (weights.empty()) {
    return Status::InvalidArgument("discrete sampler: no outcomes");
  }
  if (weights.size() > (size_t{1} << 30u)) {
    return Status::InvalidArgument("discrete sampler: too many outcomes");
  }
  double sum = 0.0;
  for (size_t k = 0; k < weights.size(); ++k) {
    if (!std::isfinite(weights[k]) || weights[k] < 0.0) {
      return Status::InvalidArgument(fmt::format(
          "discrete sampler: weight {}: must be finite and >= 0 (got {})", k,
          weights[k]));
    }
    sum += weights[k];
  }
  if (!(sum > 0.0) || !std::isfinite(sum)) {
    return Status::InvalidArgument(
        "discrete sampler: weights must have a finite positive sum");
  }
  const size_t n = weights.size();
  size_t mode = 0;
  for (size_t k = 1; k < n; ++k) {
    if (weights[k] > weights[mode]) mode = k;
  }
  DiscreteSampler s;
  s.upper_.assign(n, kOne);
  // Below the mode: T[k] = P(X <= k); from the mode up: 1 - P(X > k).
  const double scale = 1.0 / sum;
  double left = 0.0;
  for (size_t k = 0; k < mode; ++k) {
    left += weights[k] * scale;
    s.upper_[k] = Fixed(left);
  }
  double right = 0.0;
  for (size_t k = n - 1; k > mode; --k) {
    right += weights[k] * scale;
    s.upper_[k - 1] = kOne - Fixed(right);
  }
  for (size_t k = 1; k < n; ++k) {
    s.upper_[k] = std::max(s.upper_[k], s.upper_[k - 1]);
  }
  s.upper_[n - 1] = kOne;
  // Guide: 2^b >= 2n buckets of U's top b bits (1 <= b <= 32).
  const uint64_t buckets = std::bit_ceil(uint64_t{2} * n);
  const auto bits = static_cast<uint32_t>(std::countr_zero(buckets));
  s.head_shift_ = 32u - bits;
  s.guide_.resize(buckets);
  uint32_t k = 0;
  for (uint64_t b = 0; b < buckets; ++b) {
    const uint64_t start = b << (63u - bits);
    while (s.upper_[k] <= start) ++k;
    s.guide_[b] = k;
  }
  return s;
}

uint32_t DiscreteSampler::SampleLowBits(Pcg32& rng, uint64_t least,
                                        uint32_t k) const {
  const uint64_t u = least | (rng.Next32() >> 1u);
  while (upper_[k] <= u) ++k;
  return k;
}

double DiscreteSampler::Probability(size_t k) const {
  uint64_t below = k == 0 ? 0 : upper_[k - 1];
  return static_cast<double>(upper_[k] - below) * 0x1.0p-63;
}

std::vector<double> BinomialProbabilities(int64_t n, double p) {
  const auto size = static_cast<size_t>(n + 1);
  std::vector<double> pk(size, 0.0);
  if (!(p > 0.0)) {
    pk[0] = 1.0;
    return pk;
  }
  if (p >= 1.0) {
    pk[size - 1] = 1.0;
    return pk;
  }
  const double odds = p / (1.0 - p);
  auto mode = static_cast<int64_t>(std::floor(static_cast<double>(n + 1) * p));
  mode = std::clamp<int64_t>(mode, 0, n);
  pk[static_cast<size_t>(mode)] = 1.0;
  for (int64_t k = mode; k < n; ++k) {
    const auto i = static_cast<size_t>(k);
    pk[i + 1] = pk[i] * (static_cast<double>(n - k) /
                         static_cast<double>(k + 1) * odds);
  }
  for (int64_t k = mode; k > 0; --k) {
    const auto i = static_cast<size_t>(k);
    pk[i - 1] = pk[i] * (static_cast<double>(k) /
                         static_cast<double>(n - k + 1) / odds);
  }
  double sum = 0.0;
  for (double v : pk) sum += v;
  for (double& v : pk) v /= sum;
  return pk;
}

}  // namespace detente::stability
