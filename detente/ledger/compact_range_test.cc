#include "detente/ledger/compact_range.h"

#include <gtest/gtest.h>

#include <bit>
#include <set>
#include <tuple>
#include <vector>

#include "detente/ledger/merkle_testing.h"

namespace detente::ledger {
namespace {

using testutil::NaiveTree;
using testutil::TestLeaves;

TEST(CompactRangeTest, RootMatchesTheReferenceForEverySizeUpTo300) {
  const std::vector<Hash> leaves = TestLeaves(300);
  NaiveTree naive(leaves);
  CompactRange range;
  EXPECT_EQ(range.Root(), EmptyRoot());
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    range.Append(leaves[n - 1]);
    ASSERT_EQ(range.size(), n);
    ASSERT_EQ(range.hashes().size(), static_cast<size_t>(std::popcount(n)));
    ASSERT_EQ(range.Root(), naive.Root(n)) << "size " << n;
  }
}

TEST(CompactRangeTest, HashesArePerfectSubtreesLargestFirst) {
  const std::vector<Hash> leaves = TestLeaves(13);
  NaiveTree naive(leaves);
  CompactRange range;
  for (const Hash& leaf : leaves) range.Append(leaf);
  // 13 = 8 + 4 + 1.
  ASSERT_EQ(range.hashes().size(), 3u);
  EXPECT_EQ(range.hashes()[0], naive.Mth(0, 8));
  EXPECT_EQ(range.hashes()[1], naive.Mth(8, 12));
  EXPECT_EQ(range.hashes()[2], naive.Mth(12, 13));
}

TEST(CompactRangeTest, VisitorSeesEveryNodeOnceBottomUpWithItsHash) {
  const uint64_t n = 300;
  const std::vector<Hash> leaves = TestLeaves(n);
  NaiveTree naive(leaves);
  CompactRange range;
  std::set<std::pair<int, uint64_t>> seen;
  for (const Hash& leaf : leaves) {
    int last_level = -1;
    range.Append(leaf, [&](int level, uint64_t index, const Hash& hash) {
      EXPECT_EQ(level, last_level + 1);
      last_level = level;
      EXPECT_TRUE(seen.insert({level, index}).second)
          << "node (" << level << ", " << index << ") visited twice";
      const uint64_t lo = index << level;
      EXPECT_EQ(hash, naive.Mth(lo, lo + (uint64_t{1} << level)));
    });
  }
  // A tree of n leaves has 2n - popcount(n) perfect subtrees.
  EXPECT_EQ(seen.size(), 2 * n - static_cast<uint64_t>(std::popcount(n)));
}

TEST(CompactRangeTest, SerializeRoundTrips) {
  const std::vector<Hash> leaves = TestLeaves(77);
  CompactRange range;
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    const std::vector<uint8_t> bytes = range.Serialize();
    ASSERT_EQ(bytes.size(), 8 + 32 * static_cast<size_t>(std::popcount(n)));
    Result<CompactRange> back = CompactRange::Deserialize(bytes);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, range);
    EXPECT_EQ(back->Root(), range.Root());
    if (n < leaves.size()) range.Append(leaves[n]);
  }
}

TEST(CompactRangeTest, SerializedSizeIsBigEndian) {
  CompactRange range;
  for (const Hash& leaf : TestLeaves(258)) range.Append(leaf);
  const std::vector<uint8_t> bytes = range.Serialize();
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 8),
            (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 2}));
}

TEST(CompactRangeTest, DeserializeRejectsMalformedInput) {
  CompactRange range;
  for (const Hash& leaf : TestLeaves(5)) range.Append(leaf);
  std::vector<uint8_t> bytes = range.Serialize();

  Result<CompactRange> short_size =
      CompactRange::Deserialize(std::span(bytes).first(7));
  ASSERT_FALSE(short_size.ok());
  EXPECT_EQ(short_size.status().message(),
            "compact range is 7 bytes, shorter than its 8-byte size");

  bytes.pop_back();
  Result<CompactRange> truncated = CompactRange::Deserialize(bytes);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message(),
            "compact range of size 5 must be 72 bytes, got 71");

  bytes[7] = 7;  // size 7 needs three hashes
  bytes.push_back(0);
  EXPECT_FALSE(CompactRange::Deserialize(bytes).ok());
}

TEST(CompactRangeTest, FromHashesChecksTheCount) {
  Result<CompactRange> bad = CompactRange::FromHashes(6, {HashLeaf("x")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "compact range of size 6 needs 2 subtree hashes, got 1");
  EXPECT_TRUE(CompactRange::FromHashes(0, {}).ok());
}

}  // namespace
}  // namespace detente::ledger
