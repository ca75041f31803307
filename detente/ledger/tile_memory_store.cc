#include "detente/ledger/tile_memory_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace detente::ledger {

Status MemoryTileStore::Write(const TileRow& row) {
  if (row.tree_level < 0 || row.tree_level > kMaxTreeLevel) {
    return Status::InvalidArgument(fmt::format(
        "tile row level {} is outside 0..{}", row.tree_level, kMaxTreeLevel));
  }
  if (row.hashes.empty() || row.hashes.size() > size_t{kTileWidth}) {
    return Status::InvalidArgument(
        fmt::format("tile row (level {}, index {}) has {} hashes, expected "
                    "1..{}",
                    row.tree_level, row.index, row.hashes.size(), kTileWidth));
  }
  if (row.index > (UINT64_MAX / kTileWidth) - 1) {
    return Status::InvalidArgument(
        fmt::format("tile row index {} is too large", row.index));
  }
  if (levels_.size() <= static_cast<size_t>(row.tree_level)) {
    levels_.resize(static_cast<size_t>(row.tree_level) + 1);
  }
  std::vector<Hash>& level = levels_[static_cast<size_t>(row.tree_level)];
  const uint64_t start = row.index * kTileWidth;
  if (start > level.size()) {
    return Status::FailedPrecondition(fmt::format(
        "tile row (level {}, index {}) would leave a gap: level {} holds {} "
        "hashes, the row starts at {}",
        row.tree_level, row.index, row.tree_level, level.size(), start));
  }
  const size_t offset = static_cast<size_t>(start);
  const size_t overlap = std::min(level.size() - offset, row.hashes.size());
  for (size_t i = 0; i < overlap; ++i) {
    if (level[offset + i] != row.hashes[i]) {
      return Status::FailedPrecondition(fmt::format(
          "tile row (level {}, index {}) would change stored hash {} "
          "(append-only)",
          row.tree_level, row.index, i));
    }
  }
  level.insert(level.end(),
               row.hashes.begin() + static_cast<ptrdiff_t>(overlap),
               row.hashes.end());
  return Status::Ok();
}

Status MemoryTileStore::Write(std::span<const TileRow> rows) {
  for (const TileRow& row : rows) DETENTE_RETURN_IF_ERROR(Write(row));
  return Status::Ok();
}

Status MemoryTileStore::ReadHashes(int tree_level, uint64_t row_index,
                                   int first, std::span<Hash> out) {
  if (out.empty() && first >= 0 && first <= kTileWidth) return Status::Ok();
  const size_t level = static_cast<size_t>(tree_level);
  const uint64_t held =
      tree_level >= 0 && level < levels_.size() ? levels_[level].size() : 0;
  const uint64_t start = row_index * kTileWidth + static_cast<uint64_t>(first);
  // `start < held` also rules out row indexes so large that the product
  // wrapped: no level holds 2^56 rows.
  if (first < 0 || row_index >= held / kTileWidth + 1 || start > held ||
      out.size() > held - start) {
    return Status::NotFound(fmt::format(
        "tile row (level {}, index {}): hashes {}..{} are not stored (level "
        "holds {})",
        tree_level, row_index, first, first + static_cast<int64_t>(out.size()),
        held));
  }
  std::memcpy(out.data(), levels_[level].data() + start,
              out.size() * sizeof(Hash));
  return Status::Ok();
}

uint64_t MemoryTileStore::HashesAt(int tree_level) const {
  return tree_level >= 0 && static_cast<size_t>(tree_level) < levels_.size()
             ? levels_[static_cast<size_t>(tree_level)].size()
             : 0;
}

uint64_t MemoryTileStore::TotalHashes() const {
  uint64_t total = 0;
  for (const auto& level : levels_) total += level.size();
  return total;
}

}  // namespace detente::ledger
