// Random numbers for the stability engine's Monte Carlo: a PCG32 generator
// (O'Neill 2014, pcg-random.org; the XSH-RR 64/32 member, identical output
// to pcg_random.hpp's pcg32 and to pcg_basic.c's pcg32_random_r), a
// SplitMix64 mixer to derive streams, and the distributions the engine
// needs, written here so that a seed gives the same numbers with every
// compiler and standard library (std::*_distribution does not).
//
// Streams: TrialRng(seed, trial) is the generator of one Monte Carlo trial.
// Its state is derived from (seed, trial) only, never from the thread or
// rank that runs the trial, so results do not depend on how trials are
// split between threads.
//
// A Pcg32 is a small mutable value; one thread uses it at a time. The free
// functions are pure. A DiscreteSampler is immutable once made: any number
// of threads may sample from it at once, each with its own generator.
#ifndef DETENTE_STABILITY_RANDOM_H_
#define DETENTE_STABILITY_RANDOM_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "detente/base/result.h"

namespace detente::stability {

class Pcg32 {
 public:
  // pcg32_srandom_r(initstate, initseq): the stream is selected by
  // `initseq` (its low 63 bits), the position in it by `initstate`.
  Pcg32(uint64_t initstate, uint64_t initseq);

  // The next 32 uniformly distributed bits.
  uint32_t Next32() {
    uint64_t old = state_;
    state_ = old * kMultiplier + inc_;
    return Output(old);
  }

  // Two outputs, the first in the high half: the same as two Next32()
  // calls, but both states are computed from the current one (the second
  // by the two-step LCG jump), so the generator's serial dependency is one
  // multiply-add per 64 bits instead of two.
  uint64_t Next64() {
    uint64_t s0 = state_;
    uint64_t s1 = s0 * kMultiplier + inc_;
    state_ = s0 * kMultiplier2 + inc2_;
    return (static_cast<uint64_t>(Output(s0)) << 32u) | Output(s1);
  }

 private:
  static constexpr uint64_t kMultiplier = 6364136223846793005ULL;
  static constexpr uint64_t kMultiplier2 = kMultiplier * kMultiplier;

  // XSH-RR: the output permutation of a state.
  static uint32_t Output(uint64_t s) {
    auto xorshifted = static_cast<uint32_t>(((s >> 18u) ^ s) >> 27u);
    auto rot = static_cast<uint32_t>(s >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
  }

  uint64_t state_ = 0;
  uint64_t inc_ = 1;
  uint64_t inc2_ = kMultiplier + 1;  // inc_ * (kMultiplier + 1)
};

// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
uint64_t SplitMix64(uint64_t x);

// The generator for Monte Carlo trial `trial` of a run seeded with `seed`:
// Pcg32(SplitMix64(seed ^ SplitMix64(trial)), SplitMix64(seed) + trial).
Pcg32 TrialRng(uint64_t seed, uint64_t trial);

// Uniform on [0, 1): the top 53 bits of Next64() times 2^-53.
double Uniform01(Pcg32& rng);

// True with probability p (p <= 0 never draws true, p >= 1 always does):
// Uniform01(rng) < p. Consumes one Next64() in every case, so that the
// stream's position does not depend on p.
bool Bernoulli(Pcg32& rng, double p);

// Two independent standard normal variates by the Box-Muller transform:
// u1 = 1 - Uniform01 (in (0, 1], so log is finite), u2 = Uniform01,
// r = sqrt(-2 ln u1), (r cos 2 pi u2, r sin 2 pi u2).
std::pair<double, double> StandardNormalPair(Pcg32& rng);

// A discrete distribution on {0, ..., K-1}, sampled by inversion: the
// outcome is the k with T[k-1] <= U < T[k], where T is the cumulative
// distribution in 63-bit fixed point (T[-1] = 0, T[K-1] = 2^63) and U is
// uniform on [0, 2^63): its top 32 bits are one Next32(), its low 31 bits
// the top of a second Next32() drawn only when the first leaves the outcome
// open (a threshold shares U's top 32 bits: probability below K * 2^-32).
// A guide table (Chen & Asau 1974) of at least 2K buckets on U's top bits
// starts the search near the outcome (expected comparisons at most 1.5).
// Each outcome's probability is held as a multiple of 2^-63: the
// cumulative sums below the most probable outcome are taken from the left,
// those above it from the right, so the smallest probabilities keep their
// relative precision (to 2^-63 absolute) and the mode absorbs the
// rounding. Immutable after Make: Sample is const and thread-safe given
// one Pcg32 per thread.
class DiscreteSampler {
 public:
  // `weights` need not sum to 1 (they are divided by their sum).
  // InvalidArgument if there are none, one is negative or not finite, or
  // they sum to 0.
  static Result<DiscreteSampler> Make(std::span<const double> weights);

  size_t size() const { return upper_.size(); }

  // The probability of outcome k as held: (T[k] - T[k-1]) * 2^-63.
  // REQUIRES: k < size().
  double Probability(size_t k) const;

  // T[k], the cumulative probability of outcomes 0..k in 63-bit fixed
  // point (T[size() - 1] = 2^63). REQUIRES: k < size().
  uint64_t Threshold(size_t k) const { return upper_[k]; }

  // One outcome in [0, size()); consumes one Next32(), or two (see above).
  uint32_t Sample(Pcg32& rng) const {
    const uint32_t head = rng.Next32();
    const uint64_t least = static_cast<uint64_t>(head) << 31u;  // U >= this
    uint32_t k = guide_[head >> head_shift_];
    // Usually one step at most: take it without a branch, then loop for
    // the rare rest (both stop at K-1: T[K-1] = 2^63 > U).
    k += upper_[k] <= least ? 1u : 0u;
    while (upper_[k] <= least) ++k;
    // T[k] > least: U < T[k] whatever U's low bits, unless T[k] has the
    // same top 32 bits as U (never for T[K-1] = 2^63).
    if ((upper_[k] >> 31u) != head) return k;
    return SampleLowBits(rng, least, k);
  }

 private:
  DiscreteSampler() = default;

  // The rest of Sample when U's low 31 bits decide: draws them and
  // continues the search from k.
  uint32_t SampleLowBits(Pcg32& rng, uint64_t least, uint32_t k) const;

  std::vector<uint64_t> upper_;  // T[k]
  std::vector<uint32_t> guide_;  // the first k with T[k] > bucket start
  uint32_t head_shift_ = 31;     // 32 - log2(guide_.size())
};

// The binomial distribution's probabilities P(X = k), k = 0..n, computed by
// the ratio P(k+1)/P(k) = (n-k)/(k+1) * p/(1-p) outward from the mode and
// normalised: only IEEE arithmetic (no libm), so the same on every
// platform; relative error about n * 2^-52. p <= 0 and p >= 1 give the
// point masses at 0 and n. REQUIRES: n >= 0.
std::vector<double> BinomialProbabilities(int64_t n, double p);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_RANDOM_H_
