// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: the leaf hash, the
// interior-node hash and the root of the empty tree, plus the checked
// conversion of untrusted bytes into a Hash.
//
// The 0x00 / 0x01 prefixes keep a leaf from ever being read as an interior
// node (second-preimage resistance); they are fixed by the RFC and by every
// verifier that will check our proofs, so they are not configurable.
//
// SHA-256 is crypto::Sha256 (OpenSSL's, with the CPU's SHA extensions).
// Values only, no state. All functions are thread-safe.
#ifndef DETENTE_LEDGER_MERKLE_HASH_H_
#define DETENTE_LEDGER_MERKLE_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "detente/base/result.h"

namespace detente::ledger {

inline constexpr size_t kHashSize = 32;

// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
using Hash = std::array<uint8_t, kHashSize>;

// SHA-256(0x00 || data).
Hash HashLeaf(std::span<const uint8_t> data);
Hash HashLeaf(std::string_view data);

// SHA-256(0x01 || left || right).
Hash HashChildren(const Hash& left, const Hash& right);

// The root of the tree of size 0: SHA-256("") (RFC 9162 §2.1.1).
const Hash& EmptyRoot();

// Lower-case hex, 64 characters.
std::string HashToHex(const Hash& hash);

// `bytes` as a Hash, or InvalidArgument naming `what` when the length is not
// exactly 32 ("root is 12 bytes, expected 32"). For hashes from untrusted
// input (proofs, checkpoints, JSON).
Result<Hash> HashFromBytes(std::span<const uint8_t> bytes,
                           std::string_view what);

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_MERKLE_HASH_H_
