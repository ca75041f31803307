#include "detente/ledger/tile.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "detente/ledger/merkle_tree_view.h"

namespace detente::ledger {

Status TileLayout::Validate() const {
  if (row_stride == 1 || row_stride == 2 || row_stride == 4 ||
      row_stride == 8) {
    return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "tile row stride {} is not 1, 2, 4 or 8 (C2SP tiles sit at every "
      "8th tree level, so the stride must divide 8)",
      row_stride));
}

TileReader::~TileReader() = default;

Result<std::vector<Hash>> ReadTile(TileReader& reader, int level,
                                   uint64_t index, int width) {
  if (level < 0 || level * kTileHeight > kMaxTreeLevel) {
    return Status::InvalidArgument(fmt::format(
        "tile level {} is outside 0..{}", level, kMaxTreeLevel / kTileHeight));
  }
  if (width < 1 || width > kTileWidth) {
    return Status::InvalidArgument(
        fmt::format("tile width {} is outside 1..{}", width, kTileWidth));
  }
  std::vector<Hash> hashes(static_cast<size_t>(width));
  DETENTE_RETURN_IF_ERROR(
      reader.ReadHashes(level * kTileHeight, index, 0, hashes));
  return hashes;
}

std::string TilePath(int level, uint64_t index, int width) {
  // Groups of three decimal digits, most significant first.
  std::vector<unsigned> groups;
  do {
    groups.push_back(static_cast<unsigned>(index % 1000));
    index /= 1000;
  } while (index > 0);
  std::string path = fmt::format("tile/{}/", level);
  for (size_t i = groups.size(); i-- > 1;) {
    path += fmt::format("x{:03}/", groups[i]);
  }
  path += fmt::format("{:03}", groups[0]);
  if (width < kTileWidth) path += fmt::format(".p/{}", width);
  return path;
}

TileBuilder::TileBuilder(TileLayout layout) : layout_(layout) {}

Result<TileBuilder> TileBuilder::Resume(TileReader& tiles, uint64_t size,
                                        TileLayout layout) {
  DETENTE_RETURN_IF_ERROR(layout.Validate());
  DETENTE_ASSIGN_OR_RETURN(MerkleTreeView view,
                           MerkleTreeView::Open(&tiles, size, layout));
  TileBuilder builder(layout);
  builder.range_ = view.compact_range();
  for (int level = 0; level <= kMaxTreeLevel; level += layout.row_stride) {
    const uint64_t nodes = size >> level;  // perfect subtrees at this level
    if (nodes == 0) break;
    OpenRow row;
    row.index = nodes / kTileWidth;
    const int width = static_cast<int>(nodes % kTileWidth);
    row.hashes.reserve(kTileWidth);
    row.hashes.resize(static_cast<size_t>(width));
    if (width > 0) {
      Status s = tiles.ReadHashes(level, row.index, 0, row.hashes);
      if (!s.ok()) {
        return s.WithContext(fmt::format(
            "resuming tiles of a tree of size {}: partial row (level {}, "
            "index {})",
            size, level, row.index));
      }
    }
    row.emitted = width;
    builder.open_.push_back(std::move(row));
  }
  return builder;
}

void TileBuilder::Append(const Hash& leaf_hash) {
  range_.Append(leaf_hash, [this](int level, uint64_t, const Hash& h) {
    AddNode(level, h);
  });
}

void TileBuilder::AddNode(int level, const Hash& hash) {
  if (!layout_.StoresLevel(level)) return;
  const size_t slot = static_cast<size_t>(level / layout_.row_stride);
  if (open_.size() <= slot) {
    // Nodes of a level arrive in index order, so a level's first node is
    // node 0 and its first row is row 0.
    open_.resize(slot + 1);
    open_[slot].hashes.reserve(kTileWidth);
  }
  OpenRow& row = open_[slot];
  row.hashes.push_back(hash);
  row.dirty = true;
  if (row.hashes.size() == static_cast<size_t>(kTileWidth)) {
    finished_.push_back(
        TileRow{level, row.index, row.emitted, std::move(row.hashes)});
    const uint64_t next = row.index + 1;
    row = OpenRow{};
    row.index = next;
    row.hashes.reserve(kTileWidth);
  }
}

std::vector<TileRow> TileBuilder::TakeRows() {
  std::vector<TileRow> rows = std::move(finished_);
  finished_.clear();
  for (size_t slot = 0; slot < open_.size(); ++slot) {
    OpenRow& row = open_[slot];
    if (!row.dirty) continue;
    rows.push_back(TileRow{static_cast<int>(slot) * layout_.row_stride,
                           row.index, row.emitted, row.hashes});
    row.emitted = static_cast<int>(row.hashes.size());
    row.dirty = false;
  }
  std::sort(rows.begin(), rows.end(), [](const TileRow& a, const TileRow& b) {
    return a.tree_level != b.tree_level ? a.tree_level < b.tree_level
                                        : a.index < b.index;
  });
  return rows;
}

}  // namespace detente::ledger
