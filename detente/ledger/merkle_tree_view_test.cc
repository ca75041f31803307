#include "detente/ledger/merkle_tree_view.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <thread>
#include <vector>

#include "detente/ledger/merkle_testing.h"
#include "detente/ledger/proof.h"
#include "detente/ledger/tile_memory_store.h"

namespace detente::ledger {
namespace {

using testutil::NaiveTree;
using testutil::TestLeaves;
using testutil::TiledTree;

// Counts the hashes a view reads, to show that proofs touch O(log n) stored
// hashes and never the leaves wholesale.
class CountingReader final : public TileReader {
 public:
  explicit CountingReader(TileReader* inner) : inner_(inner) {}
  Status ReadHashes(int tree_level, uint64_t row_index, int first,
                    std::span<Hash> out) override {
    hashes_read += out.size();
    return inner_->ReadHashes(tree_level, row_index, first, out);
  }
  uint64_t hashes_read = 0;

 private:
  TileReader* inner_;
};

// Checks the view of size n against the reference: root, every inclusion
// proof (or those of `indexes`), and consistency from every old size in
// `olds`; each proof must equal RFC 9162's byte for byte and verify.
void CheckView(const MerkleTreeView& view, NaiveTree& naive,
               const std::vector<uint64_t>& indexes,
               const std::vector<uint64_t>& olds) {
  const uint64_t n = view.size();
  const Hash root = naive.Root(n);
  ASSERT_EQ(view.root(), root) << "size " << n;
  for (uint64_t i : indexes) {
    Result<std::vector<Hash>> proof = view.InclusionProof(i);
    ASSERT_TRUE(proof.ok()) << proof.status();
    ASSERT_EQ(*proof, naive.Path(i, n)) << "index " << i << " size " << n;
    ASSERT_TRUE(VerifyInclusion(i, n, naive.Mth(i, i + 1), *proof, root).ok())
        << "index " << i << " size " << n;
  }
  for (uint64_t m : olds) {
    Result<std::vector<Hash>> proof = view.ConsistencyProof(m);
    ASSERT_TRUE(proof.ok()) << proof.status();
    ASSERT_EQ(*proof, naive.Proof(m, n)) << "sizes " << m << " " << n;
    Result<Hash> old_root = view.RootAt(m);
    ASSERT_TRUE(old_root.ok()) << old_root.status();
    ASSERT_EQ(*old_root, naive.Root(m)) << "size " << m;
    Status s = VerifyConsistency(m, n, *proof, *old_root, root);
    ASSERT_TRUE(s.ok()) << "sizes " << m << " " << n << ": " << s;
  }
}

std::vector<uint64_t> Iota(uint64_t begin, uint64_t end) {
  std::vector<uint64_t> out;
  for (uint64_t i = begin; i < end; ++i) out.push_back(i);
  return out;
}

// Every size up to 300 and every leaf; every old size up to 160 leaves and
// a third of them beyond (the full square costs seconds under sanitizers
// and finds nothing more). The default layout.
TEST(MerkleTreeViewTest, EveryProofUpTo300LeavesMatchesRfc9162) {
  const std::vector<Hash> leaves = TestLeaves(300);
  NaiveTree naive(leaves);
  TiledTree tree;
  tree.Append(leaves, 17);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    Result<MerkleTreeView> view = MerkleTreeView::Open(&tree.store, n);
    ASSERT_TRUE(view.ok()) << view.status();
    std::vector<uint64_t> olds;
    for (uint64_t m = 0; m <= n; ++m) {
      if (n <= 160 || m % 3 == n % 3 || m < 3 || m + 3 > n) olds.push_back(m);
    }
    CheckView(*view, naive, Iota(0, n), olds);
  }
}

// Every stride gives the same answers; the sweep is sampled for the larger
// strides, whose proofs cost more hashing.
TEST(MerkleTreeViewTest, EveryLayoutGivesTheSameProofs) {
  const std::vector<Hash> leaves = TestLeaves(300);
  NaiveTree naive(leaves);
  for (int stride : {1, 2, 4, 8}) {
    SCOPED_TRACE(::testing::Message() << "stride " << stride);
    TiledTree tree(TileLayout{stride});
    tree.Append(leaves, 32);
    for (uint64_t n = 0; n <= leaves.size(); n += (n < 40 ? 1 : 13)) {
      Result<MerkleTreeView> view =
          MerkleTreeView::Open(&tree.store, n, TileLayout{stride});
      ASSERT_TRUE(view.ok()) << view.status();
      std::vector<uint64_t> indexes, olds;
      for (uint64_t i = 0; i < n; i += (n < 40 ? 1 : 7)) indexes.push_back(i);
      for (uint64_t m = 0; m <= n; m += (n < 40 ? 1 : 11)) olds.push_back(m);
      if (n > 0) indexes.push_back(n - 1);
      olds.push_back(n);
      CheckView(*view, naive, indexes, olds);
      for (int cache_from : {0, 1, 3, 8}) {
        SCOPED_TRACE(::testing::Message() << "cached from " << cache_from);
        Result<MerkleTreeView> cached = MerkleTreeView::OpenCached(
            &tree.store, n, TileLayout{stride}, cache_from);
        ASSERT_TRUE(cached.ok()) << cached.status();
        CheckView(*cached, naive, indexes, olds);
      }
    }
  }
}

// Trees whose size crosses row (256) and upper-tile (65536) boundaries,
// proofs taken from around each boundary.
TEST(MerkleTreeViewTest, ProofsAcrossTileBoundaries) {
  const uint64_t max = 65536 + 1;
  const std::vector<Hash> leaves = TestLeaves(max);
  NaiveTree naive(leaves);
  const std::vector<uint64_t> sizes = {255,  256,  257,  511,   512,   513,
                                       4095, 4096, 4097, 65535, 65536, 65537};
  for (int stride : {2, 8}) {
    SCOPED_TRACE(::testing::Message() << "stride " << stride);
    TiledTree tree(TileLayout{stride});
    tree.Append(leaves, 1000);
    for (uint64_t n : sizes) {
      SCOPED_TRACE(::testing::Message() << "size " << n);
      Result<MerkleTreeView> view =
          MerkleTreeView::Open(&tree.store, n, TileLayout{stride});
      ASSERT_TRUE(view.ok()) << view.status();
      std::vector<uint64_t> indexes;
      for (uint64_t i : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128},
                         uint64_t{254}, uint64_t{255}, uint64_t{256},
                         uint64_t{257}, uint64_t{4095}, uint64_t{4096},
                         uint64_t{65535}, n / 2, n - 2, n - 1}) {
        if (i < n) indexes.push_back(i);
      }
      std::vector<uint64_t> olds;
      for (uint64_t m : sizes) {
        if (m <= n) olds.push_back(m);
      }
      for (uint64_t m : {uint64_t{0}, uint64_t{1}, uint64_t{3}, n - 1}) {
        olds.push_back(m);
      }
      CheckView(*view, naive, indexes, olds);
    }
  }
}

TEST(MerkleTreeViewTest, ProofsReadLogarithmicallyManyHashes) {
  const uint64_t n = 65537;
  TiledTree tree;  // stride 2
  tree.Append(TestLeaves(n), 4096);
  CountingReader counting(&tree.store);
  Result<MerkleTreeView> view = MerkleTreeView::Open(&counting, n);
  ASSERT_TRUE(view.ok()) << view.status();
  // Each level costs at most 2^(stride - 1) = 2 stored hashes.
  const uint64_t height = std::bit_width(n - 1);  // 17
  EXPECT_LE(counting.hashes_read, 2 * height);
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 100; ++trial) {
    counting.hashes_read = 0;
    const uint64_t index = rng() % n;
    ASSERT_TRUE(view->InclusionProof(index).ok());
    EXPECT_LE(counting.hashes_read, 2 * height) << "index " << index;
    counting.hashes_read = 0;
    ASSERT_TRUE(view->ConsistencyProof(index + 1).ok());
    EXPECT_LE(counting.hashes_read, 2 * (height + 1)) << "old " << index + 1;
  }
}

TEST(MerkleTreeViewTest, CachedViewsReadOnlyBelowTheCache) {
  const uint64_t n = 65537;
  TiledTree tree;  // stride 2
  tree.Append(TestLeaves(n), 4096);
  CountingReader counting(&tree.store);
  Result<MerkleTreeView> view =
      MerkleTreeView::OpenCached(&counting, n, TileLayout{}, 8);
  ASSERT_TRUE(view.ok()) << view.status();
  // Levels 8, 10, ... 16 read whole (256 + 64 + 16 + 4 + 1 hashes), then
  // the right edge: leaf 65536 (the other edge node, level 16, is cached).
  EXPECT_EQ(counting.hashes_read, 342u);
  Result<MerkleTreeView> plain = MerkleTreeView::Open(&tree.store, n);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(view->root(), plain->root());
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    counting.hashes_read = 0;
    const uint64_t index = rng() % n;
    const std::vector<Hash> proof = view->InclusionProof(index).value();
    EXPECT_EQ(proof, plain->InclusionProof(index).value());
    EXPECT_LE(counting.hashes_read, 2u * 8) << "index " << index;
  }
  // A copy shares the cache and gives the same answers.
  const MerkleTreeView copy = *view;
  EXPECT_EQ(copy.ConsistencyProof(1000).value(),
            plain->ConsistencyProof(1000).value());
  EXPECT_EQ(MerkleTreeView::OpenCached(&tree.store, n, TileLayout{}, 65)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      MerkleTreeView::OpenCached(&tree.store, n, TileLayout{}, 64).ok());
  EXPECT_TRUE(MerkleTreeView::OpenCached(&tree.store, 0, TileLayout{}, 0).ok());
}

TEST(MerkleTreeViewTest, NodeHashCoversPerfectAndEdgeNodes) {
  const std::vector<Hash> leaves = TestLeaves(13);
  NaiveTree naive(leaves);
  TiledTree tree;
  tree.Append(leaves);
  Result<MerkleTreeView> view = MerkleTreeView::Open(&tree.store, 13);
  ASSERT_TRUE(view.ok()) << view.status();
  for (int level = 0; level <= 4; ++level) {
    const uint64_t width = uint64_t{1} << level;
    for (uint64_t k = 0; k * width < 13; ++k) {
      Result<Hash> h = view->NodeHash(level, k);
      ASSERT_TRUE(h.ok()) << h.status();
      EXPECT_EQ(*h,
                naive.Mth(k * width, std::min<uint64_t>((k + 1) * width, 13)))
          << "node (" << level << ", " << k << ")";
    }
  }
  EXPECT_EQ(view->NodeHash(2, 4).status().message(),
            "node (level 2, index 4) starts beyond a tree of size 13");
  EXPECT_EQ(view->NodeHash(64, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(view->compact_range().Root(), naive.Root(13));
}

TEST(MerkleTreeViewTest, RejectsRequestsBeyondTheTree) {
  TiledTree tree;
  tree.Append(TestLeaves(8));
  Result<MerkleTreeView> view = MerkleTreeView::Open(&tree.store, 8);
  ASSERT_TRUE(view.ok()) << view.status();
  Result<std::vector<Hash>> inclusion = view->InclusionProof(8);
  EXPECT_EQ(inclusion.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(inclusion.status().message(),
            "leaf index 8 is not below tree size 8");
  EXPECT_EQ(view->ConsistencyProof(9).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(view->RootAt(9).status().code(), StatusCode::kOutOfRange);

  Result<MerkleTreeView> too_big = MerkleTreeView::Open(&tree.store, 9);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(MerkleTreeView::Open(nullptr, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MerkleTreeView::Open(&tree.store, 8, TileLayout{3}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MerkleTreeViewTest, EmptyTree) {
  MemoryTileStore store;
  Result<MerkleTreeView> view = MerkleTreeView::Open(&store, 0);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->root(), EmptyRoot());
  EXPECT_EQ(view->RootAt(0).value(), EmptyRoot());
  EXPECT_TRUE(view->ConsistencyProof(0).value().empty());
  EXPECT_FALSE(view->InclusionProof(0).ok());
  EXPECT_EQ(view->compact_range(), CompactRange());
}

// A view stays valid as the log grows: proofs at an old size are the same
// before and after more leaves are stored.
TEST(MerkleTreeViewTest, ViewOfAnOldSizeSurvivesAppends) {
  const std::vector<Hash> leaves = TestLeaves(600);
  TiledTree tree;
  tree.Append(std::span(leaves).first(300));
  Result<MerkleTreeView> view = MerkleTreeView::Open(&tree.store, 300);
  ASSERT_TRUE(view.ok()) << view.status();
  const std::vector<Hash> before = view->InclusionProof(299).value();
  tree.Append(std::span(leaves).subspan(300));
  EXPECT_EQ(view->InclusionProof(299).value(), before);
  EXPECT_EQ(MerkleTreeView::Open(&tree.store, 300)->root(), view->root());
}

TEST(MerkleTreeViewTest, ConcurrentProofsFromOneView) {
  const uint64_t n = 5000;
  TiledTree tree;
  tree.Append(TestLeaves(n), 500);
  Result<MerkleTreeView> view = MerkleTreeView::Open(&tree.store, n);
  ASSERT_TRUE(view.ok()) << view.status();
  std::vector<std::thread> threads;
  std::vector<int> failures(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t i = static_cast<uint64_t>(t); i < n; i += 2) {
        Result<std::vector<Hash>> proof = view->InclusionProof(i);
        if (!proof.ok() ||
            !VerifyInclusion(i, n, HashLeaf("leaf " + std::to_string(i)),
                             *proof, view->root())
                 .ok()) {
          ++failures[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures[0] + failures[1], 0);
}

}  // namespace
}  // namespace detente::ledger
