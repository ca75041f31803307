#include "detente/base/bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace detente {
namespace {

// Every length the word loads treat differently (0-3 bytewise, 4-7 two
// overlapping words, 8 and more whole words plus an overlapping tail),
// with one byte changed at every position, and one length off.
TEST(SameBytesTest, AgreesWithStringEqualityAtEveryLengthAndPosition) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'a');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('A' + i % 26);
    std::string b = a;
    EXPECT_TRUE(SameBytes(a, b)) << n;
    for (size_t i = 0; i < n; ++i) {
      b[i] = static_cast<char>(b[i] ^ 0x80);
      EXPECT_FALSE(SameBytes(a, b)) << n << " at " << i;
      b[i] = a[i];
    }
    EXPECT_FALSE(SameBytes(a, a + "x")) << n;
    EXPECT_FALSE(SameBytes(a + "x", a)) << n;
  }
}

TEST(SameBytesTest, ComparesViewsIntoLargerBuffers) {
  const std::string buf = "deployed_warheads|deployed_launchers";
  EXPECT_TRUE(SameBytes(std::string_view(buf).substr(0, 8), "deployed"));
  EXPECT_TRUE(SameBytes(std::string_view(buf).substr(18, 8), "deployed"));
  EXPECT_FALSE(SameBytes(std::string_view(buf).substr(0, 17),
                         std::string_view(buf).substr(18, 17)));
}

}  // namespace
}  // namespace detente
