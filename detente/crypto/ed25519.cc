#include "detente/crypto/ed25519.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "detente/crypto/encoding.h"
#include "detente/crypto/internal/sodium_init.h"

namespace detente::crypto {
namespace {

static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == kEd25519PublicKeySize);
static_assert(crypto_sign_ed25519_SEEDBYTES == kEd25519SeedSize);
static_assert(crypto_sign_ed25519_BYTES == kEd25519SignatureSize);
static_assert(crypto_sign_ed25519_SECRETKEYBYTES == 64);

using Bytes32 = std::array<uint8_t, 32>;

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr Bytes32 kGroupOrder = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// y coordinates (sign bit clear, little-endian) of the 8 small-order points
// of edwards25519, plus the two non-canonical spellings y = p and y = p + 1
// of 0 and 1. Matching y with the sign bit ignored covers all 14 encodings
// listed in C2SP/CCTV ed25519/README.md.
constexpr Bytes32 kSmallOrderY[] = {
    // y = 0: the two points of order 4.
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // y = 1: the identity (order 1).
    {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // Two points of order 8 each.
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    // y = p - 1: the point of order 2.
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // y = p and y = p + 1: non-canonical spellings of 0 and 1.
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

// The y coordinate of an encoding: the sign bit of x cleared.
Bytes32 YOf(std::span<const uint8_t, 32> point) {
  Bytes32 y;
  std::copy(point.begin(), point.end(), y.begin());
  y[31] &= 0x7f;
  return y;
}

// 2^255 - 19 <= y: the top 255 bits are all ones except that the low byte
// is at least 0xed.
bool YIsAtLeastP(const Bytes32& y) {
  if (y[31] != 0x7f || y[0] < 0xed) return false;
  return std::all_of(y.begin() + 1, y.begin() + 31,
                     [](uint8_t b) { return b == 0xff; });
}

// y = 1 or y = p - 1, the two points whose x is 0.
bool XIsZero(const Bytes32& y) {
  return y == kSmallOrderY[1] || y == kSmallOrderY[4];
}

// A probe for Ed25519LibraryMatchesRule: a CCTV vector whose A and R pass
// checks 1-5, so that only libsodium's equation decides it.
struct Probe {
  int cctv_number;
  std::string_view key_hex;
  std::string_view sig_hex;
  std::string_view msg;
  bool accept;  // under the cofactorless equation
};

// From C2SP/CCTV ed25519/ed25519vectors.json (see docs/signatures.md).
constexpr Probe kProbes[] = {
    // Mixed-order A; the equation holds without the cofactor: accepted.
    {50, "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f",
     "b62cf890de42c413b11b1411c9f01f1c4d77aa87ef182258d1251f69af2a3506"
     "08f32d206a7c0b7efa9a59e66546e8f1f599ef843fb502c9cc3c4ae8b7c11e05",
     "ed25519vectors 5", true},
    // Mixed-order A and R whose low-order components cancel: accepted.
    {7, "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f",
     "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56b"
     "bbfd00bd9c259d8d222d15e67a3d8228585050dbb9b9585be20d8fadc721da03",
     "ed25519vectors", true},
    // Mixed-order A with a low-order residue: only the cofactored equation
    // holds, so the rule rejects it.
    {51, "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f",
     "b62cf890de42c413b11b1411c9f01f1c4d77aa87ef182258d1251f69af2a3506"
     "030b03796b78f7afeadfccaedc9d09ce6d487d1ece1f16b1ae2b59b7e5c40603",
     "ed25519vectors 3", false},
};

Status RunProbes() {
  for (const Probe& p : kProbes) {
    Result<std::vector<uint8_t>> key = HexDecode(p.key_hex);
    Result<std::vector<uint8_t>> sig = HexDecode(p.sig_hex);
    if (!key.ok() || !sig.ok() || key->size() != 32 || sig->size() != 64) {
      return Status::Internal("Ed25519 probe vector is malformed");
    }
    const bool accepted =
        crypto_sign_ed25519_verify_detached(
            sig->data(), reinterpret_cast<const unsigned char*>(p.msg.data()),
            p.msg.size(), key->data()) == 0;
    if (accepted != p.accept) {
      return Status::Internal(fmt::format(
          "the installed libsodium ({}) {} CCTV Ed25519 vector {}, which the "
          "acceptance rule {}s (docs/signatures.md); refusing to verify any "
          "signature until the rule is reviewed",
          sodium_version_string(), accepted ? "accepts" : "rejects",
          p.cctv_number, p.accept ? "accept" : "reject"));
    }
  }
  return Status::Ok();
}

}  // namespace

Ed25519KeyPair Ed25519KeyPair::Generate() {
  internal::EnsureSodium();
  Ed25519KeyPair pair;
  crypto_sign_ed25519_keypair(pair.public_key_.data(), pair.secret_key_.data());
  return pair;
}

Ed25519KeyPair Ed25519KeyPair::FromSeed(const Ed25519Seed& seed) {
  internal::EnsureSodium();
  Ed25519KeyPair pair;
  crypto_sign_ed25519_seed_keypair(pair.public_key_.data(),
                                   pair.secret_key_.data(), seed.data());
  return pair;
}

Ed25519KeyPair::~Ed25519KeyPair() {
  sodium_memzero(secret_key_.data(), secret_key_.size());
}

Ed25519Seed Ed25519KeyPair::seed() const {
  Ed25519Seed seed;
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_key_.data());
  return seed;
}

Ed25519Signature Ed25519KeyPair::Sign(std::span<const uint8_t> message) const {
  Ed25519Signature sig;
  crypto_sign_ed25519_detached(sig.data(), nullptr, message.data(),
                               message.size(), secret_key_.data());
  return sig;
}

bool Ed25519IsCanonicalScalar(std::span<const uint8_t, 32> s) {
  for (size_t i = 32; i-- > 0;) {
    if (s[i] != kGroupOrder[i]) return s[i] < kGroupOrder[i];
  }
  return false;  // s == L
}

bool Ed25519IsCanonicalPoint(std::span<const uint8_t, 32> point) {
  const Bytes32 y = YOf(point);
  if (YIsAtLeastP(y)) return false;
  const bool sign = (point[31] & 0x80) != 0;
  return !(sign && XIsZero(y));
}

bool Ed25519IsSmallOrderPoint(std::span<const uint8_t, 32> point) {
  const Bytes32 y = YOf(point);
  return std::find(std::begin(kSmallOrderY), std::end(kSmallOrderY), y) !=
         std::end(kSmallOrderY);
}

Status Ed25519CheckPublicKey(const Ed25519PublicKey& public_key) {
  if (!Ed25519IsCanonicalPoint(public_key)) {
    return Status::InvalidArgument(
        "Ed25519: public key A is not a canonical point encoding");
  }
  if (Ed25519IsSmallOrderPoint(public_key)) {
    return Status::InvalidArgument(
        "Ed25519: public key A is a small-order point");
  }
  return Status::Ok();
}

Status Ed25519LibraryMatchesRule() {
  internal::EnsureSodium();
  static const Status result = RunProbes();
  return result;
}

Status Ed25519Verify(const Ed25519PublicKey& public_key,
                     std::span<const uint8_t> message,
                     const Ed25519Signature& signature) {
  DETENTE_RETURN_IF_ERROR(Ed25519LibraryMatchesRule());
  const std::span<const uint8_t, 32> r(signature.data(), 32);
  const std::span<const uint8_t, 32> s(signature.data() + 32, 32);
  if (!Ed25519IsCanonicalScalar(s)) {
    return Status::InvalidArgument(
        "Ed25519: signature scalar S is not reduced (S >= L)");
  }
  DETENTE_RETURN_IF_ERROR(Ed25519CheckPublicKey(public_key));
  if (!Ed25519IsCanonicalPoint(r)) {
    return Status::InvalidArgument(
        "Ed25519: signature point R is not a canonical point encoding");
  }
  if (Ed25519IsSmallOrderPoint(r)) {
    return Status::InvalidArgument(
        "Ed25519: signature point R is a small-order point");
  }
  if (crypto_sign_ed25519_verify_detached(signature.data(), message.data(),
                                          message.size(),
                                          public_key.data()) != 0) {
    return Status::InvalidArgument(
        "Ed25519: signature does not verify ([S]B - [k]A != R)");
  }
  return Status::Ok();
}

}  // namespace detente::crypto
