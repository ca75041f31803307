// Rng: the scenario module's only source of randomness — a PCG32 generator
// (O'Neill, pcg-random.org, XSH-RR 64/32) whose state comes from SHA-256 of
// a seed and a label, so that a simulation's streams are reproducible from
// the user's seed alone, independent of each other and of the platform.
// Nothing here reads a clock or the operating system's entropy.
//
// A Rng is a small mutable value owned by one thread at a time.
#ifndef DETENTE_SCENARIO_RNG_H_
#define DETENTE_SCENARIO_RNG_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace detente::scenario {

class Rng {
 public:
  // The stream named `label` of `seed`: state and increment from
  // SHA-256("detente/scenario/rng/v1\n" || decimal seed || "\n" || label).
  Rng(uint64_t seed, std::string_view label);

  uint32_t Next32();
  uint64_t Next64();
  // Uniform in [0, n); REQUIRES: n > 0. Unbiased (rejection).
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi]; REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi);
  // True with probability per_mille / 1000.
  bool Chance(int64_t per_mille);

  // Fisher-Yates.
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      size_t j = static_cast<size_t>(Below(i));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  uint64_t state_ = 0;
  uint64_t inc_ = 1;
};

}  // namespace detente::scenario

#endif  // DETENTE_SCENARIO_RNG_H_
