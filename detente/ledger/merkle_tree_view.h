// MerkleTreeView: the Merkle tree of one size, read from stored tiles — its
// root, any node hash, and RFC 9162 inclusion (§2.1.3.1) and consistency
// (§2.1.4.1) proofs, all computed from O(log n) stored hashes.
//
// Opening a view reads the right edge of the tree (the compact range of its
// size) and precomputes the hashes of the "ephemeral" nodes along it, the
// nodes that cover a partial subtree and are never stored. After that, a
// proof costs one stored read per tree level plus at most 2^(h % stride) - 1
// SHA-256 per level h (tile.h), and no hashing for the right edge.
//
// A server keeps one view per published tree size and answers every proof at
// that size from it; OpenCached() additionally keeps the upper levels of the
// tree in memory, so that a proof reads and hashes only below them.
//
// Nodes that are perfect subtrees of a tree of size n are the same in every
// larger tree, so a view of size n may read tiles written up to any later
// size: a view stays valid while the log grows.
//
// Ownership: borrows the TileReader, which must outlive the view. A view is a
// copyable value.
// Thread-safety: immutable after Open(); const methods may run concurrently
// when the TileReader's ReadHashes may.
#ifndef DETENTE_LEDGER_MERKLE_TREE_VIEW_H_
#define DETENTE_LEDGER_MERKLE_TREE_VIEW_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "detente/base/result.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/merkle_hash.h"
#include "detente/ledger/tile.h"

namespace detente::ledger {

class MerkleTreeView {
 public:
  // The view of the first `size` leaves of the tree stored in `tiles` with
  // `layout`. Reads popcount(size) nodes. NotFound (from the reader) when the
  // tiles hold fewer than `size` leaves.
  static Result<MerkleTreeView> Open(TileReader* tiles, uint64_t size,
                                     TileLayout layout = {});

  // As Open(), and keeps the hash of every perfect subtree at tree levels
  // >= cache_from_level in memory: about 2 * size / 2^cache_from_level
  // hashes, read and computed once here (level 8, a C2SP level-1 tile per
  // hash, costs 0.25 bytes per leaf: 2.5 MB and ~40,000 SHA-256 at 10M
  // leaves). A proof then reads and hashes only the levels below. Copies of
  // the view share the cache. InvalidArgument unless cache_from_level is in
  // 0..64 (64: nothing cached).
  static Result<MerkleTreeView> OpenCached(TileReader* tiles, uint64_t size,
                                           TileLayout layout,
                                           int cache_from_level);

  uint64_t size() const { return size_; }

  // RFC 9162 MTH of the tree; EmptyRoot() for size 0.
  const Hash& root() const { return root_; }

  // The perfect subtrees along the right edge.
  CompactRange compact_range() const;

  // The hash of node (level, index): the root of the leaves
  // [index * 2^level, min((index + 1) * 2^level, size())). A node cut by the
  // right edge is computed from the perfect subtrees it covers, as RFC 9162
  // defines it. OutOfRange when the node starts at or beyond size();
  // InvalidArgument for a level outside 0..63.
  Result<Hash> NodeHash(int level, uint64_t index) const;

  // The root of the tree of the first `size` leaves.
  // OutOfRange when size > size().
  Result<Hash> RootAt(uint64_t size) const;

  // PATH(index, D[size()]): sibling hashes from the leaf up, as RFC 9162
  // §2.1.3.1 orders them. OutOfRange when index >= size().
  Result<std::vector<Hash>> InclusionProof(uint64_t index) const;

  // PROOF(old_size, D[size()]) (RFC 9162 §2.1.4.1). Empty when old_size is
  // 0 or size(): see docs/merkle.md for why a proof from the empty tree is
  // empty. OutOfRange when old_size > size().
  Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size) const;

 private:
  // Perfect-subtree hashes of the levels from `from` up, by level then
  // index; immutable once built.
  struct UpperLevels {
    int from = 0;
    std::vector<std::vector<Hash>> levels;
  };

  MerkleTreeView(TileReader* tiles, uint64_t size, TileLayout layout)
      : tiles_(tiles), layout_(layout), size_(size) {}

  // Reads the right edge and folds it into suffix_ and root_.
  Status LoadEdge();

  // Fills cache_ with the levels from `from` up.
  Status LoadUpperLevels(int from);

  // The hash of a perfect subtree, from the stored row at or below `level`.
  // REQUIRES: index < size_ >> level.
  Result<Hash> PerfectNode(int level, uint64_t index) const;

  // The node at `level` that the right edge cuts: the fold of the edge
  // subtrees below `level`.
  // REQUIRES: size_ has a set bit below `level`.
  const Hash& EdgeNode(int level) const;

  // Appends to `proof` the siblings of the path from the node at
  // `from_level` above leaf `leaf` to the root, skipping the levels where
  // the node has no sibling (RFC 9162's tree is not padded).
  Status AppendPath(uint64_t leaf, int from_level,
                    std::vector<Hash>* proof) const;

  TileReader* tiles_;
  TileLayout layout_;
  uint64_t size_;
  Hash root_ = EmptyRoot();
  // The perfect subtrees of the compact range, largest first, and their
  // levels (the set bits of size_, high to low).
  std::vector<Hash> edge_;
  std::vector<int> edge_levels_;
  // suffix_[j] is the root of the leaves covered by edge_[j..]: the hash of
  // the ephemeral node whose lowest perfect subtree starts at edge_[j].
  std::vector<Hash> suffix_;
  std::shared_ptr<const UpperLevels> cache_;  // null: nothing cached
};

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_MERKLE_TREE_VIEW_H_
