#include "detente/notification/notification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "detente/crypto/encoding.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::notification {
namespace {

using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

Instant T(const char* s) {
  Result<Instant> t = Instant::Parse(s);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.value_or(Instant());
}

std::string Hex(std::string_view s) {
  return crypto::HexEncode(crypto::AsBytes(s));
}

crypto::SignerKey Key(std::string_view name, uint8_t fill) {
  crypto::Ed25519Seed seed;
  seed.fill(fill);
  return *crypto::SignerKey::FromSeed(name, crypto::KeyType::kEd25519, seed);
}

Value S(const char* s) { return Value::Str(s); }
Value I(int64_t v) { return Value::Int(v); }

Value Missile(const char* id, int64_t warheads) {
  return Value::OfMap({{"id", S(id)},
                       {"party", S("US")},
                       {"category", S("icbm")},
                       {"status", S("deployed")},
                       {"type", S("Minuteman III")},
                       {"facility", S("US-MALMSTROM")},
                       {"warheads", I(warheads)},
                       {"attributes", Value::OfMap({{"basing", S("silo")}})}});
}

Notification Move() {
  Notification n;
  n.treaty = "new-start";
  n.sender = "US";
  n.sequence = 1;
  n.type = "NST-ITEM-MOVE";
  n.event_time = T("2011-03-01T10:00:00Z");
  n.sent_time = T("2011-03-02T08:30:00Z");
  n.body = Value::OfMap({{"item", S("MM3-0001")},
                         {"category", S("icbm")},
                         {"from_facility", S("US-MALMSTROM")},
                         {"to_facility", S("US-HILL")},
                         {"departed", S("2011-03-01T10:00:00Z")}});
  return n;
}

// A valid value for a field of the given type.
Value ValidValue(const treaty::Field& f) {
  using treaty::ValueType;
  switch (f.type) {
    case ValueType::kInteger:
      return I(3);
    case ValueType::kBoolean:
      return I(1);
    case ValueType::kString:
      return S("RS-24 Yars");
    case ValueType::kText:
      return S("Free text — any UTF-8.\nLines too.");
    case ValueType::kDate:
      return S("2011-09-01");
    case ValueType::kInstant:
      return S("2011-09-01T12:00:00Z");
    case ValueType::kIdentifier:
      return S("MM3-0001");
    case ValueType::kFacility:
      return S("US-MALMSTROM");
    case ValueType::kParty:
      return S("RU");
    case ValueType::kCategory:
      return S("icbm");
    case ValueType::kStatus:
      return S("non_deployed");
    case ValueType::kEnum:
      return S(f.values.front().c_str());
    case ValueType::kItemList:
      return Value::OfList({Missile("MM3-0001", 1), Missile("MM3-0002", 3)});
    case ValueType::kTotals:
      return Value::OfMap({{"deployed_delivery_vehicles", I(1)},
                           {"deployed_warheads", I(4)},
                           {"deployed_and_nondeployed_launchers", I(0)}});
  }
  return I(0);
}

Notification Of(const treaty::NotificationType& type, bool optional_too) {
  Notification n = Move();
  n.type = type.code;
  Value::Map body;
  for (const treaty::Field& f : type.fields) {
    if (f.required || optional_too) body.emplace(f.name, ValidValue(f));
  }
  n.body = Value::OfMap(std::move(body));
  return n;
}

std::string ValidateError(const Notification& n) {
  Status s = Validate(NewStart(), n);
  EXPECT_FALSE(s.ok()) << "accepted " << n.type << " " << n.body.DebugString();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  return std::string(s.message());
}

// ---------------------------------------------------------------------------
// Canonical bytes

TEST(CanonicalTest, RoundTrip) {
  Notification n = Move();
  std::string bytes = CanonicalBytes(n);
  EXPECT_EQ(bytes.substr(0, 4), "DTN1");
  Result<Notification> back = ParseCanonical(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, n);
  EXPECT_EQ(CanonicalBytes(*back), bytes);
}

TEST(CanonicalTest, EveryCatalogueTypeRoundTrips) {
  for (const treaty::NotificationType& type : NewStart().notifications) {
    Notification n = Of(type, true);
    Result<Notification> back = ParseCanonical(CanonicalBytes(n));
    ASSERT_TRUE(back.ok()) << type.code << ": " << back.status();
    EXPECT_EQ(*back, n) << type.code;
  }
}

// The worked example of docs/record-format.md: if this changes, the
// document (and every signature ever made) no longer matches.
constexpr const char* kGoldenCanonicalHex =
    "44544e31"
    "0400000007"
    "00000004626f6479"
    "0400000002"
    "000000046974656d"
    "0200000008"
    "4d4d332d30303031"
    "0000000b746f5f666163696c697479"
    "0200000007"
    "55532d48494c4c"
    "0000000a6576656e745f74696d65"
    "0200000014"
    "323031312d30332d30315431303a30303a30305a"
    "0000000673656e646572"
    "0200000002"
    "5553"
    "0000000973656e745f74696d65"
    "0200000014"
    "323031312d30332d30325430383a33303a30305a"
    "0000000873657175656e6365"
    "01"
    "0000000000000001"
    "00000006747265617479"
    "0200000009"
    "6e65772d7374617274"
    "0000000474797065"
    "020000000d"
    "4e53542d4954454d2d4d4f5645";

Notification Golden() {
  Notification n = Move();
  n.body =
      Value::OfMap({{"item", S("MM3-0001")}, {"to_facility", S("US-HILL")}});
  return n;
}

TEST(CanonicalTest, GoldenBytes) {
  EXPECT_EQ(Hex(CanonicalBytes(Golden())), kGoldenCanonicalHex);
}

// The signature of the worked example, by the key of seed 32 x 0x01.
constexpr const char* kGoldenSignatureHex =
    "60be58fcef17faef40a897d5fc06c0bfbd1c145ecf52e49b6ddfa95d148579c3"
    "c7083eaf8e01768e056b5837e7b0813e47a2b6760a637041938f72c195fbb00f";

TEST(CanonicalTest, GoldenEntry) {
  const crypto::SignerKey key = Key("US", 0x01);
  EXPECT_EQ(key.verifier().ToString(),
            "US+d76b0abe+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c");
  SignedNotification s = Sign(Golden(), key);
  EXPECT_EQ(Hex(s.Entry()),
            std::string(kGoldenCanonicalHex) + kGoldenSignatureHex);
  EXPECT_TRUE(VerifySignature(s, key.verifier()).ok());
}

// The hex dump under "<!-- golden-entry" in docs/record-format.md, as bytes.
std::string DocumentedEntry() {
  std::ifstream in(std::string(DETENTE_SOURCE_DIR) + "/docs/record-format.md");
  EXPECT_TRUE(in) << "docs/record-format.md";
  std::string line;
  while (std::getline(in, line) && !line.starts_with("<!-- golden-entry")) {
  }
  EXPECT_TRUE(std::getline(in, line) && line == "```") << line;
  std::string hex;
  while (std::getline(in, line) && line != "```") {
    std::istringstream words(line);
    std::string offset, byte;
    words >> offset;
    EXPECT_EQ(offset.size(), 8u) << line;
    EXPECT_EQ(std::stoul(offset, nullptr, 16), hex.size() / 2) << line;
    while (words >> byte) hex += byte;
  }
  Result<std::vector<uint8_t>> bytes = crypto::HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? std::string(bytes->begin(), bytes->end()) : "";
}

TEST(RecordFormatDocTest, WorkedExampleMatchesTheCode) {
  const std::string documented = DocumentedEntry();
  const std::string entry = Sign(Golden(), Key("US", 0x01)).Entry();
  EXPECT_EQ(Hex(documented), Hex(entry));
  Result<SignedNotification> s = ParseEntry(documented);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->notification, Golden());
  EXPECT_TRUE(VerifySignature(*s, Key("US", 0x01).verifier()).ok());
}

TEST(CanonicalTest, RefusesBadMagic) {
  std::string b = CanonicalBytes(Move());
  for (std::string magic : {"DTN2", "dtn1", "DTN0", "XXXX"}) {
    std::string c = magic + b.substr(4);
    Result<Notification> n = ParseCanonical(c);
    ASSERT_FALSE(n.ok());
    EXPECT_THAT(n.status().message(), HasSubstr("magic \"DTN1\""));
  }
  EXPECT_FALSE(ParseCanonical("").ok());
  EXPECT_FALSE(ParseCanonical("DTN").ok());
  EXPECT_FALSE(ParseCanonical("DTN1").ok());
  // The bare value without magic.
  EXPECT_FALSE(ParseCanonical(b.substr(4)).ok());
}

TEST(CanonicalTest, ErrorOffsetsCountTheMagic) {
  std::string b = CanonicalBytes(Move()) + "!";
  Result<Notification> n = ParseCanonical(b);
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(
      n.status().message(),
      HasSubstr(fmt::format("at byte {}: 1 trailing bytes", b.size() - 1)));
}

// Re-encodes an envelope map with the magic, bypassing CanonicalBytes.
std::string Record(const Value& envelope) {
  return std::string(kRecordMagic) + Encode(envelope);
}

Value Envelope(const Notification& n) {
  Result<Value> v = Decode(CanonicalBytes(n).substr(4));
  EXPECT_TRUE(v.ok());
  return v.value_or(Value());
}

std::string ParseError(const Value& envelope) {
  Result<Notification> n = ParseCanonical(Record(envelope));
  EXPECT_FALSE(n.ok()) << envelope.DebugString();
  return n.ok() ? "" : std::string(n.status().message());
}

TEST(CanonicalTest, RefusesEnvelopeVariants) {
  const Value good = Envelope(Move());
  ASSERT_TRUE(ParseCanonical(Record(good)).ok());

  for (const char* key : {"body", "event_time", "sender", "sent_time",
                          "sequence", "treaty", "type"}) {
    Value e = good;
    e.mutable_map().erase(key);
    EXPECT_THAT(ParseError(e),
                HasSubstr(fmt::format("missing envelope key '{}'", key)));
  }
  {
    Value e = good;
    e.mutable_map()["signature"] = S("x");
    EXPECT_THAT(ParseError(e), HasSubstr("unknown envelope key 'signature'"));
  }
  EXPECT_THAT(ParseError(Value::OfList({})), HasSubstr("expected a map"));
  EXPECT_THAT(ParseError(I(1)), HasSubstr("expected a map"));

  const auto with = [&](const char* key, Value v) {
    Value e = good;
    e.mutable_map()[key] = std::move(v);
    return ParseError(e);
  };
  EXPECT_THAT(with("sequence", I(0)), HasSubstr("sequence: 0 is not"));
  EXPECT_THAT(with("sequence", I(-5)), HasSubstr("sequence: -5 is not"));
  EXPECT_THAT(with("sequence", S("1")),
              HasSubstr("sequence: expected an integer"));
  EXPECT_THAT(with("sender", I(1)), HasSubstr("sender: expected a string"));
  EXPECT_THAT(with("treaty", Value::OfMap({})),
              HasSubstr("treaty: expected a string"));
  EXPECT_THAT(with("type", Value::OfList({})),
              HasSubstr("type: expected a string"));
  EXPECT_THAT(with("body", S("{}")), HasSubstr("body: expected a map"));
  EXPECT_THAT(with("body", Value::OfList({})),
              HasSubstr("body: expected a map"));
  // Times have one spelling: the ones Instant::Parse also accepts are refused.
  for (const char* t :
       {"2011-03-01", "2011-03-01t10:00:00Z", "2011-03-01 10:00:00Z",
        "2011-03-01T10:00:00z", "2011-03-01T10:00:00+00:00",
        "2011-03-01T10:00:00", "2011-03-01T25:00:00Z", "2011-02-30T10:00:00Z",
        "2011-03-01T10:00:00.5Z", ""}) {
    EXPECT_THAT(with("event_time", S(t)), HasSubstr("event_time: '"));
    EXPECT_THAT(with("sent_time", S(t)), HasSubstr("sent_time: '"));
  }
  EXPECT_THAT(with("event_time", I(1299000000)),
              HasSubstr("event_time: expected a string"));
}

// ---------------------------------------------------------------------------
// Signatures and entries

TEST(SignTest, SignVerifyAndEntryRoundTrip) {
  const crypto::SignerKey us = Key("US", 0x01);
  SignedNotification s = Sign(Move(), us);
  EXPECT_EQ(s.canonical, CanonicalBytes(Move()));
  ASSERT_TRUE(VerifySignature(s, us.verifier()).ok());

  std::string entry = s.Entry();
  EXPECT_EQ(entry.size(), s.canonical.size() + 64);
  Result<SignedNotification> back = ParseEntry(entry);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->notification, Move());
  EXPECT_EQ(back->canonical, s.canonical);
  EXPECT_EQ(back->signature, s.signature);
  EXPECT_TRUE(VerifySignature(*back, us.verifier()).ok());
  EXPECT_EQ(back->Entry(), entry);
}

TEST(SignTest, SignatureCoversTheContext) {
  const crypto::SignerKey us = Key("US", 0x01);
  SignedNotification s = Sign(Move(), us);
  // A signature over the canonical bytes alone (no context) is not accepted.
  s.signature = us.key_pair().Sign(crypto::AsBytes(s.canonical));
  EXPECT_FALSE(VerifySignature(s, us.verifier()).ok());
  std::string msg = std::string(kSignatureContext) + s.canonical;
  s.signature = us.key_pair().Sign(crypto::AsBytes(msg));
  EXPECT_TRUE(VerifySignature(s, us.verifier()).ok());
}

TEST(SignTest, WrongKeyRefused) {
  SignedNotification s = Sign(Move(), Key("US", 0x01));
  Status st = VerifySignature(s, Key("US", 0x02).verifier());
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("notification US #1: signature does not "
                                      "verify under key US+"));
  EXPECT_FALSE(VerifySignature(s, Key("RU", 0x03).verifier()).ok());
}

TEST(SignTest, TamperedNotificationRefused) {
  const crypto::SignerKey us = Key("US", 0x01);
  SignedNotification s = Sign(Move(), us);
  s.notification.sequence = 2;  // canonical bytes untouched
  Status st = VerifySignature(s, us.verifier());
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("not the canonical bytes"));
  // Re-deriving the canonical bytes does not help: the signature breaks.
  s.canonical = CanonicalBytes(s.notification);
  EXPECT_FALSE(VerifySignature(s, us.verifier()).ok());
}

TEST(SignTest, EveryFlippedByteBreaksParsingOrVerification) {
  const crypto::SignerKey us = Key("US", 0x01);
  Notification n = Move();
  n.body.mutable_map()["arrived"] = S("2011-03-02T06:00:00Z");
  const std::string entry = Sign(n, us).Entry();
  for (size_t i = 0; i < entry.size(); ++i) {
    for (int mask : {0x01, 0x80, 0xff}) {
      std::string bad = entry;
      bad[i] = static_cast<char>(static_cast<uint8_t>(bad[i]) ^ mask);
      Result<SignedNotification> s = ParseEntry(bad);
      if (s.ok()) {
        EXPECT_FALSE(VerifySignature(*s, us.verifier()).ok())
            << "byte " << i << " ^ " << mask;
      }
    }
  }
  // Truncated or extended entries.
  for (size_t n_cut : {size_t{1}, size_t{63}, size_t{64}, size_t{65}}) {
    Result<SignedNotification> s =
        ParseEntry(entry.substr(0, entry.size() - n_cut));
    if (s.ok()) {
      EXPECT_FALSE(VerifySignature(*s, us.verifier()).ok());
    }
  }
  Result<SignedNotification> longer = ParseEntry(entry + "x");
  if (longer.ok()) {
    EXPECT_FALSE(VerifySignature(*longer, us.verifier()).ok());
  }
}

TEST(SignTest, ParseEntryRefusesShortEntries) {
  for (size_t len : {size_t{0}, size_t{4}, size_t{67}}) {
    Result<SignedNotification> s = ParseEntry(std::string(len, 'D'));
    ASSERT_FALSE(s.ok());
  }
  Result<SignedNotification> s = ParseEntry(std::string(67, 'D'));
  EXPECT_THAT(s.status().message(), HasSubstr("too short"));
  // A signature without a record.
  s = ParseEntry("DTN1" + std::string(64, '\0'));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("notification entry"));
}

// Fuzz-style: mutated entries never crash, and whatever parses is exactly
// canonical.
TEST(SignTest, ParsesMutatedEntriesSafely) {
  const std::string entry = Sign(Move(), Key("US", 0x01)).Entry();
  std::mt19937_64 rng(42);
  for (int round = 0; round < 5000; ++round) {
    std::string b = entry;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % b.size();
      switch (rng() % 3) {
        case 0:
          b[pos] = static_cast<char>(rng() & 0xff);
          break;
        case 1:
          b.insert(pos, 1, static_cast<char>(rng() & 0xff));
          break;
        default:
          b.erase(pos, 1);
          break;
      }
      if (b.empty()) b = "x";
    }
    Result<SignedNotification> s = ParseEntry(b);
    if (s.ok()) {
      EXPECT_EQ(s->Entry(), b);
    }
  }
}

// ---------------------------------------------------------------------------
// Validation

TEST(ValidateTest, EveryCatalogueTypeWithAValidBody) {
  ASSERT_GE(NewStart().notifications.size(), 20u);
  for (const treaty::NotificationType& type : NewStart().notifications) {
    for (bool optional_too : {false, true}) {
      Notification n = Of(type, optional_too);
      Status s = Validate(NewStart(), n);
      EXPECT_TRUE(s.ok()) << type.code << " " << n.body.DebugString() << ": "
                          << s;
    }
  }
}

TEST(ValidateTest, EveryRequiredFieldMissing) {
  int checked = 0;
  for (const treaty::NotificationType& type : NewStart().notifications) {
    for (const treaty::Field& f : type.fields) {
      if (!f.required) continue;
      Notification n = Of(type, true);
      n.body.mutable_map().erase(f.name);
      EXPECT_EQ(ValidateError(n),
                fmt::format("body.{}: required field of {} is missing", f.name,
                            type.code));
      ++checked;
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(ValidateTest, EveryFieldWithTheWrongKindOfValue) {
  for (const treaty::NotificationType& type : NewStart().notifications) {
    for (const treaty::Field& f : type.fields) {
      // Integers where strings belong and strings where integers belong; a
      // list where anything but an item list belongs.
      const bool wants_int = f.type == treaty::ValueType::kInteger ||
                             f.type == treaty::ValueType::kBoolean;
      Notification n = Of(type, true);
      n.body.mutable_map()[f.name] =
          wants_int ? S("7")
                    : (f.type == treaty::ValueType::kItemList ? Value::OfMap({})
                                                              : I(7));
      EXPECT_THAT(ValidateError(n),
                  HasSubstr(fmt::format("body.{}: expected", f.name)))
          << type.code;
    }
  }
}

TEST(ValidateTest, UnknownField) {
  Notification n = Move();
  n.body.mutable_map()["colour"] = S("red");
  EXPECT_EQ(ValidateError(n),
            "body.colour: unknown field of NST-ITEM-MOVE (fields: item, "
            "category, from_facility, to_facility, departed, arrived)");
}

TEST(ValidateTest, BodyNotAMap) {
  Notification n = Move();
  n.body = Value::OfList({});
  EXPECT_THAT(ValidateError(n), HasSubstr("body: expected a map of fields"));
}

TEST(ValidateTest, WrongTypes) {
  Notification n = Of(*NewStart().FindNotification("NST-RV-CHANGE"), true);
  n.body.mutable_map()["to_warheads"] = S("4");
  EXPECT_EQ(ValidateError(n),
            "body.to_warheads: expected an integer, got a string (\"4\")");
  n = Of(*NewStart().FindNotification("NST-BCC-POSTPONE"), true);
  n.body.mutable_map()["new_dates_to_follow"] = I(2);
  EXPECT_THAT(ValidateError(n),
              HasSubstr("body.new_dates_to_follow: expected a boolean (the "
                        "integer 0 or 1), got an integer (2)"));
  n.body.mutable_map()["new_dates_to_follow"] = I(0);
  EXPECT_TRUE(Validate(NewStart(), n).ok());
}

TEST(ValidateTest, BadDates) {
  Notification n = Of(*NewStart().FindNotification("NST-ITEM-ELIM"), true);
  for (const char* d : {"2011-02-30", "2011-2-3", "11-02-03",
                        "2011-02-03T00:00:00Z", "", "2011-13-01"}) {
    n.body.mutable_map()["completed"] = S(d);
    EXPECT_THAT(ValidateError(n), HasSubstr("body.completed: ")) << d;
  }
  n.body.mutable_map()["completed"] = S("2011-02-30");
  EXPECT_EQ(ValidateError(n),
            "body.completed: 2011-02-30 is not a day of the calendar");
}

TEST(ValidateTest, BadInstants) {
  Notification n = Move();
  for (const char* t : {"2011-03-01", "2011-03-01T10:00:00",
                        "2011-03-01T10:00Z", "2011-03-01T10:00:00+03:00",
                        "2011-03-01 10:00:00Z", "2011-03-01T24:00:00Z"}) {
    n.body.mutable_map()["departed"] = S(t);
    EXPECT_EQ(ValidateError(n),
              fmt::format("body.departed: '{}' is not a GMT instant written "
                          "YYYY-MM-DDTHH:MM:SSZ",
                          t));
  }
}

TEST(ValidateTest, UnknownPartyCategoryStatus) {
  Notification n = Of(*NewStart().FindNotification("NST-STATUS-CHANGE"), true);
  n.body.mutable_map()["to_status"] = S("deployd");
  EXPECT_EQ(ValidateError(n),
            "body.to_status: unknown status 'deployd' (declared: deployed, "
            "non_deployed, test, converted, eliminated)");
  n = Of(*NewStart().FindNotification("NST-STATUS-CHANGE"), true);
  n.body.mutable_map()["category"] = S("cruise_missile");
  EXPECT_THAT(ValidateError(n),
              HasSubstr("body.category: unknown category 'cruise_missile' "
                        "(declared: icbm, slbm, heavy_bomber"));
  n = Of(*NewStart().FindNotification("NST-DB-INIT"), true);
  Value item = Missile("MM3-0009", 1);
  item.mutable_map()["party"] = S("UK");
  n.body.mutable_map()["items"] = Value::OfList({Missile("A", 1), item});
  EXPECT_EQ(ValidateError(n),
            "body.items[1].party: unknown party 'UK' (declared: US, RU)");
}

TEST(ValidateTest, EnumValueNotAllowed) {
  Notification n = Of(*NewStart().FindNotification("NST-INSP-REQUEST"), true);
  n.body.mutable_map()["inspection_type"] = S("type_three");
  EXPECT_EQ(ValidateError(n),
            "body.inspection_type: 'type_three' is not one of: type_one, "
            "type_two");
}

TEST(ValidateTest, BadIdentifiers) {
  Notification n = Move();
  for (const char* id :
       {"", "-leading-dash", "has space", "ü-nicode", "semi;colon",
        "A234567890123456789012345678901234567890"
        "123456789012345678901234X"}) {
    n.body.mutable_map()["item"] = S(id);
    EXPECT_THAT(ValidateError(n), HasSubstr("body.item: ")) << id;
    EXPECT_THAT(ValidateError(n), HasSubstr("is not a valid identifier"));
  }
  n.body.mutable_map()["item"] = S("a");
  EXPECT_TRUE(Validate(NewStart(), n).ok());
  n.body.mutable_map()["item"] = Value::Str(std::string(64, 'x'));
  EXPECT_TRUE(Validate(NewStart(), n).ok());
  n.body.mutable_map()["item"] = S("RU:SS-27/2011.05_A-1");
  EXPECT_TRUE(Validate(NewStart(), n).ok());
  // Facilities are names, looser than item identifiers.
  n.body.mutable_map()["to_facility"] = S("F.E. Warren AFB");
  EXPECT_TRUE(Validate(NewStart(), n).ok());
  n.body.mutable_map()["to_facility"] = S("Козельск");
  EXPECT_TRUE(Validate(NewStart(), n).ok());
  for (const std::string& f :
       {std::string(""), std::string(" Kings Bay"), std::string("Kings Bay "),
        std::string("Kings\nBay"), std::string(129, 'f')}) {
    n.body.mutable_map()["to_facility"] = Value::Str(f);
    EXPECT_THAT(ValidateError(n),
                HasSubstr("body.to_facility: " + Value::Str(f).DebugString() +
                          " is not a valid facility: 1 to 128 bytes"));
  }
}

TEST(ValidateTest, StringsMustBeUtf8) {
  Notification n = Of(*NewStart().FindNotification("NST-DIP-NOTE"), true);
  n.body.mutable_map()["text"] = S("bad \xff byte");
  EXPECT_EQ(ValidateError(n), "body.text: not valid UTF-8");
}

TEST(ValidateTest, ItemListWithBadItems) {
  const treaty::NotificationType& t =
      *NewStart().FindNotification("NST-DB-UPDATE");
  const auto error = [&](Value item) {
    Notification n = Of(t, true);
    n.body.mutable_map()["items"] = Value::OfList({Missile("OK-1", 1), item});
    return ValidateError(n);
  };
  EXPECT_EQ(error(S("MM3-0001")),
            "body.items[1]: expected an item map, got a string (\"MM3-0001\")");
  Value m = Missile("X-1", 1);
  m.mutable_map().erase("status");
  EXPECT_EQ(error(m), "body.items[1].status: required item key is missing");
  m = Missile("X-1", 1);
  m.mutable_map()["colour"] = S("red");
  EXPECT_THAT(error(m), HasSubstr("body.items[1].colour: unknown item key"));
  m = Missile("X 1", 1);
  EXPECT_THAT(error(m),
              HasSubstr("body.items[1].id: \"X 1\" is not a valid identifier"));
  m = Missile("X-1", -1);
  EXPECT_EQ(error(m), "body.items[1].warheads: -1 is negative");
  m = Missile("X-1", 1);
  m.mutable_map()["warheads"] = S("1");
  EXPECT_THAT(error(m),
              HasSubstr("body.items[1].warheads: expected an integer"));
  m = Missile("X-1", 1);
  m.mutable_map()["category"] = S("heavy_bomber");
  m.mutable_map().erase("attributes");
  EXPECT_EQ(error(m),
            "body.items[1].warheads: category 'heavy_bomber' does not carry "
            "warheads, but 1 are declared");
  m.mutable_map()["warheads"] = I(0);
  {
    Notification n = Of(t, true);
    n.body.mutable_map()["items"] = Value::OfList({m});
    EXPECT_TRUE(Validate(NewStart(), n).ok());
  }
  m = Missile("X-1", 1);
  m.mutable_map()["status"] = S("gone");
  EXPECT_THAT(error(m),
              HasSubstr("body.items[1].status: unknown status 'gone'"));
  m = Missile("X-1", 1);
  m.mutable_map()["attributes"] = Value::OfMap({{"range_km", S("10000")}});
  EXPECT_EQ(error(m),
            "body.items[1].attributes.range_km: category 'icbm' has no "
            "attribute 'range_km' (declared: basing)");
  m = Missile("X-1", 1);
  m.mutable_map()["attributes"] = Value::OfMap({{"basing", I(1)}});
  EXPECT_THAT(error(m),
              HasSubstr("body.items[1].attributes.basing: expected a string"));
  m = Missile("X-1", 1);
  m.mutable_map()["attributes"] = S("basing=silo");
  EXPECT_THAT(error(m), HasSubstr("body.items[1].attributes: expected a map"));
  m = Missile("X-1", 1);
  m.mutable_map()["facility"] = S("");
  EXPECT_THAT(error(m), HasSubstr("body.items[1].facility: "));
  m = Missile("X-1", 1);
  m.mutable_map()["type"] = I(3);
  EXPECT_THAT(error(m), HasSubstr("body.items[1].type: expected a string"));
  // A minimal item: the four required keys only.
  Value minimal = Value::OfMap({{"id", S("LNCH-1")},
                                {"party", S("RU")},
                                {"category", S("icbm_launcher")},
                                {"status", S("non_deployed")}});
  EXPECT_TRUE(ValidateItemRecord(NewStart(), minimal, "item").ok());
}

TEST(ValidateTest, ItemAttributesFollowTheCategory) {
  // New START's attributes are all strings; a typed, required one is added
  // here to exercise the rules.
  treaty::Spec spec = NewStart();
  for (treaty::Category& c : spec.categories) {
    if (c.id == "icbm") {
      c.attributes.push_back(
          {"deployed_since", treaty::ValueType::kInteger, true, ""});
    }
  }
  const auto check = [&](Value attributes) {
    Value m = Missile("X-1", 1);
    m.mutable_map()["attributes"] = std::move(attributes);
    return ValidateItemRecord(spec, m, "items[0]");
  };
  EXPECT_EQ(check(Value::OfMap({{"basing", S("silo")}})).message(),
            "items[0].attributes.deployed_since: required by category 'icbm' "
            "but missing");
  EXPECT_EQ(check(Value::OfMap({{"deployed_since", S("soon")}})).message(),
            "items[0].attributes.deployed_since: 'soon' is not an integer");
  EXPECT_TRUE(check(Value::OfMap({{"deployed_since", S("2011")}})).ok());
  Value no_attributes = Missile("X-1", 1);
  no_attributes.mutable_map().erase("attributes");
  EXPECT_THAT(ValidateItemRecord(spec, no_attributes, "it").message(),
              HasSubstr("it.attributes.deployed_since: required"));
}

TEST(ValidateTest, Totals) {
  const treaty::NotificationType& t =
      *NewStart().FindNotification("NST-DB-UPDATE");
  Notification n = Of(t, true);
  n.body.mutable_map()["totals"] =
      Value::OfMap({{"deployed_warheads", I(1550)}, {"warheads_total", I(1)}});
  EXPECT_THAT(
      ValidateError(n),
      HasSubstr("body.totals.warheads_total: unknown limit "
                "'warheads_total' (declared: deployed_delivery_vehicles"));
  n.body.mutable_map()["totals"] = Value::OfMap({{"deployed_warheads", I(-1)}});
  EXPECT_EQ(ValidateError(n),
            "body.totals.deployed_warheads: -1 is negative: a total is a count "
            "of items or warheads");
  n.body.mutable_map()["totals"] =
      Value::OfMap({{"deployed_warheads", S("1")}});
  EXPECT_THAT(ValidateError(n),
              HasSubstr("body.totals.deployed_warheads: expected an integer"));
  n.body.mutable_map()["totals"] = Value::OfList({});
  EXPECT_THAT(ValidateError(n), HasSubstr("body.totals: expected a map"));
  n.body.mutable_map()["totals"] = Value::OfMap({});
  EXPECT_TRUE(Validate(NewStart(), n).ok());
}

TEST(ValidateTest, Envelope) {
  Notification n = Move();
  n.sequence = 0;
  EXPECT_THAT(ValidateError(n),
              HasSubstr("sequence: 0 is not a sequence number"));
  n = Move();
  n.sequence = uint64_t{1} << 63;
  EXPECT_THAT(ValidateError(n),
              HasSubstr("sequence: 9223372036854775808 is larger"));
  n = Move();
  n.type = "NST-TELEPORT";
  EXPECT_EQ(ValidateError(n),
            "type: 'NST-TELEPORT' is not in the notification catalogue of "
            "'new-start'");
  n = Move();
  n.treaty = "x";
  EXPECT_EQ(ValidateError(n),
            "notification is for treaty 'x', this spec is 'new-start'");
  n = Move();
  n.sender = "UK";
  EXPECT_EQ(ValidateError(n), "sender: unknown party 'UK' (declared: US, RU)");
  n = Move();
  n.event_time = Instant::FromUnixSeconds(int64_t{300000} * 86400 * 365);
  EXPECT_THAT(ValidateError(n), HasSubstr("event_time: "));
  n = Move();
  n.sent_time = Instant::FromUnixSeconds(-int64_t{3000} * 86400 * 366);
  EXPECT_THAT(ValidateError(n), HasSubstr("sent_time: "));
}

TEST(ValidateTest, ValidatedRecordsParseBack) {
  // Whatever Validate accepts has canonical bytes that ParseCanonical
  // accepts, so a signed notification can always be read back.
  for (const treaty::NotificationType& type : NewStart().notifications) {
    Notification n = Of(type, true);
    ASSERT_TRUE(Validate(NewStart(), n).ok());
    EXPECT_TRUE(ParseCanonical(CanonicalBytes(n)).ok()) << type.code;
  }
}

TEST(ValidateTest, EntrySizeLimit) {
  // The whole signed entry must fit in a log entry (1 MiB).
  Notification n = Of(*NewStart().FindNotification("NST-DIP-NOTE"), true);
  n.body.mutable_map()["text"] = Value::Str(std::string(kMaxEntryBytes, 'a'));
  EXPECT_EQ(ValidateError(n),
            fmt::format("body: the signed entry would be {} bytes, more than "
                        "the 1048576 a log entry may be",
                        CanonicalBytes(n).size() + 64));
  // Exactly at the limit: accepted, signed, and the entry parses back.
  const size_t over = CanonicalBytes(n).size() + 64 - kMaxEntryBytes;
  n.body.mutable_map()["text"] =
      Value::Str(std::string(kMaxEntryBytes - over, 'a'));
  ASSERT_EQ(CanonicalBytes(n).size() + 64, kMaxEntryBytes);
  ASSERT_TRUE(Validate(NewStart(), n).ok());
  const std::string entry = Sign(n, Key("US", 0x01)).Entry();
  Result<SignedNotification> s = ParseEntry(entry);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->notification, n);
  // One byte more is refused by both.
  n.body.mutable_map()["text"] =
      Value::Str(std::string(kMaxEntryBytes - over + 1, 'a'));
  EXPECT_THAT(ValidateError(n), HasSubstr("more than the 1048576"));
  Result<SignedNotification> big = ParseEntry(Sign(n, Key("US", 0x01)).Entry());
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(),
              HasSubstr("1048577 bytes, more than the 1048576"));
}

// ---------------------------------------------------------------------------
// Deadlines

Instant Due(const char* type, const char* event) {
  Notification n = Of(*NewStart().FindNotification(type), false);
  n.event_time = T(event);
  Result<std::optional<Instant>> due = DueBy(NewStart(), n);
  EXPECT_TRUE(due.ok()) << due.status();
  EXPECT_TRUE(due.ok() && due->has_value()) << type;
  return due.ok() && due->has_value() ? **due : Instant();
}

TEST(DueByTest, EventAnchor) {
  EXPECT_EQ(Due("NST-STATUS-CHANGE", "2019-03-01T10:00:00Z"),
            T("2019-03-06T23:59:59Z"));
  EXPECT_EQ(Due("NST-LAUNCH", "2019-03-01T10:00:00Z"),
            T("2019-02-28T10:00:00Z"));
  // Parameters: new items within param:new_item_notice_days (5) days;
  // inspection requests param:inspection_arrival_notice_hours (32) ahead.
  EXPECT_EQ(Due("NST-ITEM-NEW", "2012-12-31T23:00:00Z"),
            T("2013-01-05T23:59:59Z"));
  EXPECT_EQ(Due("NST-INSP-REQUEST", "2012-06-02T08:00:00Z"),
            T("2012-06-01T00:00:00Z"));
  EXPECT_EQ(Due("NST-INSP-FLIGHT-PLAN", "2012-06-02T08:00:00Z"),
            T("2012-06-02T02:00:00Z"));
}

TEST(DueByTest, PeriodEndAnchor) {
  // An update "as of" a period end is due 30 days after that end.
  EXPECT_EQ(Due("NST-DB-UPDATE", "2011-09-01T00:00:00Z"),
            T("2011-10-01T23:59:59Z"));
  EXPECT_EQ(Due("NST-DB-UPDATE", "2012-03-01T00:00:00Z"),
            T("2012-03-31T23:59:59Z"));
  EXPECT_EQ(Due("NST-DB-UPDATE", "2020-09-01T00:00:00Z"),
            T("2020-10-01T23:59:59Z"));
  // Any time on a period-end day counts as that end.
  EXPECT_EQ(Due("NST-RV-CHANGE", "2011-09-01T23:00:00Z"),
            T("2011-10-01T23:59:59Z"));
  // A change inside a period is due 30 days after the end of that period.
  EXPECT_EQ(Due("NST-RV-CHANGE", "2011-09-02T00:00:00Z"),
            T("2012-03-31T23:59:59Z"));
  EXPECT_EQ(Due("NST-RV-CHANGE", "2012-02-29T23:00:00Z"),
            T("2012-03-31T23:59:59Z"));
  EXPECT_EQ(Due("NST-RV-CHANGE", "2019-12-25T00:00:00Z"),
            T("2020-03-31T23:59:59Z"));
  // Before and in the first period (which starts 2011-03-01): its end,
  // 2011-09-01, is the first anchor.
  EXPECT_EQ(Due("NST-RV-CHANGE", "2011-02-10T00:00:00Z"),
            T("2011-10-01T23:59:59Z"));
  EXPECT_EQ(Due("NST-RV-CHANGE", "2011-03-01T00:00:00Z"),
            T("2011-10-01T23:59:59Z"));
}

TEST(DueByTest, EntryIntoForceAnchor) {
  EXPECT_EQ(Due("NST-DB-INIT", "2011-02-05T00:00:00Z"),
            T("2011-03-22T23:59:59Z"));
  // Whatever the event time: the anchor is the treaty's.
  EXPECT_EQ(Due("NST-DB-INIT", "2011-03-10T12:00:00Z"),
            T("2011-03-22T23:59:59Z"));
  EXPECT_EQ(Due("NST-INSP-AIRPLANES", "2011-02-05T00:00:00Z"),
            T("2011-02-10T23:59:59Z"));
}

TEST(DueByTest, CalendarYearStartAnchor) {
  // At least 30 days before 1 January of the year after the event's year.
  EXPECT_EQ(Due("NST-INSP-CLEARANCE", "2012-11-15T00:00:00Z"),
            T("2012-12-02T23:59:59Z"));
  EXPECT_EQ(Due("NST-INSP-CLEARANCE", "2012-01-01T00:00:00Z"),
            T("2012-12-02T23:59:59Z"));
}

TEST(DueByTest, NoDeadlineAndUnknownType) {
  Notification n = Of(*NewStart().FindNotification("NST-DIP-NOTE"), false);
  Result<std::optional<Instant>> due = DueBy(NewStart(), n);
  ASSERT_TRUE(due.ok());
  EXPECT_FALSE(due->has_value());
  n.type = "NST-NOPE";
  due = DueBy(NewStart(), n);
  ASSERT_FALSE(due.ok());
  EXPECT_EQ(due.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace detente::notification
