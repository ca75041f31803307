#include "detente/inspection/selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>

#include "detente/crypto/encoding.h"
#include "detente/notification/value.h"

namespace detente::inspection {
namespace {

using ::testing::HasSubstr;

crypto::Sha256Digest Fill(uint8_t b) {
  crypto::Sha256Digest d;
  d.fill(b);
  return d;
}

// The worked example of docs/inspection.md (SYNTHETIC ids).
RvOpening Example() {
  return RvOpening{"new-start",
                   "US-2019-T1-01",
                   "RU",
                   "RU-KOZELSK",
                   {"RS24-0003", "RS24-0001", "RS24-0002"},
                   std::string(62, '0') + "01"};
}

TEST(InspectionSelectionTest, CommitmentBytesAndHashMatchTheDoc) {
  const std::string bytes = RvCommitmentBytes(Example());
  EXPECT_EQ(crypto::HexEncode(std::span<const uint8_t>(
                reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())),
            "040000000600000008666163696c697479020000000a52552d4b4f5a454c"
            "534b0000000a696e7370656374696f6e020000000d55532d323031392d54"
            "312d3031000000086d697373696c65730300000003020000000952533234"
            "2d303030330200000009525332342d303030310200000009525332342d30"
            "303032000000057061727479020000000252550000000473616c74020000"
            "004030303030303030303030303030303030303030303030303030303030"
            "303030303030303030303030303030303030303030303030303030303030"
            "3030303030310000000674726561747902000000096e65772d7374617274");
  EXPECT_EQ(crypto::HexEncode(RvCommitment(Example())),
            "92bc4847b2ed37b25e78a583b3ecee979379d91873b1c6737031a7683ea40723");
}

TEST(InspectionSelectionTest, WorkedExampleDesignatesTheSecondMissile) {
  Result<size_t> i = SelectIndex(RvCommitment(Example()), Fill(0x02), 3);
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(*i, 1u);  // RS24-0001
}

TEST(InspectionSelectionTest, EveryFieldOfTheOpeningIsBound) {
  const crypto::Sha256Digest c = RvCommitment(Example());
  std::vector<RvOpening> changed(6, Example());
  changed[0].treaty = "follow-on-3p";
  changed[1].inspection = "US-2019-T1-02";
  changed[2].party = "US";
  changed[3].facility = "RU-TATISHCHEVO";
  std::swap(changed[4].missiles[0], changed[4].missiles[1]);  // order
  changed[5].salt_hex = std::string(62, '0') + "02";
  for (const RvOpening& o : changed) EXPECT_NE(RvCommitment(o), c);
}

TEST(InspectionSelectionTest, EmptyListAndSingleMissile) {
  EXPECT_FALSE(SelectIndex(Fill(1), Fill(2), 0).ok());
  for (uint8_t b = 0; b < 20; ++b) {
    EXPECT_EQ(*SelectIndex(Fill(b), Fill(static_cast<uint8_t>(b + 1)), 1), 0u);
  }
}

// The selection recomputed here from the documented bytes, without
// SelectIndex: the first 64-bit word at or above 2^64 mod n.
uint64_t Word(const crypto::Sha256Digest& d, size_t w) {
  uint64_t x = 0;
  for (size_t b = 0; b < 8; ++b) x = (x << 8) | d[w * 8 + b];
  return x;
}
crypto::Sha256Digest Block(const crypto::Sha256Digest& c,
                           const crypto::Sha256Digest& r, uint32_t j) {
  std::string m(kRvSelectContext);
  m.append(reinterpret_cast<const char*>(c.data()), c.size());
  m.append(reinterpret_cast<const char*>(r.data()), r.size());
  for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<char>(j >> s));
  return crypto::Sha256(m);
}

TEST(InspectionSelectionTest, RejectionLeavesNoModuloBias) {
  // n = 2^63 + 1: 2^64 mod n = 2^63 - 1, so about half of all words are
  // rejected. Find inputs whose first word is rejected and check that the
  // index comes from the next word, as documented.
  const uint64_t n = (uint64_t{1} << 63) + 1;
  const uint64_t threshold = (uint64_t{1} << 63) - 1;
  int rejected_first = 0;
  for (uint8_t r = 0; r < 64; ++r) {
    crypto::Sha256Digest c = Fill(0xc0), rnd = Fill(r);
    crypto::Sha256Digest d = Block(c, rnd, 0);
    size_t w = 0;
    while (w < 4 && Word(d, w) < threshold) ++w;
    if (w == 4) continue;  // all four rejected: next block; rare, skip
    if (w > 0) ++rejected_first;
    Result<size_t> got = SelectIndex(c, rnd, static_cast<size_t>(n));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, Word(d, w) % n) << int{r};
  }
  EXPECT_GT(rejected_first, 10);  // the rejection path was exercised
}

TEST(InspectionSelectionTest, UniformOverIndices) {
  // 6000 draws over 6 missiles: each index about 1000 times.
  std::vector<int> count(6);
  for (int k = 0; k < 6000; ++k) {
    crypto::Sha256Digest r{};
    r[0] = static_cast<uint8_t>(k);
    r[1] = static_cast<uint8_t>(k >> 8);
    ++count[*SelectIndex(Fill(7), r, 6)];
  }
  for (int c : count) {
    EXPECT_GT(c, 880);
    EXPECT_LT(c, 1120);
  }
}

TEST(InspectionSelectionTest, HexIsExactlySixtyFourLowerCaseDigits) {
  EXPECT_TRUE(ParseHex32(std::string(64, 'a'), "x").ok());
  EXPECT_EQ((*ParseHex32(std::string(62, '0') + "ff", "x"))[31], 0xff);
  EXPECT_THAT(
      std::string(
          ParseHex32(std::string(64, 'A'), "body.random").status().message()),
      HasSubstr("body.random: character 1 ('A') is not a lower-case "
                "hex digit"));
  EXPECT_THAT(std::string(ParseHex32("abc", "body.salt").status().message()),
              HasSubstr("body.salt: 3 characters, expected 64"));
}

TEST(InspectionSelectionTest, MissileLists) {
  Result<std::vector<std::string>> l = ParseMissileList(" A1 ,B2,C3 ", "m");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, (std::vector<std::string>{"A1", "B2", "C3"}));
  EXPECT_EQ(JoinMissiles(*l), "A1, B2, C3");
  EXPECT_TRUE(ParseMissileList("", "m")->empty());
  EXPECT_THAT(std::string(ParseMissileList("A1,,B2", "m").status().message()),
              HasSubstr("entry 2 is empty"));
  EXPECT_THAT(std::string(ParseMissileList("A1,A1", "m").status().message()),
              HasSubstr("missile 'A1' is listed twice"));
  EXPECT_THAT(std::string(ParseMissileList("A 1", "m").status().message()),
              HasSubstr("'A 1' is not a unique identifier"));
}

}  // namespace
}  // namespace detente::inspection
