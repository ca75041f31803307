#include "detente/scenario/rng.h"

#include <string>

#include "detente/crypto/sha256.h"

namespace detente::scenario {
namespace {

uint64_t LoadBig64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Rng::Rng(uint64_t seed, std::string_view label) {
  std::string input = "detente/scenario/rng/v1\n";
  input += std::to_string(seed);
  input += '\n';
  input += label;
  crypto::Sha256Digest d = crypto::Sha256(input);
  // pcg32_srandom_r: the increment must be odd.
  inc_ = (LoadBig64(d.data() + 8) << 1) | 1u;
  state_ = 0;
  Next32();
  state_ += LoadBig64(d.data());
  Next32();
}

uint32_t Rng::Next32() {
  uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  auto xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
  auto rot = static_cast<uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

uint64_t Rng::Next64() {
  uint64_t hi = Next32();
  return (hi << 32) | Next32();
}

uint64_t Rng::Below(uint64_t n) {
  // Reject the low values that would make `x % n` uneven.
  uint64_t threshold = (0 - n) % n;
  for (;;) {
    uint64_t x = Next64();
    if (x >= threshold) return x % n;
  }
}

int64_t Rng::Range(int64_t lo, int64_t hi) {
  uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  if (span == 0) return static_cast<int64_t>(Next64());  // the full range
  return lo + static_cast<int64_t>(Below(span));
}

bool Rng::Chance(int64_t per_mille) {
  if (per_mille <= 0) return false;
  if (per_mille >= 1000) return true;
  return static_cast<int64_t>(Below(1000)) < per_mille;
}

}  // namespace detente::scenario
