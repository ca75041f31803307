// CompactRange: the O(log n) state needed to keep appending to a Merkle tree
// and to compute its root — the hashes of the perfect subtrees that tile the
// leaves [0, size), one per set bit of `size`, left to right (largest first).
// This is the "compact range" of transparency-dev/merkle restricted to ranges
// that start at leaf 0, which is all an append-only log needs.
//
// Example: size 13 = 0b1101 holds the roots of [0, 8), [8, 12) and [12, 13).
//
// A CompactRange is a value (copyable, movable) that owns its hashes. It is
// serialisable so that a store may persist it beside the log (see
// docs/merkle.md for the byte format); a store may equally rebuild it from
// its tiles (MerkleTreeView::compact_range()).
//
// Thread-safety: as for any value: const methods may be called concurrently;
// Append needs exclusive access.
#ifndef DETENTE_LEDGER_COMPACT_RANGE_H_
#define DETENTE_LEDGER_COMPACT_RANGE_H_

#include <bit>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "detente/base/result.h"
#include "detente/ledger/merkle_hash.h"

namespace detente::ledger {

class CompactRange {
 public:
  // The empty range [0, 0).
  CompactRange() = default;

  // A range of `size` leaves from its subtree hashes, largest subtree first.
  // InvalidArgument unless hashes.size() == popcount(size).
  static Result<CompactRange> FromHashes(uint64_t size,
                                         std::vector<Hash> hashes);

  // Parses the output of Serialize(); InvalidArgument on any other input.
  static Result<CompactRange> Deserialize(std::span<const uint8_t> bytes);

  // 8-byte big-endian size, then popcount(size) hashes of 32 bytes, largest
  // subtree first. Nothing else: the store's schema version governs changes.
  std::vector<uint8_t> Serialize() const;

  uint64_t size() const { return size_; }

  // The subtree hashes, largest (leftmost) first; hashes()[i] is the root of
  // a perfect subtree of 2^level leaves where level is the i-th highest set
  // bit of size().
  std::span<const Hash> hashes() const { return hashes_; }

  // Appends one leaf hash.
  // REQUIRES: size() < UINT64_MAX.
  void Append(const Hash& leaf_hash) {
    Append(leaf_hash, [](int, uint64_t, const Hash&) {});
  }

  // As Append(leaf_hash), and calls visit(level, index, hash) for the leaf
  // (level 0, index = old size) and then for every interior node this append
  // completes, bottom up. Node (level, index) is the root of the leaves
  // [index * 2^level, (index + 1) * 2^level). TileBuilder uses this to
  // collect the hashes it stores, so no node is ever hashed twice.
  template <typename Visitor>
  void Append(const Hash& leaf_hash, Visitor&& visit);

  // The root of the tree of size() leaves (RFC 9162 MTH); EmptyRoot() when
  // empty. Costs popcount(size) - 1 hashes.
  Hash Root() const;

  friend bool operator==(const CompactRange& a, const CompactRange& b) {
    return a.size_ == b.size_ && a.hashes_ == b.hashes_;
  }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

template <typename Visitor>
void CompactRange::Append(const Hash& leaf_hash, Visitor&& visit) {
  Hash hash = leaf_hash;
  uint64_t index = size_;
  int level = 0;
  visit(0, index, hash);
  // Each trailing 1 bit of the old size is a perfect subtree of the same
  // height as the one just completed: merge them, as a binary carry does.
  for (uint64_t carry = size_; carry & 1; carry >>= 1) {
    hash = HashChildren(hashes_.back(), hash);
    hashes_.pop_back();
    ++level;
    index >>= 1;
    visit(level, index, std::as_const(hash));
  }
  hashes_.push_back(hash);
  ++size_;
}

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_COMPACT_RANGE_H_
