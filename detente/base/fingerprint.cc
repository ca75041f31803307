#include "detente/base/fingerprint.h"

#include <random>

// Header-only use of xxHash: its functions are compiled here, inline, and
// nothing is linked.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace detente {

uint64_t Fingerprint(std::string_view bytes, uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

uint64_t RandomFingerprintSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace detente
