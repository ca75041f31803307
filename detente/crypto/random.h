// Secure random bytes and numbers from libsodium's generator
// (randombytes_buf, randombytes_uniform), for the values a party must not be
// able to predict or bias: the salt and the order of a reentry-vehicle
// commitment, the inspecting party's random value (docs/inspection.md).
// Never for simulations, which take a seeded generator so that runs repeat.
//
// Thread-safe (libsodium's generator is).
#ifndef DETENTE_CRYPTO_RANDOM_H_
#define DETENTE_CRYPTO_RANDOM_H_

#include <cstdint>
#include <span>

namespace detente::crypto {

// Fills `out` with random bytes.
void RandomBytes(std::span<uint8_t> out);

// A random number in [0, upper), uniform (no modulo bias); 0 when upper is 0.
uint32_t RandomBelow(uint32_t upper);

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_RANDOM_H_
