#include "detente/ledger/proof.h"

#include <gtest/gtest.h>

#include <vector>

#include "detente/ledger/merkle_testing.h"

namespace detente::ledger {
namespace {

using testutil::NaiveTree;
using testutil::TestLeaves;

std::vector<std::vector<uint8_t>> ToBytes(const std::vector<Hash>& proof) {
  std::vector<std::vector<uint8_t>> out;
  for (const Hash& h : proof) out.emplace_back(h.begin(), h.end());
  return out;
}

TEST(ProofSizeTest, MatchesTheReferenceProofLengths) {
  NaiveTree naive(TestLeaves(70));
  for (uint64_t n = 1; n <= 70; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      ASSERT_EQ(static_cast<size_t>(InclusionProofSize(i, n)),
                naive.Path(i, n).size())
          << i << " " << n;
    }
    for (uint64_t m = 0; m <= n; ++m) {
      ASSERT_EQ(static_cast<size_t>(ConsistencyProofSize(m, n)),
                naive.Proof(m, n).size())
          << m << " " << n;
    }
  }
  // No overflow at the top of the range.
  EXPECT_EQ(InclusionProofSize(0, UINT64_MAX), 64);
  // The last leaf of 2^64 - 1 leaves: one left sibling per other set bit.
  EXPECT_EQ(InclusionProofSize(UINT64_MAX - 1, UINT64_MAX), 63);
  // The old tree is the left half; the proof is the right half's root.
  EXPECT_EQ(ConsistencyProofSize(uint64_t{1} << 63, UINT64_MAX), 1);
}

class ProofVerifyTest : public ::testing::Test {
 protected:
  ProofVerifyTest() : leaves_(TestLeaves(21)), naive_(leaves_) {}
  std::vector<Hash> leaves_;
  NaiveTree naive_;
};

TEST_F(ProofVerifyTest, InclusionErrorsSayWhatIsWrong) {
  std::vector<Hash> proof = naive_.Path(5, 8);
  const Hash root = naive_.Root(8);
  ASSERT_TRUE(VerifyInclusion(5, 8, leaves_[5], proof, root).ok());

  proof.pop_back();
  EXPECT_EQ(VerifyInclusion(5, 8, leaves_[5], proof, root).message(),
            "inclusion proof has 2 hashes, expected 3 for index 5 in a tree "
            "of size 8");
  EXPECT_EQ(VerifyInclusion(8, 8, leaves_[5], proof, root).message(),
            "inclusion proof for leaf index 8 in a tree of size 8: the index "
            "must be below the size");
  Status wrong = VerifyInclusion(4, 8, leaves_[5], naive_.Path(5, 8), root);
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.message().find("inclusion proof does not verify: computed "
                                 "root "),
            std::string_view::npos)
      << wrong;

  std::vector<std::vector<uint8_t>> bytes = ToBytes(naive_.Path(5, 8));
  const std::vector<uint8_t> leaf(leaves_[5].begin(), leaves_[5].end());
  const std::vector<uint8_t> root_bytes(root.begin(), root.end());
  EXPECT_TRUE(VerifyInclusion(5, 8, leaf, bytes, root_bytes).ok());
  bytes[1].pop_back();
  EXPECT_EQ(VerifyInclusion(5, 8, leaf, bytes, root_bytes).message(),
            "inclusion proof hash 1 is 31 bytes, expected 32");
  EXPECT_EQ(VerifyInclusion(5, 8, std::span(leaf).first(9), ToBytes(proof),
                            root_bytes)
                .message(),
            "leaf hash is 9 bytes, expected 32");
  EXPECT_EQ(VerifyInclusion(5, 8, leaf, ToBytes(proof), {}).message(),
            "root is 0 bytes, expected 32");
}

TEST_F(ProofVerifyTest, ConsistencyErrorsSayWhatIsWrong) {
  std::vector<Hash> proof = naive_.Proof(6, 8);
  const Hash root6 = naive_.Root(6);
  const Hash root8 = naive_.Root(8);
  ASSERT_TRUE(VerifyConsistency(6, 8, proof, root6, root8).ok());
  proof.push_back(root8);
  EXPECT_EQ(VerifyConsistency(6, 8, proof, root6, root8).message(),
            "consistency proof has 4 hashes, expected 3 from size 6 to size 8");
  EXPECT_EQ(VerifyConsistency(8, 6, {}, root8, root6).message(),
            "consistency proof from size 8 to the smaller size 6: a log never "
            "shrinks");
  EXPECT_EQ(VerifyConsistency(8, 8, {}, root8, root6).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyConsistency(8, 8, {}, root8, root8).ok());
  EXPECT_EQ(
      VerifyConsistency(8, 8, std::vector<Hash>{root8}, root8, root8).message(),
      "consistency proof between equal sizes 8 has 1 hashes, expected "
      "none");
  Status old_wrong =
      VerifyConsistency(6, 8, naive_.Proof(6, 8), naive_.Root(5), root8);
  EXPECT_NE(old_wrong.message().find("gives old root"), std::string_view::npos)
      << old_wrong;
  Status new_wrong =
      VerifyConsistency(6, 8, naive_.Proof(6, 8), root6, naive_.Root(7));
  EXPECT_NE(new_wrong.message().find("gives new root"), std::string_view::npos)
      << new_wrong;

  const std::vector<uint8_t> r6(root6.begin(), root6.end());
  std::vector<uint8_t> r8(root8.begin(), root8.end());
  std::vector<std::vector<uint8_t>> bytes = ToBytes(naive_.Proof(6, 8));
  EXPECT_TRUE(VerifyConsistency(6, 8, bytes, r6, r8).ok());
  bytes.emplace_back();
  EXPECT_EQ(VerifyConsistency(6, 8, bytes, r6, r8).message(),
            "consistency proof hash 3 is 0 bytes, expected 32");
  r8.push_back(0);
  EXPECT_EQ(
      VerifyConsistency(6, 8, ToBytes(naive_.Proof(6, 8)), r6, r8).message(),
      "new root is 33 bytes, expected 32");
}

// The size-0 policy (docs/merkle.md).
TEST_F(ProofVerifyTest, ConsistencyFromTheEmptyTree) {
  const Hash root5 = naive_.Root(5);
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyRoot(), EmptyRoot()).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, {}, EmptyRoot(), root5).ok());
  EXPECT_EQ(
      VerifyConsistency(0, 5, std::vector<Hash>{root5}, EmptyRoot(), root5)
          .message(),
      "consistency proof from size 0 has 1 hashes, expected none (the "
      "empty tree is a prefix of every tree)");
  EXPECT_NE(VerifyConsistency(0, 5, {}, root5, root5)
                .message()
                .find("for size 0 is not the empty tree's root"),
            std::string_view::npos);
  EXPECT_FALSE(VerifyConsistency(0, 0, {}, EmptyRoot(), root5).ok());
  EXPECT_FALSE(VerifyConsistency(0, 0, {}, root5, root5).ok());
  const std::vector<uint8_t> empty(EmptyRoot().begin(), EmptyRoot().end());
  const std::vector<uint8_t> short_root(12, 1);
  EXPECT_EQ(VerifyConsistency(0, 5, std::vector<std::vector<uint8_t>>{}, empty,
                              short_root)
                .message(),
            "new root is 12 bytes, expected 32");
}

// Every single-bit change to a valid proof, leaf or root is caught, and so
// is every other index (and, for consistency, every other old size).
TEST_F(ProofVerifyTest, EveryMutationIsRejected) {
  for (uint64_t n = 1; n <= leaves_.size(); ++n) {
    const Hash root = naive_.Root(n);
    for (uint64_t i = 0; i < n; ++i) {
      const std::vector<Hash> proof = naive_.Path(i, n);
      ASSERT_TRUE(VerifyInclusion(i, n, leaves_[i], proof, root).ok());
      for (size_t p = 0; p < proof.size(); ++p) {
        std::vector<Hash> bad = proof;
        bad[p][p % kHashSize] ^= 0x10;
        ASSERT_FALSE(VerifyInclusion(i, n, leaves_[i], bad, root).ok());
      }
      Hash bad_leaf = leaves_[i];
      bad_leaf[31] ^= 1;
      ASSERT_FALSE(VerifyInclusion(i, n, bad_leaf, proof, root).ok());
      Hash bad_root = root;
      bad_root[0] ^= 0x80;
      ASSERT_FALSE(VerifyInclusion(i, n, leaves_[i], proof, bad_root).ok());
      for (uint64_t j = 0; j < n; ++j) {
        if (j != i) {
          ASSERT_FALSE(VerifyInclusion(j, n, leaves_[i], proof, root).ok())
              << i << " as " << j << " in " << n;
        }
      }
      // Not checked: the same proof under another size of the same shape
      // (index 0 of 5 and of 6 leaves), which RFC 9162 cannot tell apart;
      // the size is bound by the signed checkpoint that carries the root.
    }
    for (uint64_t m = 1; m < n; ++m) {
      const std::vector<Hash> proof = naive_.Proof(m, n);
      const Hash old_root = naive_.Root(m);
      ASSERT_TRUE(VerifyConsistency(m, n, proof, old_root, root).ok());
      for (size_t p = 0; p < proof.size(); ++p) {
        std::vector<Hash> bad = proof;
        bad[p][0] ^= 0x10;
        ASSERT_FALSE(VerifyConsistency(m, n, bad, old_root, root).ok())
            << m << " " << n << " hash " << p;
      }
      for (uint64_t other = 1; other <= n; ++other) {
        if (other != m) {
          ASSERT_FALSE(VerifyConsistency(other, n, proof, old_root, root).ok())
              << m << " as " << other << " to " << n;
        }
      }
      ASSERT_FALSE(VerifyConsistency(m, n, proof, root, old_root).ok());
    }
  }
}

}  // namespace
}  // namespace detente::ledger
