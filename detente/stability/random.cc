#include "detente/stability/random.h"

#include <cmath>
#include <numbers>

namespace detente::stability {

namespace {
constexpr uint64_t kPcgMultiplier = 6364136223846793005ULL;
}  // namespace

Pcg32::Pcg32(uint64_t initstate, uint64_t initseq)
    : state_(0), inc_((initseq << 1u) | 1u) {
  Next32();
  state_ += initstate;
  Next32();
}

uint32_t Pcg32::Next32() {
  uint64_t old = state_;
  state_ = old * kPcgMultiplier + inc_;
  auto xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
  auto rot = static_cast<uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

uint64_t Pcg32::Next64() {
  uint64_t hi = Next32();
  uint64_t lo = Next32();
  return (hi << 32u) | lo;
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

}  // namespace detente::stability
