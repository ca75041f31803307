// Ed25519 (RFC 8032, pure mode) key pairs, signing, and verification under
// ONE documented acceptance rule.
//
// Two parties must agree on which notifications are validly signed, and
// Ed25519 implementations disagree on edge cases (non-canonical encodings,
// small-order and mixed-order points). Ed25519Verify accepts exactly what
// libsodium 1.0.18's crypto_sign_verify_detached accepts, restated as
// explicit checks that run before libsodium is called, so the rule is ours
// rather than whatever the installed libsodium happens to do:
//
//   1. S is canonical: S < L (the prime order of the base point);
//   2. A (public key) is a canonical encoding: y < p, and the sign bit is
//      clear when x = 0;
//   3. A is not one of the 8 small-order points;
//   4. R (first half of the signature) is a canonical encoding;
//   5. R is not one of the 8 small-order points;
//   6. the cofactorless equation holds, checked by re-encoding:
//      encode([S]B - [k]A) == R bytes, with k = SHA-512(R || A || M) mod L
//      over the bytes as given.
//
// Mixed-order points (a small-order component plus a prime-order one) are
// not rejected as such: they pass or fail on the cofactorless equation.
// docs/signatures.md states the rule, what it means for each flag of the
// CCTV test vectors (43 of 914 accepted), and why. On first use the library
// is probed with three of those vectors; if the installed libsodium has
// changed its equation (e.g. become cofactored, or started rejecting
// mixed-order points), every verification fails with an Internal status
// instead of silently following the new behaviour.
//
// Ed25519KeyPair owns secret key material and wipes it on destruction;
// copies are independent and each wipes its own. All functions are
// thread-safe; an Ed25519KeyPair is immutable after construction.
#ifndef DETENTE_CRYPTO_ED25519_H_
#define DETENTE_CRYPTO_ED25519_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "detente/base/result.h"
#include "detente/base/status.h"

namespace detente::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<uint8_t, kEd25519PublicKeySize>;
// The RFC 8032 private key: 32 random bytes from which the signing scalar
// and the nonce prefix are derived.
using Ed25519Seed = std::array<uint8_t, kEd25519SeedSize>;
// R (32 bytes, a point) || S (32 bytes, a scalar).
using Ed25519Signature = std::array<uint8_t, kEd25519SignatureSize>;

class Ed25519KeyPair {
 public:
  // A fresh key pair from the operating system's CSPRNG. Deliberately not
  // reproducible; tests use FromSeed.
  static Ed25519KeyPair Generate();
  // The key pair RFC 8032 derives from `seed` (deterministic).
  static Ed25519KeyPair FromSeed(const Ed25519Seed& seed);

  Ed25519KeyPair(const Ed25519KeyPair& other) = default;
  Ed25519KeyPair& operator=(const Ed25519KeyPair& other) = default;
  ~Ed25519KeyPair();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // A copy of the secret seed; the caller must keep it secret (key files).
  Ed25519Seed seed() const;

  // Deterministic RFC 8032 signature of `message`.
  Ed25519Signature Sign(std::span<const uint8_t> message) const;

 private:
  Ed25519KeyPair() = default;

  // libsodium's secret key layout: seed || public key.
  std::array<uint8_t, 64> secret_key_{};
  Ed25519PublicKey public_key_{};
};

// OK when `signature` is a valid signature of `message` by `public_key`
// under the rule above. Otherwise InvalidArgument naming the first check
// that failed ("Ed25519: public key A is a small-order point"), or Internal
// when the installed libsodium no longer matches the rule.
Status Ed25519Verify(const Ed25519PublicKey& public_key,
                     std::span<const uint8_t> message,
                     const Ed25519Signature& signature);

// Checks 2 and 3 alone: whether any signature by this key could be
// accepted. Used to refuse useless verifier keys when they are loaded.
Status Ed25519CheckPublicKey(const Ed25519PublicKey& public_key);

// The pieces of the rule, exposed for tests and documentation.
//
// s < L, read little-endian.
bool Ed25519IsCanonicalScalar(std::span<const uint8_t, 32> s);
// y < p and not (x = 0 with the sign bit set). Says nothing about whether
// the point is on the curve.
bool Ed25519IsCanonicalPoint(std::span<const uint8_t, 32> point);
// The y coordinate (sign bit ignored, reduced mod p) is that of one of the
// 8 points of order 1, 2, 4 or 8, so all 14 encodings of them match.
bool Ed25519IsSmallOrderPoint(std::span<const uint8_t, 32> point);

// Whether libsodium's equation check still behaves as the rule requires on
// three probe vectors (mixed-order points accepted when the cofactorless
// equation holds, rejected when only the cofactored one does). Runs once;
// later calls return the cached result.
Status Ed25519LibraryMatchesRule();

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_ED25519_H_
