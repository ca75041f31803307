#include "detente/crypto/encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace detente::crypto {
namespace {

std::string DecodeToString(std::string_view b64) {
  Result<std::vector<uint8_t>> r = Base64Decode(b64);
  EXPECT_TRUE(r.ok()) << b64 << ": " << r.status();
  return r.ok() ? std::string(AsString(*r)) : std::string();
}

// RFC 4648 §10.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, b64] : cases) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), b64);
    EXPECT_EQ(DecodeToString(b64), plain);
  }
}

TEST(Base64Test, RoundTripsEveryByteAndLength) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 300; ++i) {
    data.push_back(static_cast<uint8_t>(i * 7));
    Result<std::vector<uint8_t>> back = Base64Decode(Base64Encode(data));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, data);
  }
}

TEST(Base64Test, StrictDecodingNamesTheProblem) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"Zm9", "length 3 is not a multiple of 4"},
      {"Zm9vY", "length 5 is not a multiple of 4"},
      {"Zm9v!A==", "'!' at offset 4 is not in the alphabet"},
      {"Zm9-", "'-' at offset 3 is not in the alphabet"},  // URL-safe
      {"Zm9_", "'_' at offset 3 is not in the alphabet"},
      {"Zm 9", "byte 0x20 at offset 2 is not in the alphabet"},
      {"Zg==Zg==", "'Z' at offset 4 follows '=' padding"},
      {"Z===", "3 '=' padding characters"},
      {"====", "4 '=' padding characters"},
      {"Zh==", "non-zero bits after the last encoded byte"},
      {"Zm9=", "non-zero bits after the last encoded byte"},
      {"Zm9vZg==\n", "length 9 is not a multiple of 4"},
      {"Zm9vZg=\n", "byte 0x0a at offset 7 follows '=' padding"},
  };
  for (const auto& [text, want] : cases) {
    Result<std::vector<uint8_t>> r = Base64Decode(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(want), std::string_view::npos)
        << text << ": " << r.status();
  }
}

TEST(HexTest, EncodesLowerCaseAndDecodesBothCases) {
  const std::vector<uint8_t> bytes = {0x00, 0x1f, 0xab, 0xff};
  EXPECT_EQ(HexEncode(bytes), "001fabff");
  EXPECT_EQ(*HexDecode("001fabff"), bytes);
  EXPECT_EQ(*HexDecode("001FABFF"), bytes);
  EXPECT_TRUE(HexDecode("")->empty());
}

TEST(HexTest, Errors) {
  EXPECT_EQ(HexDecode("abc").status().message(), "invalid hex: odd length 3");
  EXPECT_EQ(HexDecode("0g").status().message(),
            "invalid hex: 'g' at offset 1 is not a hex digit");
  EXPECT_EQ(HexDecode("+1").status().message(),
            "invalid hex: '+' at offset 0 is not a hex digit");
}

}  // namespace
}  // namespace detente::crypto
