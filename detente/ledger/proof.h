// Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2)
// proofs, strict about shape: every hash exactly 32 bytes, the proof exactly
// as long as the sizes imply, the index below the size. Needs no tiles: this
// is what a party, a witness or an offline checker runs on what it was sent.
//
// Two forms of each function:
//  - over raw byte strings, for untrusted input (JSON, proof bundles, HTTP):
//    each length is checked and the error names the offending element;
//  - over Hash, for values already checked (e.g. proofs this process built).
//
// Every failure is InvalidArgument with a message that says what is wrong,
// e.g. "inclusion proof has 3 hashes, expected 4 for index 5 in a tree of
// size 8" or "inclusion proof does not verify: computed root 1f0e… ≠
// expected root 5dc9…".
//
// Consistency from size 0 (the suites disagree; docs/merkle.md): accepted
// exactly when the proof is empty, the old root is EmptyRoot() and the new
// root is a 32-byte hash (equal to the old one when the new size is 0 too).
// The empty tree is a prefix of every tree, so there is nothing to prove;
// what can still be wrong is a claimed old root that is not the empty tree's.
//
// Pure functions; thread-safe.
#ifndef DETENTE_LEDGER_PROOF_H_
#define DETENTE_LEDGER_PROOF_H_

#include <cstdint>
#include <span>
#include <vector>

#include "detente/base/status.h"
#include "detente/ledger/merkle_hash.h"

namespace detente::ledger {

// The number of hashes in PATH(index, D[size]).
// REQUIRES: index < size.
int InclusionProofSize(uint64_t index, uint64_t size);

// The number of hashes in PROOF(size1, D[size2]); 0 when size1 is 0 or
// size1 == size2.
// REQUIRES: size1 <= size2.
int ConsistencyProofSize(uint64_t size1, uint64_t size2);

// OK when `proof` shows that the leaf with hash `leaf_hash` is at `index` in
// the tree of `size` leaves whose root is `root`.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);
Status VerifyInclusion(uint64_t index, uint64_t size,
                       std::span<const uint8_t> leaf_hash,
                       std::span<const std::vector<uint8_t>> proof,
                       std::span<const uint8_t> root);

// OK when `proof` shows that the tree of `size1` leaves with root `root1` is
// a prefix of the tree of `size2` leaves with root `root2`.
Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const Hash> proof, const Hash& root1,
                         const Hash& root2);
Status VerifyConsistency(uint64_t size1, uint64_t size2,
                         std::span<const std::vector<uint8_t>> proof,
                         std::span<const uint8_t> root1,
                         std::span<const uint8_t> root2);

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_PROOF_H_
