// Random numbers for the stability engine's Monte Carlo: a PCG32 generator
// (O'Neill 2014, pcg-random.org; the XSH-RR 64/32 member, identical output
// to pcg_random.hpp's pcg32 and to pcg_basic.c's pcg32_random_r), a
// SplitMix64 mixer to derive streams, and the two distributions the engine
// needs, written here so that a seed gives the same numbers with every
// compiler and standard library (std::*_distribution does not).
//
// Streams: TrialRng(seed, trial) is the generator of one Monte Carlo trial.
// Its state is derived from (seed, trial) only, never from the thread or
// rank that runs the trial, so results do not depend on how trials are
// split between threads.
//
// A Pcg32 is a small mutable value; one thread uses it at a time. The free
// functions are pure.
#ifndef DETENTE_STABILITY_RANDOM_H_
#define DETENTE_STABILITY_RANDOM_H_

#include <cstdint>
#include <utility>

namespace detente::stability {

class Pcg32 {
 public:
  // pcg32_srandom_r(initstate, initseq): the stream is selected by
  // `initseq` (its low 63 bits), the position in it by `initstate`.
  Pcg32(uint64_t initstate, uint64_t initseq);

  // The next 32 uniformly distributed bits.
  uint32_t Next32();
  // Two outputs, the first in the high half.
  uint64_t Next64();

 private:
  uint64_t state_ = 0;
  uint64_t inc_ = 1;
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

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_RANDOM_H_
