#include "detente/ledger/merkle_tree_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <span>
#include <utility>

namespace detente::ledger {

Result<MerkleTreeView> MerkleTreeView::Open(TileReader* tiles, uint64_t size,
                                            TileLayout layout) {
  return OpenCached(tiles, size, layout, kMaxTreeLevel + 1);
}

Result<MerkleTreeView> MerkleTreeView::OpenCached(TileReader* tiles,
                                                  uint64_t size,
                                                  TileLayout layout,
                                                  int cache_from_level) {
  DETENTE_RETURN_IF_ERROR(layout.Validate());
  if (tiles == nullptr) {
    return Status::InvalidArgument("MerkleTreeView needs a TileReader");
  }
  if (cache_from_level < 0 || cache_from_level > kMaxTreeLevel + 1) {
    return Status::InvalidArgument(
        fmt::format("cache level {} is outside 0..{}", cache_from_level,
                    kMaxTreeLevel + 1));
  }
  MerkleTreeView view(tiles, size, layout);
  if (cache_from_level <= kMaxTreeLevel && (size >> cache_from_level) > 0) {
    DETENTE_RETURN_IF_ERROR(view.LoadUpperLevels(cache_from_level));
  }
  DETENTE_RETURN_IF_ERROR(view.LoadEdge());
  return view;
}

Status MerkleTreeView::LoadEdge() {
  const size_t count = static_cast<size_t>(std::popcount(size_));
  edge_.reserve(count);
  edge_levels_.reserve(count);
  uint64_t start = 0;  // first leaf of the next edge subtree
  for (int level = kMaxTreeLevel; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size_ & width) == 0) continue;
    DETENTE_ASSIGN_OR_RETURN(Hash h, PerfectNode(level, start >> level));
    edge_.push_back(h);
    edge_levels_.push_back(level);
    start += width;
  }
  suffix_.resize(count);
  if (count > 0) {
    suffix_[count - 1] = edge_[count - 1];
    for (size_t j = count - 1; j-- > 0;) {
      suffix_[j] = HashChildren(edge_[j], suffix_[j + 1]);
    }
    root_ = suffix_[0];
  }
  return Status::Ok();
}

Status MerkleTreeView::LoadUpperLevels(int from) {
  auto cache = std::make_shared<UpperLevels>();
  cache->from = from;
  for (int level = from; level <= kMaxTreeLevel; ++level) {
    const uint64_t count = size_ >> level;
    if (count == 0) break;
    std::vector<Hash> hashes(static_cast<size_t>(count));
    if (layout_.StoresLevel(level)) {
      // Whole rows, 256 hashes per read.
      for (uint64_t row = 0; row * kTileWidth < count; ++row) {
        const uint64_t begin = row * kTileWidth;
        const uint64_t n = std::min<uint64_t>(kTileWidth, count - begin);
        Status s = tiles_->ReadHashes(
            level, row, 0,
            std::span<Hash>(hashes.data() + begin, static_cast<size_t>(n)));
        if (!s.ok()) {
          return s.WithContext(fmt::format(
              "caching level {} of a tree of size {}", level, size_));
        }
      }
    } else if (level > from) {
      const std::vector<Hash>& below = cache->levels.back();
      for (size_t k = 0; k < hashes.size(); ++k) {
        hashes[k] = HashChildren(below[2 * k], below[2 * k + 1]);
      }
    } else {
      for (uint64_t k = 0; k < count; ++k) {
        DETENTE_ASSIGN_OR_RETURN(hashes[static_cast<size_t>(k)],
                                 PerfectNode(level, k));
      }
    }
    cache->levels.push_back(std::move(hashes));
  }
  cache_ = std::move(cache);
  return Status::Ok();
}

CompactRange MerkleTreeView::compact_range() const {
  // edge_ has popcount(size_) hashes by construction.
  return CompactRange::FromHashes(size_, edge_).value();
}

Result<Hash> MerkleTreeView::PerfectNode(int level, uint64_t index) const {
  if (cache_ != nullptr && level >= cache_->from) {
    return cache_->levels[static_cast<size_t>(level - cache_->from)]
                         [static_cast<size_t>(index)];
  }
  // The node is the root of 2^depth consecutive hashes of the stored row at
  // `base`; they are aligned on 2^depth, which divides the row width, so
  // they never straddle two rows.
  const int base = level - level % layout_.row_stride;
  const int depth = level - base;
  const uint64_t first = index << depth;
  const size_t count = size_t{1} << depth;
  std::array<Hash, kTileWidth / 2> buf;
  std::span<Hash> hashes(buf.data(), count);
  Status s = tiles_->ReadHashes(base, first / kTileWidth,
                                static_cast<int>(first % kTileWidth), hashes);
  if (!s.ok()) {
    return s.WithContext(fmt::format(
        "node (level {}, index {}) of a tree of size {}", level, index, size_));
  }
  for (size_t n = count; n > 1; n /= 2) {
    for (size_t i = 0; i < n / 2; ++i) {
      buf[i] = HashChildren(buf[2 * i], buf[2 * i + 1]);
    }
  }
  return buf[0];
}

const Hash& MerkleTreeView::EdgeNode(int level) const {
  size_t j = 0;
  while (edge_levels_[j] >= level) ++j;
  return suffix_[j];
}

Result<Hash> MerkleTreeView::NodeHash(int level, uint64_t index) const {
  if (level < 0 || level > kMaxTreeLevel) {
    return Status::InvalidArgument(
        fmt::format("node level {} is outside 0..{}", level, kMaxTreeLevel));
  }
  if (index < (size_ >> level)) return PerfectNode(level, index);
  const uint64_t below = size_ & ((uint64_t{1} << level) - 1);
  if (index == (size_ >> level) && below != 0) return EdgeNode(level);
  return Status::OutOfRange(
      fmt::format("node (level {}, index {}) starts beyond a tree of size {}",
                  level, index, size_));
}

Result<Hash> MerkleTreeView::RootAt(uint64_t size) const {
  if (size > size_) {
    return Status::OutOfRange(
        fmt::format("root of size {} asked of a tree of size {}", size, size_));
  }
  if (size == size_) return root_;
  if (size == 0) return EmptyRoot();
  // Fold the perfect subtrees of `size`, smallest (rightmost) first.
  Hash root{};
  bool have = false;
  for (int level = 0; level <= kMaxTreeLevel; ++level) {
    if (((size >> level) & 1) == 0) continue;
    const uint64_t index = (size >> level) - 1;
    DETENTE_ASSIGN_OR_RETURN(Hash h, PerfectNode(level, index));
    root = have ? HashChildren(h, root) : h;
    have = true;
  }
  return root;
}

Status MerkleTreeView::AppendPath(uint64_t leaf, int from_level,
                                  std::vector<Hash>* proof) const {
  const uint64_t last = size_ - 1;
  const int height = static_cast<int>(std::bit_width(last));
  for (int level = from_level; level < height; ++level) {
    const uint64_t sibling = (leaf >> level) ^ 1;
    // Past the right edge: the node on the path is its parent's only child
    // and RFC 9162 does not pad it.
    if (sibling > (last >> level)) continue;
    if (sibling < (size_ >> level)) {
      DETENTE_ASSIGN_OR_RETURN(Hash h, PerfectNode(level, sibling));
      proof->push_back(h);
    } else {
      proof->push_back(EdgeNode(level));
    }
  }
  return Status::Ok();
}

Result<std::vector<Hash>> MerkleTreeView::InclusionProof(uint64_t index) const {
  if (index >= size_) {
    return Status::OutOfRange(
        fmt::format("leaf index {} is not below tree size {}", index, size_));
  }
  std::vector<Hash> proof;
  proof.reserve(std::bit_width(size_ - 1));
  DETENTE_RETURN_IF_ERROR(AppendPath(index, 0, &proof));
  return proof;
}

Result<std::vector<Hash>> MerkleTreeView::ConsistencyProof(
    uint64_t old_size) const {
  if (old_size > size_) {
    return Status::OutOfRange(
        fmt::format("consistency proof from size {} asked of a tree of size {}",
                    old_size, size_));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == size_) return proof;
  // The largest perfect subtree that ends at old_size is where the old
  // tree's right edge joins the path of leaf old_size - 1 (RFC 9162
  // SUBPROOF). The verifier knows it already when it is the whole old tree.
  const int shift = std::countr_zero(old_size);
  const uint64_t index = (old_size - 1) >> shift;
  proof.reserve(std::bit_width(size_ - 1) + 1);
  if (index != 0) {
    DETENTE_ASSIGN_OR_RETURN(Hash h, PerfectNode(shift, index));
    proof.push_back(h);
  }
  DETENTE_RETURN_IF_ERROR(AppendPath(old_size - 1, shift, &proof));
  return proof;
}

}  // namespace detente::ledger
