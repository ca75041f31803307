#include "detente/base/fingerprint.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace detente {
namespace {

// XXH3-64's published value for the empty input with seed 0
// (xxhash's own sanity test: XXH3_64bits of "" is 0x2D06800538D394C2).
TEST(FingerprintTest, MatchesXxh3OnTheEmptyInput) {
  EXPECT_EQ(Fingerprint("", 0), 0x2D06800538D394C2ULL);
}

// The same bytes under the same seed: the same fingerprint; any one bit
// changed at any position of entries of log-entry size, or another seed:
// another fingerprint.
TEST(FingerprintTest, ChangesWithAnyBitAndWithTheSeed) {
  std::string entry(400, '\0');
  for (size_t i = 0; i < entry.size(); ++i) {
    entry[i] = static_cast<char>(i * 37 + 11);
  }
  const uint64_t seed = 0x0123456789ABCDEFULL;
  const uint64_t f = Fingerprint(entry, seed);
  EXPECT_EQ(Fingerprint(std::string(entry), seed), f);
  EXPECT_NE(Fingerprint(entry, seed + 1), f);
  std::set<uint64_t> seen{f};
  for (size_t i = 0; i < entry.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = entry;
      changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
      EXPECT_TRUE(seen.insert(Fingerprint(changed, seed)).second)
          << "byte " << i << " bit " << bit;
    }
  }
  // A byte cut off or added.
  EXPECT_NE(Fingerprint(std::string_view(entry).substr(1), seed), f);
  EXPECT_NE(Fingerprint(entry + '\0', seed), f);
}

TEST(FingerprintTest, RandomSeedsDiffer) {
  std::set<uint64_t> seeds;
  for (int i = 0; i < 16; ++i) seeds.insert(RandomFingerprintSeed());
  EXPECT_GT(seeds.size(), 1u);
}

}  // namespace
}  // namespace detente
