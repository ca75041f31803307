// Fingerprint: a fast 64-bit hash of a byte string under a seed (XXH3,
// from Debian's libxxhash-dev), for telling whether bytes read a second
// time are the bytes read the first time — an accidental change (a disk or
// file changed under a long pass) is caught with probability 1 - 2^-64,
// and a seed drawn at random per use (RandomSeed) gives whoever could
// change them no fixed function to aim at. It is NOT a cryptographic hash:
// whatever must be authenticated is checked against SHA-256 (the Merkle
// tree) first; a fingerprint only ties a later read to that check.
//
// Pure functions; thread-safe.
#ifndef DETENTE_BASE_FINGERPRINT_H_
#define DETENTE_BASE_FINGERPRINT_H_

#include <cstdint>
#include <string_view>

namespace detente {

uint64_t Fingerprint(std::string_view bytes, uint64_t seed);
// A seed from std::random_device.
uint64_t RandomFingerprintSeed();

}  // namespace detente

#endif  // DETENTE_BASE_FINGERPRINT_H_
