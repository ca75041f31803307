// Tiles: how the hashes of a Merkle tree are stored so that any node, root or
// proof can be computed from O(log n) stored hashes, never by rehashing the
// leaves. Follows C2SP tlog-tiles (https://c2sp.org/tlog-tiles).
//
// A *row* is up to 256 consecutive node hashes of one tree level: the row
// (tree_level h, index N) holds the hashes of the nodes (h, 256N + i), i.e. of
// the perfect subtrees of 2^h leaves that start at leaf (256N + i) * 2^h. A
// row is partial (width < 256) only at the right edge of the tree; only
// perfect subtrees are ever stored, so a stored hash never changes.
//
// A C2SP tile of level L is exactly the row at tree level 8L (tile height 8).
// detente stores rows at every tree level that is a multiple of
// TileLayout::row_stride (1, 2, 4 or 8). Stride 8 stores exactly the C2SP
// tiles; a smaller stride stores extra rows in between, which a reader needs
// to answer proofs quickly. Computing node (h, k) reads 2^(h % stride) hashes
// from the row at level h - h % stride and hashes them together: with stride
// 8 a proof costs up to 127 SHA-256 computations per 8 tree levels, with
// stride 2 at most one per 2 levels (docs/merkle.md has the measurements and
// the storage each stride costs).
//
// TileReader is the interface a store implements; TileBuilder turns appended
// leaf hashes into the rows to write. MemoryTileStore (tile_memory_store.h)
// is the in-memory implementation for tests and benchmarks.
#ifndef DETENTE_LEDGER_TILE_H_
#define DETENTE_LEDGER_TILE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/status.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/merkle_hash.h"

namespace detente::ledger {

// C2SP tlog-tiles geometry; fixed by that spec.
inline constexpr int kTileHeight = 8;
inline constexpr int kTileWidth = 256;
// Levels of a tree of at most 2^64 - 1 leaves: 0 (leaves) to 63.
inline constexpr int kMaxTreeLevel = 63;

// Which tree levels are stored as rows. A log persists its layout (it is part
// of the store's format): reading with a smaller stride than the one written
// fails with NotFound on the first missing row.
struct TileLayout {
  // Rows are stored at tree levels 0, s, 2s, ...; s must be 1, 2, 4 or 8 so
  // that every C2SP tile level (8L) is among them.
  // 2 (default): 1.33 hashes stored per leaf; a proof costs at most one
  //   SHA-256 per two tree levels (50,000-100,000 inclusion proofs/s per
  //   core at 10M leaves in memory; issue 3 asks 50,000 on two cores).
  // 8: C2SP tiles only, 1.004 hashes per leaf, but up to 127 SHA-256 per
  //   eight levels: proofs 25 to 50 times slower.
  int row_stride = 2;

  // InvalidArgument unless row_stride is 1, 2, 4 or 8.
  Status Validate() const;

  bool StoresLevel(int tree_level) const {
    return tree_level % row_stride == 0;
  }
};

// Read access to stored rows: what a store provides to MerkleTreeView and to
// TileBuilder::Resume.
//
// Thread-safety: implementations document their own; MerkleTreeView's const
// methods are safe to call concurrently exactly when ReadHashes is.
class TileReader {
 public:
  virtual ~TileReader();

  // Copies the hashes at positions [first, first + out.size()) of the row
  // (tree_level, row_index) into `out`. Reading a sub-range rather than the
  // whole row lets a proof fetch the few hashes it needs without copying
  // 8 KiB per tree level (an SQLite store can use incremental blob reads).
  // NotFound when the row is absent or holds fewer than first + out.size()
  // hashes.
  // REQUIRES: 0 <= first, first + out.size() <= kTileWidth, tree_level in
  // [0, kMaxTreeLevel].
  virtual Status ReadHashes(int tree_level, uint64_t row_index, int first,
                            std::span<Hash> out) = 0;
};

// The C2SP tile (level, index) of width `width` (1..256): the first `width`
// hashes of the row at tree level 8 * level. InvalidArgument for a bad
// coordinate, NotFound when not stored.
Result<std::vector<Hash>> ReadTile(TileReader& reader, int level,
                                   uint64_t index, int width);

// The C2SP tile path "tile/<L>/<N>[.p/<W>]", N in groups of three digits all
// but the last prefixed with "x" (1234067 -> "x001/x234/067"); the ".p/<W>"
// suffix only for a partial tile (width < 256).
// REQUIRES: 0 <= level, 1 <= width <= kTileWidth.
std::string TilePath(int level, uint64_t index, int width);

// A row to write: its full content so far. hashes[0, first_new) were already
// emitted by an earlier TakeRows() (a store that appends may skip them; one
// that overwrites blobs writes all of them). A full row (256 hashes) is
// emitted once more only if it had not been emitted full before.
struct TileRow {
  int tree_level = 0;
  uint64_t index = 0;
  int first_new = 0;
  std::vector<Hash> hashes;  // 1..256; hashes.size() is the row's width

  friend bool operator==(const TileRow&, const TileRow&) = default;
};

// Turns appended leaf hashes into the rows a store must write, keeping only
// the compact range and the partial row of each stored level in memory
// (O(log n)). Each node is hashed exactly once, as it is completed.
//
// Usage: Append() the leaves of a batch, then TakeRows() and write them in
// the same transaction as the leaves. A builder is a copyable value, so a
// writer can keep a copy to fall back on if the transaction fails.
//
// Thread-safety: none; one writer owns a builder.
class TileBuilder {
 public:
  // A builder for an empty tree.
  // REQUIRES: layout.Validate().ok().
  explicit TileBuilder(TileLayout layout = {});

  // A builder that continues the tree of `size` leaves whose rows `tiles`
  // holds (written with the same layout): reads the compact range and the
  // partial rows at the right edge (O(log n) hashes).
  static Result<TileBuilder> Resume(TileReader& tiles, uint64_t size,
                                    TileLayout layout = {});

  // REQUIRES: size() < UINT64_MAX.
  void Append(const Hash& leaf_hash);

  // The rows that changed since the last call, ordered by (tree_level,
  // index); then forgets them.
  std::vector<TileRow> TakeRows();

  uint64_t size() const { return range_.size(); }
  const TileLayout& layout() const { return layout_; }
  const CompactRange& range() const { return range_; }
  Hash Root() const { return range_.Root(); }

 private:
  // The rightmost row of one stored level.
  struct OpenRow {
    uint64_t index = 0;
    int emitted = 0;  // hashes already handed out by TakeRows()
    bool dirty = false;
    std::vector<Hash> hashes;
  };

  // Nodes of one level arrive in index order (CompactRange completes them
  // left to right), so a node always lands at the end of its open row.
  void AddNode(int level, const Hash& hash);

  TileLayout layout_;
  CompactRange range_;
  std::vector<OpenRow> open_;      // by level / row_stride
  std::vector<TileRow> finished_;  // full rows not yet taken
};

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_TILE_H_
