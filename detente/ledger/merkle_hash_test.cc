#include "detente/ledger/merkle_hash.h"

#include <gtest/gtest.h>

#include <vector>

#include "detente/ledger/merkle_testing.h"

namespace detente::ledger {
namespace {

using testutil::HashFromHex;

TEST(MerkleHashTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(HashToHex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 6962 reference tree: leaf "" and the root of leaves {"", 00}.
TEST(MerkleHashTest, LeafAndNodeHashesMatchTheReferenceTree) {
  const Hash leaf0 = HashLeaf(std::string_view());
  const Hash leaf1 = HashLeaf(std::vector<uint8_t>{0x00});
  EXPECT_EQ(leaf0, HashFromHex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb3373"
                               "8768511a30617afa01d"));
  EXPECT_EQ(leaf1, HashFromHex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b"
                               "87e410b78630a09cfc7"));
  EXPECT_EQ(HashChildren(leaf0, leaf1),
            HashFromHex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d9"
                        "8662f00e3c125"));
}

TEST(MerkleHashTest, LeafAndNodeAreDomainSeparated) {
  // A 64-byte leaf that spells two hashes must not collide with their node.
  const Hash a = HashLeaf("a");
  const Hash b = HashLeaf("b");
  std::vector<uint8_t> both(a.begin(), a.end());
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_NE(HashLeaf(both), HashChildren(a, b));
}

TEST(MerkleHashTest, HashFromBytesDemandsExactly32Bytes) {
  std::vector<uint8_t> bytes(31, 7);
  Result<Hash> short_hash = HashFromBytes(bytes, "root");
  ASSERT_FALSE(short_hash.ok());
  EXPECT_EQ(short_hash.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_hash.status().message(), "root is 31 bytes, expected 32");
  bytes.push_back(7);
  ASSERT_TRUE(HashFromBytes(bytes, "root").ok());
  bytes.push_back(7);
  EXPECT_FALSE(HashFromBytes(bytes, "root").ok());
}

}  // namespace
}  // namespace detente::ledger
