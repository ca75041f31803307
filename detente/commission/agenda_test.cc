#include "detente/commission/agenda.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/crypto/encoding.h"

namespace detente::commission {
namespace {

using ::testing::HasSubstr;

TEST(ParseIdListTest, AcceptsAndRefuses) {
  struct Case {
    const char* text;
    std::vector<std::string> ids;  // when accepted
    const char* error;             // when refused
  };
  const Case cases[] = {
      {"", {}, nullptr},
      {"  ", {}, nullptr},
      {"I1", {"I1"}, nullptr},
      {"I1, I3,I4", {"I1", "I3", "I4"}, nullptr},
      {" I2 ,\nI1 ", {"I2", "I1"}, nullptr},  // order is kept
      {"RU-1:a/b.c_d", {"RU-1:a/b.c_d"}, nullptr},
      {"I1,,I2", {}, "issues: entry 2 is empty"},
      {"I1,", {}, "issues: entry 2 is empty"},
      {",I1", {}, "issues: entry 1 is empty"},
      {"I1, I1", {}, "issues: issue 'I1' is listed twice"},
      {"I 1", {}, "issues: 'I 1' is not an issue id"},
      {"-I1", {}, "issues: '-I1' is not an issue id"},
      {"I1;I2", {}, "'I1;I2' is not an issue id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<std::vector<std::string>> r = ParseIdList(c.text, "issues");
    if (c.error == nullptr) {
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(*r, c.ids);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.error));
    }
  }
  EXPECT_FALSE(ParseIdList(std::string(65, 'a'), "x").ok());
  EXPECT_TRUE(ParseIdList(std::string(64, 'a'), "x").ok());
}

// The bytes and hash below were computed independently (Python, from the
// format in docs/commission.md), not by this code.
TEST(AgendaHashTest, MatchesTheDocumentedFormat) {
  EXPECT_EQ(crypto::HexEncode(crypto::AsBytes(
                AgendaCanonicalBytes("new-start", "S1", 1, {"I1", "I2"}))),
            "0400000004000000066973737565730300000002020000000249310200000002"
            "49320000000773657373696f6e020000000253310000000674726561747902"
            "000000096e65772d73746172740000000776657273696f6e01000000000000"
            "0001");
  EXPECT_EQ(AgendaHashHex("new-start", "S1", 1, {"I1", "I2"}),
            "3c8643d9d8f7fac4be9a9a8996b7bba395fcd0db3196bfa9baec84d09cad864a");
}

TEST(AgendaHashTest, EveryPartOfTheVersionChangesTheHash) {
  const std::string base = AgendaHashHex("new-start", "S1", 1, {"I1", "I2"});
  EXPECT_NE(base, AgendaHashHex("new-start", "S1", 2, {"I1", "I2"}));
  EXPECT_NE(base, AgendaHashHex("new-start", "S2", 1, {"I1", "I2"}));
  EXPECT_NE(base, AgendaHashHex("follow-on-3p", "S1", 1, {"I1", "I2"}));
  EXPECT_NE(base, AgendaHashHex("new-start", "S1", 1, {"I2", "I1"}));
  EXPECT_NE(base, AgendaHashHex("new-start", "S1", 1, {"I1"}));
  EXPECT_EQ(JoinIds({"I1", "I2"}), "I1, I2");
}

}  // namespace
}  // namespace detente::commission
