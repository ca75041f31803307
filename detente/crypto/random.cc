#include "detente/crypto/random.h"

#include <sodium.h>

#include "detente/crypto/internal/sodium_init.h"

namespace detente::crypto {

void RandomBytes(std::span<uint8_t> out) {
  internal::EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

uint32_t RandomBelow(uint32_t upper) {
  if (upper == 0) return 0;
  internal::EnsureSodium();
  return randombytes_uniform(upper);
}

}  // namespace detente::crypto
