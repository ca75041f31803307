// SHA-256 (FIPS 180-4), one-shot and incremental, computed by OpenSSL's
// libcrypto, which uses the CPU's SHA extensions (SHA-NI) where there are
// any: about five times libsodium's portable code on the development
// machine (bench/README.md), and every log entry is hashed on each read.
//
// Used for C2SP key ids here and for RFC 9162 Merkle hashing in
// detente/ledger. Digests are fixed-size values (std::array), never strings.
//
// Thread-safety: Sha256() is pure. A Sha256Hasher is a mutable value owned
// by one thread at a time; distinct hashers are independent.
#ifndef DETENTE_CRYPTO_SHA256_H_
#define DETENTE_CRYPTO_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace detente::crypto {

inline constexpr size_t kSha256DigestSize = 32;
using Sha256Digest = std::array<uint8_t, kSha256DigestSize>;

Sha256Digest Sha256(std::span<const uint8_t> data);
Sha256Digest Sha256(std::string_view data);

// Hashes data given in pieces: Update() any number of times, then Finish().
//
//   Sha256Hasher h;
//   h.Update(prefix);
//   h.Update(body);
//   Sha256Digest d = h.Finish();
class Sha256Hasher {
 public:
  Sha256Hasher();

  // Copying forks the hash state: both copies continue independently (used
  // to hash a common prefix once).
  Sha256Hasher(const Sha256Hasher&) = default;
  Sha256Hasher& operator=(const Sha256Hasher&) = default;

  void Update(std::span<const uint8_t> data);
  void Update(std::string_view data);
  void Update(uint8_t byte) { Update(std::span<const uint8_t>(&byte, 1)); }

  // The digest of everything given since construction or the last Finish();
  // the hasher is then reset to hash a new message.
  Sha256Digest Finish();

 private:
  // OpenSSL's SHA256_CTX (112 bytes, 4-byte aligned), held inline so that
  // hashing allocates nothing and <openssl/sha.h> stays out of this header;
  // sha256.cc checks the size and alignment at compile time.
  alignas(8) std::array<unsigned char, 112> state_;
};

}  // namespace detente::crypto

#endif  // DETENTE_CRYPTO_SHA256_H_
