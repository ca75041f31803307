// Test-only helpers: where the peers' test vectors live, and hex literals as
// fixed-size arrays. Not part of detente_crypto.
#ifndef DETENTE_CRYPTO_TEST_VECTORS_H_
#define DETENTE_CRYPTO_TEST_VECTORS_H_

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "detente/crypto/encoding.h"

namespace detente::crypto::testing {

// ../shared/vectors beside the repository (see ../shared/vectors/SOURCES.md).
inline std::string VectorsDir() {
  return std::string(DETENTE_SOURCE_DIR) + "/../shared/vectors";
}

// Skips the current test when the vectors are absent, e.g. in a clone of the
// repository alone.
#define DETENTE_REQUIRE_VECTORS()                                         \
  do {                                                                    \
    if (!std::filesystem::is_directory(                                   \
            ::detente::crypto::testing::VectorsDir())) {                  \
      GTEST_SKIP() << "../shared/vectors not found: peers' test vectors " \
                      "are not part of the repository; see README";       \
    }                                                                     \
  } while (false)

// Decodes a hex literal of exactly N bytes; fails the test otherwise.
template <size_t N>
std::array<uint8_t, N> FromHex(std::string_view hex) {
  std::array<uint8_t, N> out{};
  Result<std::vector<uint8_t>> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (!bytes.ok()) return out;
  EXPECT_EQ(bytes->size(), N) << hex;
  if (bytes->size() != N) return out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace detente::crypto::testing

#endif  // DETENTE_CRYPTO_TEST_VECTORS_H_
