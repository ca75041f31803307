#include "detente/ledger/tile.h"

#include <gtest/gtest.h>

#include <vector>

#include "detente/ledger/merkle_testing.h"
#include "detente/ledger/tile_memory_store.h"

namespace detente::ledger {
namespace {

using testutil::NaiveTree;
using testutil::TestLeaves;
using testutil::TiledTree;

TEST(TileLayoutTest, StrideMustDivideTheC2spTileHeight) {
  for (int stride : {1, 2, 4, 8}) {
    EXPECT_TRUE(TileLayout{stride}.Validate().ok()) << stride;
  }
  for (int stride : {0, 3, 5, 16, -1}) {
    EXPECT_FALSE(TileLayout{stride}.Validate().ok()) << stride;
  }
}

TEST(TilePathTest, FollowsC2sp) {
  EXPECT_EQ(TilePath(0, 0, 256), "tile/0/000");
  EXPECT_EQ(TilePath(0, 1234067, 256), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath(1, 1000, 5), "tile/1/x001/000.p/5");
  EXPECT_EQ(TilePath(2, 999, 255), "tile/2/999.p/255");
  EXPECT_EQ(TilePath(3, 1000000, 256), "tile/3/x001/x000/000");
}

// Every stored row must hold exactly the perfect subtree hashes of its
// level, whatever the batching of appends.
void ExpectRowsAreNodeHashes(TiledTree& tree, TileLayout layout, uint64_t size,
                             NaiveTree& naive) {
  MemoryTileStore& store = tree.store;
  for (int level = 0; level <= kMaxTreeLevel; ++level) {
    const uint64_t nodes = size >> level;
    if (!layout.StoresLevel(level) || nodes == 0) {
      EXPECT_EQ(store.HashesAt(level), 0u) << "level " << level;
      continue;
    }
    ASSERT_EQ(store.HashesAt(level), nodes) << "level " << level;
    for (uint64_t k = 0; k < nodes; ++k) {
      Hash got;
      ASSERT_TRUE(store
                      .ReadHashes(level, k / kTileWidth,
                                  static_cast<int>(k % kTileWidth),
                                  std::span(&got, 1))
                      .ok());
      const uint64_t lo = k << level;
      ASSERT_EQ(got, naive.Mth(lo, lo + (uint64_t{1} << level)))
          << "node (" << level << ", " << k << ")";
    }
  }
}

TEST(TileBuilderTest, RowsHoldThePerfectSubtreesOfEveryStoredLevel) {
  const std::vector<Hash> leaves = TestLeaves(1000);
  NaiveTree naive(leaves);
  for (int stride : {1, 2, 4, 8}) {
    for (size_t batch : {size_t{1}, size_t{7}, size_t{256}, size_t{1000}}) {
      SCOPED_TRACE(::testing::Message()
                   << "stride " << stride << " batch " << batch);
      TiledTree tree(TileLayout{stride});
      tree.Append(leaves, batch);
      EXPECT_EQ(tree.builder.size(), leaves.size());
      EXPECT_EQ(tree.builder.Root(), naive.Root(leaves.size()));
      ExpectRowsAreNodeHashes(tree, TileLayout{stride}, leaves.size(), naive);
    }
  }
}

TEST(TileBuilderTest, TakeRowsReportsWhatIsNew) {
  const std::vector<Hash> leaves = TestLeaves(600);
  TileBuilder builder(TileLayout{8});
  for (size_t i = 0; i < 250; ++i) builder.Append(leaves[i]);
  std::vector<TileRow> rows = builder.TakeRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].tree_level, 0);
  EXPECT_EQ(rows[0].index, 0u);
  EXPECT_EQ(rows[0].first_new, 0);
  EXPECT_EQ(rows[0].hashes.size(), 250u);

  EXPECT_TRUE(builder.TakeRows().empty());

  // Completes row 0, starts row 1 and the first level-8 hash.
  for (size_t i = 250; i < 260; ++i) builder.Append(leaves[i]);
  rows = builder.TakeRows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].index, 0u);
  EXPECT_EQ(rows[0].first_new, 250);
  EXPECT_EQ(rows[0].hashes.size(), 256u);
  EXPECT_EQ(rows[1].index, 1u);
  EXPECT_EQ(rows[1].first_new, 0);
  EXPECT_EQ(rows[1].hashes.size(), 4u);
  EXPECT_EQ(rows[2].tree_level, 8);
  EXPECT_EQ(rows[2].hashes.size(), 1u);

  // A partial row is re-emitted in full, with first_new after the old part.
  for (size_t i = 260; i < 262; ++i) builder.Append(leaves[i]);
  rows = builder.TakeRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].index, 1u);
  EXPECT_EQ(rows[0].first_new, 4);
  EXPECT_EQ(rows[0].hashes.size(), 6u);
  EXPECT_EQ(rows[0].hashes[5], leaves[261]);
}

TEST(TileBuilderTest, ResumeContinuesExactlyWhereTheTreeStopped) {
  const std::vector<Hash> leaves = TestLeaves(1100);
  NaiveTree naive(leaves);
  for (int stride : {1, 2, 4, 8}) {
    for (uint64_t stop : {0u, 1u, 2u, 255u, 256u, 257u, 511u, 512u, 1024u}) {
      SCOPED_TRACE(::testing::Message()
                   << "stride " << stride << " stop " << stop);
      const TileLayout layout{stride};
      TiledTree tree(layout);
      tree.Append(std::span(leaves).first(stop), 3);
      Result<TileBuilder> resumed =
          TileBuilder::Resume(tree.store, stop, layout);
      ASSERT_TRUE(resumed.ok()) << resumed.status();
      EXPECT_EQ(resumed->range(), tree.builder.range());
      tree.builder = std::move(resumed).value();
      tree.Append(std::span(leaves).subspan(stop), 5);
      EXPECT_EQ(tree.builder.Root(), naive.Root(leaves.size()));
      ExpectRowsAreNodeHashes(tree, layout, leaves.size(), naive);
    }
  }
}

TEST(TileBuilderTest, ResumeFailsWhenTheTilesAreShort) {
  TiledTree tree;
  tree.Append(TestLeaves(10));
  Result<TileBuilder> resumed = TileBuilder::Resume(tree.store, 11);
  ASSERT_FALSE(resumed.ok());
  EXPECT_EQ(resumed.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(TileBuilder::Resume(tree.store, 10, TileLayout{3}).ok());
}

TEST(ReadTileTest, ReadsC2spTilesFromTheirRows) {
  const std::vector<Hash> leaves = TestLeaves(700);
  NaiveTree naive(leaves);
  TiledTree tree(TileLayout{4});
  tree.Append(leaves, 64);
  Result<std::vector<Hash>> tile = ReadTile(tree.store, 0, 2, 700 - 512);
  ASSERT_TRUE(tile.ok()) << tile.status();
  EXPECT_EQ(*tile, std::vector<Hash>(leaves.begin() + 512, leaves.end()));
  Result<std::vector<Hash>> upper = ReadTile(tree.store, 1, 0, 2);
  ASSERT_TRUE(upper.ok()) << upper.status();
  EXPECT_EQ((*upper)[1], naive.Mth(256, 512));

  EXPECT_EQ(ReadTile(tree.store, 0, 2, 189).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadTile(tree.store, 0, 0, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTile(tree.store, 0, 0, 257).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTile(tree.store, 8, 0, 1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MemoryTileStoreTest, IsAppendOnly) {
  MemoryTileStore store;
  const std::vector<Hash> leaves = TestLeaves(300);
  std::vector<Hash> first(leaves.begin(), leaves.begin() + 10);
  ASSERT_TRUE(store.Write(TileRow{0, 0, 0, first}).ok());
  // Rewriting the same prefix, longer, is how a partial row grows.
  std::vector<Hash> longer(leaves.begin(), leaves.begin() + 20);
  ASSERT_TRUE(store.Write(TileRow{0, 0, 10, longer}).ok());
  EXPECT_EQ(store.HashesAt(0), 20u);

  std::vector<Hash> changed = longer;
  changed[3] = leaves[299];
  Status s = store.Write(TileRow{0, 0, 20, changed});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "tile row (level 0, index 0) would change stored hash 3 "
            "(append-only)");

  s = store.Write(TileRow{0, 1, 0, {leaves[0]}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "tile row (level 0, index 1) would leave a gap: level 0 holds 20 "
            "hashes, the row starts at 256");

  EXPECT_EQ(store.Write(TileRow{0, 0, 0, {}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Write(TileRow{64, 0, 0, {leaves[0]}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Write(TileRow{0, 0, 0, leaves}).code(),
            StatusCode::kInvalidArgument);
}

TEST(MemoryTileStoreTest, ReadsAreBoundsChecked) {
  MemoryTileStore store;
  const std::vector<Hash> leaves = TestLeaves(20);
  ASSERT_TRUE(store.Write(TileRow{0, 0, 0, leaves}).ok());
  std::vector<Hash> out(4);
  EXPECT_TRUE(store.ReadHashes(0, 0, 16, out).ok());
  EXPECT_EQ(out[3], leaves[19]);
  Status s = store.ReadHashes(0, 0, 17, out);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "tile row (level 0, index 0): hashes 17..21 are not stored "
            "(level holds 20)");
  EXPECT_FALSE(store.ReadHashes(0, 1, 0, out).ok());
  EXPECT_FALSE(store.ReadHashes(2, 0, 0, out).ok());
  EXPECT_FALSE(store.ReadHashes(0, uint64_t{1} << 60, 0, out).ok());
  EXPECT_FALSE(store.ReadHashes(-1, 0, 0, out).ok());
  EXPECT_FALSE(store.ReadHashes(0, 0, -1, out).ok());
}

}  // namespace
}  // namespace detente::ledger
