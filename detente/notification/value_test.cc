#include "detente/notification/value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "detente/crypto/encoding.h"

namespace detente::notification {
namespace {

using ::testing::HasSubstr;

std::string Hex(std::string_view s) {
  return crypto::HexEncode(crypto::AsBytes(s));
}

std::string Unhex(std::string_view hex) {
  Result<std::vector<uint8_t>> b = crypto::HexDecode(hex);
  EXPECT_TRUE(b.ok()) << b.status();
  if (!b.ok()) return "";
  return std::string(b->begin(), b->end());
}

// The message of a refused decode; fails the test when it was accepted.
std::string DecodeError(std::string_view bytes) {
  Result<Value> v = Decode(bytes);
  EXPECT_FALSE(v.ok()) << "accepted " << Hex(bytes) << " as "
                       << v->DebugString();
  if (v.ok()) return "";
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  return std::string(v.status().message());
}

Value Sample() {
  return Value::OfMap({
      {"a", Value::Int(1)},
      {"b", Value::OfList({Value::Str("x"), Value::Int(-2)})},
      {"c", Value::OfMap({{"nested", Value::Str("Ü – ok")}})},
      {"", Value::Str("")},
  });
}

TEST(ValueTest, KindsAndAccessors) {
  EXPECT_TRUE(Value().is_int());
  EXPECT_EQ(Value().integer(), 0);
  EXPECT_EQ(Value::Int(7).kind(), Value::Kind::kInteger);
  EXPECT_EQ(Value::Str("s").kind(), Value::Kind::kString);
  EXPECT_EQ(Value::OfList({}).kind(), Value::Kind::kList);
  EXPECT_EQ(Value::OfMap({}).kind(), Value::Kind::kMap);
  Value m = Sample();
  ASSERT_NE(m.Find("a"), nullptr);
  EXPECT_EQ(m.Find("a")->integer(), 1);
  EXPECT_EQ(m.Find("zz"), nullptr);
  EXPECT_EQ(Value::Int(1).Find("a"), nullptr);
  m.mutable_map()["d"] = Value::Int(4);
  EXPECT_EQ(m.Find("d")->integer(), 4);
  Value l = Value::OfList({});
  l.mutable_list().push_back(Value::Str("q"));
  EXPECT_EQ(l.list().size(), 1u);
  EXPECT_EQ(Value::Int(1), Value::Int(1));
  EXPECT_FALSE(Value::Int(1) == Value::Str("1"));
}

TEST(ValueTest, DebugStringIsJsonLike) {
  EXPECT_EQ(Sample().DebugString(),
            R"({"": "", "a": 1, "b": ["x", -2], "c": {"nested": "Ü – ok"}})");
  EXPECT_EQ(Value::Str("q\"\\\n\t\x01").DebugString(), R"("q\"\\\n\t\u0001")");
  EXPECT_EQ(Value::OfList({}).DebugString(), "[]");
  EXPECT_EQ(Value::OfMap({}).DebugString(), "{}");
}

TEST(ValueTest, EncodesScalarsAsDocumented) {
  EXPECT_EQ(Hex(Encode(Value::Int(1))), "010000000000000001");
  EXPECT_EQ(Hex(Encode(Value::Int(-1))), "01ffffffffffffffff");
  EXPECT_EQ(Hex(Encode(Value::Int(std::numeric_limits<int64_t>::min()))),
            "018000000000000000");
  EXPECT_EQ(Hex(Encode(Value::Str("US"))), "02000000025553");
  EXPECT_EQ(Hex(Encode(Value::Str(""))), "0200000000");
  EXPECT_EQ(Hex(Encode(Value::OfList({Value::Int(2)}))),
            "0300000001010000000000000002");
  EXPECT_EQ(
      Hex(Encode(Value::OfMap({{"b", Value::Int(2)}, {"a", Value::Str("x")}}))),
      "0400000002"
      "0000000161"
      "020000000178"
      "0000000162"
      "010000000000000002");
}

TEST(ValueTest, RoundTrips) {
  const Value values[] = {
      Value::Int(0),
      Value::Int(std::numeric_limits<int64_t>::max()),
      Value::Int(std::numeric_limits<int64_t>::min()),
      Value::Str(""),
      Value::Str("\xf4\x8f\xbf\xbf"),  // U+10FFFF
      Value::Str(std::string("nul\0inside", 10)),
      Value::OfList({}),
      Value::OfMap({}),
      Sample(),
      Value::OfList({Sample(), Sample(), Value::OfList({Value::OfList({})})}),
  };
  for (const Value& v : values) {
    std::string bytes = Encode(v);
    EXPECT_EQ(bytes.size(), EncodedSize(v));
    Result<Value> back = Decode(bytes);
    ASSERT_TRUE(back.ok()) << back.status() << " for " << v.DebugString();
    EXPECT_EQ(*back, v);
    EXPECT_EQ(Encode(*back), bytes);
  }
}

TEST(ValueTest, RefusesTrailingBytes) {
  std::string b = Encode(Value::Int(5)) + "x";
  EXPECT_THAT(DecodeError(b), HasSubstr("at byte 9: 1 trailing bytes"));
  EXPECT_THAT(DecodeError(Encode(Sample()) + std::string(1, '\0')),
              HasSubstr("trailing"));
}

TEST(ValueTest, RefusesEmptyAndShortInput) {
  EXPECT_THAT(DecodeError(""),
              HasSubstr("at byte 0: expected a value, found the end"));
  EXPECT_THAT(DecodeError(Unhex("0100000000")),
              HasSubstr("at byte 0: integer needs 8 bytes, 4 left"));
  EXPECT_THAT(DecodeError(Unhex("020000")), HasSubstr("needs 4 bytes"));
  EXPECT_THAT(DecodeError(Unhex("020000000561")),
              HasSubstr("at byte 1: string of 5 bytes runs past the end"));
  EXPECT_THAT(DecodeError(Unhex("0300000001")),
              HasSubstr("list of 1 values cannot fit"));
  EXPECT_THAT(DecodeError(Unhex("03ffffffff0100000000000000010100000000")),
              HasSubstr("list of 4294967295 values cannot fit"));
  EXPECT_THAT(DecodeError(Unhex("04ffffffff")),
              HasSubstr("map of 4294967295 entries cannot fit"));
  // A count the bytes could hold, but whose values are cut short.
  EXPECT_THAT(DecodeError(Unhex("03000000020100000000000000010200")),
              HasSubstr("at byte 15"));
}

TEST(ValueTest, RefusesUnknownTags) {
  for (int tag : {0x00, 0x05, 0x7f, 0x80, 0xff}) {
    std::string b(1, static_cast<char>(tag));
    b += std::string(8, '\0');
    EXPECT_THAT(DecodeError(b), HasSubstr("at byte 0: unknown tag"));
  }
  // Inside a list, the offset is the offending tag's.
  EXPECT_THAT(DecodeError(Unhex("03000000010600000000")),
              HasSubstr("at byte 5: unknown tag 0x06"));
}

TEST(ValueTest, RefusesUnsortedAndDuplicateKeys) {
  // {"b": 1, "a": 2}
  EXPECT_THAT(DecodeError(Unhex("0400000002"
                                "0000000162"
                                "010000000000000001"
                                "0000000161"
                                "010000000000000002")),
              HasSubstr("at byte 19: map key 'a' after 'b'"));
  // {"a": 1, "a": 2}
  EXPECT_THAT(DecodeError(Unhex("0400000002"
                                "0000000161"
                                "010000000000000001"
                                "0000000161"
                                "010000000000000002")),
              HasSubstr("duplicate map key 'a'"));
  // Bytewise, not by code point or locale: "B" (0x42) < "a" (0x61), and
  // a prefix sorts first.
  EXPECT_TRUE(Decode(Encode(Value::OfMap({{"a", Value::Int(1)},
                                          {"B", Value::Int(2)},
                                          {"ab", Value::Int(3)}})))
                  .ok());
  EXPECT_THAT(DecodeError(Unhex("0400000002"
                                "000000026162"
                                "010000000000000001"
                                "0000000161"
                                "010000000000000002")),
              HasSubstr("map key 'a' after 'ab'"));
}

TEST(ValueTest, RefusesInvalidUtf8) {
  const char* bad[] = {
      "\x80",              // stray continuation
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong
      "\xe0\x80\xaf",      // overlong
      "\xed\xa0\x80",      // surrogate U+D800
      "\xf0\x80\x80\xaf",  // overlong
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xf5\x80\x80\x80",  // not a lead byte
      "\xe2\x82",          // truncated
      "a\xff",
  };
  for (const char* s : bad) {
    std::string str(s);
    EXPECT_FALSE(IsValidUtf8(str)) << Hex(str);
    Value v = Value::Str(str);
    EXPECT_THAT(DecodeError(Encode(v)), HasSubstr("not valid UTF-8"));
    Value m = Value::OfMap({{str, Value::Int(1)}});
    EXPECT_THAT(DecodeError(Encode(m)),
                HasSubstr("map key is not valid UTF-8"));
  }
  EXPECT_TRUE(IsValidUtf8("plain ASCII, é, –, 𝄞"));
  EXPECT_THAT(DecodeError(Unhex("0200000002"
                                "61ff")),
              HasSubstr("at byte 6: string is not valid UTF-8 (byte 0xff)"));
}

Value Nested(int containers) {
  Value v = Value::Int(1);
  for (int i = 0; i < containers; ++i) v = Value::OfList({v});
  return v;
}

TEST(ValueTest, DepthLimit) {
  EXPECT_TRUE(Decode(Encode(Nested(kMaxDepth))).ok());
  EXPECT_THAT(DecodeError(Encode(Nested(kMaxDepth + 1))),
              HasSubstr("nested more than 16 deep"));
  Value m = Value::Int(1);
  for (int i = 0; i < kMaxDepth + 1; ++i) m = Value::OfMap({{"k", m}});
  EXPECT_THAT(DecodeError(Encode(m)), HasSubstr("nested more than 16 deep"));
  // Deep input far beyond the limit is refused without deep recursion.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += Unhex("0300000001");
  EXPECT_THAT(DecodeError(deep), HasSubstr("nested more than"));
}

TEST(ValueTest, SizeLimit) {
  // A string whose record is exactly the limit is fine; one byte more is not.
  Value at_limit = Value::Str(std::string(kMaxRecordBytes - 5, 'a'));
  ASSERT_EQ(Encode(at_limit).size(), kMaxRecordBytes);
  EXPECT_TRUE(Decode(Encode(at_limit)).ok());
  Value over = Value::Str(std::string(kMaxRecordBytes - 4, 'a'));
  EXPECT_THAT(DecodeError(Encode(over)),
              HasSubstr("is 1048577 bytes, more than the 1048576 allowed"));
}

TEST(ValueTest, ReportOffsetShiftsMessages) {
  Result<Value> v = Decode(Unhex("06"), 4);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("at byte 4: unknown tag"));
}

// Every way of writing a value other than its canonical form is refused:
// the only accepted bytes for a value are Encode(value).
TEST(ValueTest, CanonicalUniqueness) {
  const std::string canonical = Encode(Sample());
  // Every truncation.
  for (size_t n = 0; n < canonical.size(); ++n) {
    EXPECT_FALSE(Decode(canonical.substr(0, n)).ok()) << n;
  }
  // Every single-byte change that still decodes re-encodes to itself, i.e.
  // is a different value, never another spelling of the same one.
  for (size_t i = 0; i < canonical.size(); ++i) {
    for (int delta : {1, 0x80, 0xff}) {
      std::string b = canonical;
      b[i] = static_cast<char>(static_cast<uint8_t>(b[i]) + delta);
      Result<Value> v = Decode(b);
      if (v.ok()) {
        EXPECT_EQ(Encode(*v), b);
        EXPECT_FALSE(*v == Sample());
      }
    }
  }
  // A list written with a count too large or too small.
  EXPECT_FALSE(Decode(Unhex("0300000000"
                            "010000000000000001"))
                   .ok());
  EXPECT_FALSE(Decode(Unhex("0300000002"
                            "010000000000000001"))
                   .ok());
  // A string length that covers less or more than the string.
  EXPECT_FALSE(Decode(Unhex("0200000001"
                            "6162"))
                   .ok());
  EXPECT_FALSE(Decode(Unhex("0200000003"
                            "6162"))
                   .ok());
}

// Fuzz-style: random and mutated inputs never crash (run under ASan and
// UBSan) and every accepted input is canonical.
TEST(ValueTest, DecodesRandomAndMutatedBytesSafely) {
  std::mt19937_64 rng(20110205);
  const std::string seeds[] = {
      Encode(Sample()),
      Encode(Nested(kMaxDepth)),
      Encode(Value::OfList({Sample(), Value::Str("é"), Value::Int(-9)})),
  };
  auto byte = [&]() { return static_cast<char>(rng() & 0xff); };
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string b;
    if (round % 4 == 0) {
      // Random bytes, biased towards the valid tags so decoding gets deep.
      size_t len = rng() % 64;
      for (size_t i = 0; i < len; ++i) {
        b.push_back(rng() % 3 == 0 ? static_cast<char>(1 + rng() % 4)
                                   : (rng() % 2 ? '\0' : byte()));
      }
    } else {
      b = seeds[rng() % std::size(seeds)];
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t pos = b.empty() ? 0 : rng() % b.size();
        switch (rng() % 4) {
          case 0:
            if (!b.empty()) b[pos] = byte();
            break;
          case 1:
            b.insert(pos, 1, byte());
            break;
          case 2:
            if (!b.empty()) b.erase(pos, 1);
            break;
          default:
            b.resize(pos);
            break;
        }
      }
    }
    Result<Value> v = Decode(b);
    if (v.ok()) {
      ++accepted;
      EXPECT_EQ(Encode(*v), b);
    } else {
      EXPECT_THAT(v.status().message(), HasSubstr("at byte "));
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace detente::notification
