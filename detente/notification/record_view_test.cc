#include "detente/notification/record_view.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "detente/crypto/ed25519.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::notification {
namespace {

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

using Rng = std::mt19937_64;

size_t Pick(Rng& rng, size_t n) { return static_cast<size_t>(rng() % n); }

std::string RandomText(Rng& rng) {
  static const char* kPieces[] = {
      "a", "Z", "0", "-", " ",  "\xc3\xa9", "\x7f", "\xe2\x82\xac",
      ".", "_", ":", "/", "\t", "b"};
  std::string s;
  const size_t n = Pick(rng, 12);
  for (size_t i = 0; i < n; ++i) s += kPieces[Pick(rng, std::size(kPieces))];
  return s;
}

Value RandomValue(Rng& rng, int depth) {
  switch (Pick(rng, depth > 3 ? 2 : 4)) {
    case 0:
      return Value::Int(static_cast<int64_t>(rng()));
    case 1:
      return Value::Str(RandomText(rng));
    case 2: {
      Value::List l;
      for (size_t i = Pick(rng, 4); i > 0; --i) {
        l.push_back(RandomValue(rng, depth + 1));
      }
      return Value::OfList(std::move(l));
    }
    default: {
      Value::Map m;
      for (size_t i = Pick(rng, 4); i > 0; --i) {
        m[RandomText(rng)] = RandomValue(rng, depth + 1);
      }
      return Value::OfMap(std::move(m));
    }
  }
}

Instant RandomInstant(Rng& rng) {
  // Years 0001 to 9999.
  return Instant::FromUnixSeconds(-62135596800 +
                                  static_cast<int64_t>(rng() % 315537897600));
}

Notification RandomNotification(Rng& rng) {
  Notification n;
  n.treaty = Pick(rng, 2) ? "new-start" : RandomText(rng);
  n.sender = Pick(rng, 2) ? "US" : RandomText(rng);
  n.sequence = 1 + rng() % (uint64_t{1} << 62);
  n.type = Pick(rng, 2) ? "NST-ITEM-MOVE" : RandomText(rng);
  n.event_time = RandomInstant(rng);
  n.sent_time = RandomInstant(rng);
  Value::Map body;
  for (size_t i = Pick(rng, 6); i > 0; --i) {
    body[RandomText(rng)] = RandomValue(rng, 1);
  }
  n.body = Value::OfMap(std::move(body));
  return n;
}

void ExpectSameFields(const RecordView& v, const Notification& n) {
  EXPECT_EQ(v.treaty, n.treaty);
  EXPECT_EQ(v.sender, n.sender);
  EXPECT_EQ(v.sequence, n.sequence);
  EXPECT_EQ(v.type, n.type);
  EXPECT_EQ(v.event_time, n.event_time);
  EXPECT_EQ(v.sent_time, n.sent_time);
  EXPECT_EQ(v.body.size(), n.body.map().size());
  EXPECT_EQ(v.body.ToValue(), n.body);
  EXPECT_EQ(v.ToNotification(), n);
  // Every body field, found and visited, is the decoder's value.
  size_t visited = 0;
  v.body.ForEach([&](std::string_view key, const FieldView& f) {
    const Value* want = n.body.Find(key);
    EXPECT_NE(want, nullptr) << key;
    if (want != nullptr) {
      EXPECT_EQ(f.encoded, Encode(*want)) << key;
    }
    ++visited;
    return true;
  });
  EXPECT_EQ(visited, n.body.map().size());
  for (const auto& [key, want] : n.body.map()) {
    std::optional<FieldView> f = v.body.Find(key);
    ASSERT_TRUE(f.has_value()) << key;
    EXPECT_EQ(f->kind, want.kind());
    EXPECT_EQ(f->encoded, Encode(want));
    if (want.is_int()) {
      EXPECT_EQ(f->integer, want.integer());
      EXPECT_EQ(IntField(v.body, key), want.integer());
    }
    if (want.is_str()) {
      EXPECT_EQ(f->str, want.str());
      EXPECT_EQ(StrField(v.body, key), want.str());
    }
    if (want.is_list()) {
      EXPECT_EQ(f->count, want.list().size());
    }
    if (want.is_map()) {
      EXPECT_EQ(f->count, want.map().size());
    }
  }
  EXPECT_FALSE(v.body.Find("\xff absent").has_value());
  EXPECT_FALSE(v.body.Find("").has_value() && n.body.Find("") == nullptr);
}

// ParseRecordView against ParseCanonical on the same bytes: both accept
// with the same fields, or both refuse with the same message.
void ExpectAgree(std::string_view record) {
  Result<Notification> want = ParseCanonical(record);
  Result<RecordView> got = ParseRecordView(record);
  ASSERT_EQ(got.ok(), want.ok())
      << (want.ok() ? got.status().ToString() : want.status().ToString());
  if (want.ok()) {
    ExpectSameFields(*got, *want);
  } else {
    EXPECT_EQ(got.status().ToString(), want.status().ToString());
  }
}

TEST(RecordViewTest, AgreesWithParseCanonicalOnGeneratedRecords) {
  Rng rng(4);
  for (int i = 0; i < 3000; ++i) {
    const Notification n = RandomNotification(rng);
    const std::string bytes = CanonicalBytes(n);
    Result<RecordView> v = ParseRecordView(bytes);
    ASSERT_TRUE(v.ok()) << v.status();
    ExpectSameFields(*v, n);
    ExpectAgree(bytes);
  }
}

TEST(RecordViewTest, RefusesWhatParseCanonicalRefusesWithItsMessage) {
  Rng rng(5);
  int refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = CanonicalBytes(RandomNotification(rng));
    switch (Pick(rng, 5)) {
      case 0:  // flip a byte
        bytes[Pick(rng, bytes.size())] ^= static_cast<char>(1 + Pick(rng, 255));
        break;
      case 1:  // cut
        bytes.resize(Pick(rng, bytes.size()));
        break;
      case 2:  // trailing bytes
        bytes += std::string(1 + Pick(rng, 3), '\x01');
        break;
      case 3:  // a byte inserted
        bytes.insert(Pick(rng, bytes.size() + 1), 1,
                     static_cast<char>(Pick(rng, 256)));
        break;
      default:  // a length or count made larger
        bytes[4 + 4 + Pick(rng, bytes.size() - 8)] = '\x7f';
        break;
    }
    if (!ParseCanonical(bytes).ok()) ++refused;
    ExpectAgree(bytes);
  }
  EXPECT_GT(refused, 10000);
}

TEST(RecordViewTest, EnvelopeRulesAsParseCanonical) {
  const std::string time = "2011-03-01T10:00:00Z";
  auto envelope = [&](Value::Map overrides, std::vector<std::string> drop) {
    Value::Map env = {{"body", Value::OfMap({})},
                      {"event_time", Value::Str(time)},
                      {"sender", Value::Str("US")},
                      {"sent_time", Value::Str(time)},
                      {"sequence", Value::Int(1)},
                      {"treaty", Value::Str("new-start")},
                      {"type", Value::Str("NST-ITEM-MOVE")}};
    for (auto& [k, v] : overrides) env[k] = v;
    for (const std::string& k : drop) env.erase(k);
    return std::string(kRecordMagic) + Encode(Value::OfMap(std::move(env)));
  };
  ExpectAgree(envelope({}, {}));
  ExpectAgree(envelope({{"extra", Value::Int(1)}}, {}));
  ExpectAgree(envelope({}, {"sender"}));
  ExpectAgree(envelope({{"sequence", Value::Int(0)}}, {}));
  ExpectAgree(envelope({{"sequence", Value::Int(-5)}}, {}));
  ExpectAgree(envelope({{"sequence", Value::Str("1")}}, {}));
  ExpectAgree(envelope({{"body", Value::OfList({})}}, {}));
  ExpectAgree(envelope({{"treaty", Value::Int(3)}}, {}));
  for (const char* t :
       {"2011-03-01", "2011-03-01t10:00:00Z", "2011-03-01 10:00:00Z",
        "2011-03-01T10:00:00+00:00", "2011-02-29T10:00:00Z",
        "0000-01-01T00:00:00Z", "2011-03-01T24:00:00Z", "2011-03-01T10:60:00Z",
        "2011-03-01T10:00:60Z", "+011-03-01T10:00:00Z", "2011-03-01T10:00:00z",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"}) {
    ExpectAgree(envelope({{"event_time", Value::Str(t)}}, {}));
    ExpectAgree(envelope({{"sent_time", Value::Str(t)}}, {}));
  }
  ExpectAgree("DTN2");
  ExpectAgree("");
  ExpectAgree(std::string(kRecordMagic) + Encode(Value::Int(1)));
}

TEST(RecordViewTest, CanonicalInstantTextIsTheOneSpelling) {
  Rng rng(6);
  const std::string digits = "0123456789";
  for (int i = 0; i < 20000; ++i) {
    std::string t = RandomInstant(rng).ToString();
    if (Pick(rng, 2)) {
      const size_t at = Pick(rng, t.size());
      t[at] = Pick(rng, 4) ? digits[Pick(rng, 10)]
                           : static_cast<char>(Pick(rng, 128));
    }
    Result<Instant> parsed = Instant::Parse(t);
    const bool canonical = parsed.ok() && parsed->ToString() == t;
    std::optional<Instant> fast = ParseCanonicalInstantText(t);
    ASSERT_EQ(fast.has_value(), canonical) << t;
    if (canonical) {
      EXPECT_EQ(*fast, *parsed) << t;
    }
  }
}

TEST(RecordViewTest, EntryViewAsParseEntry) {
  crypto::Ed25519Seed seed;
  seed.fill(7);
  const crypto::SignerKey key =
      *crypto::SignerKey::FromSeed("us.test", crypto::KeyType::kEd25519, seed);
  Rng rng(8);
  for (int i = 0; i < 500; ++i) {
    std::string entry = Sign(RandomNotification(rng), key).Entry();
    if (Pick(rng, 2)) entry.resize(Pick(rng, entry.size()));
    Result<SignedNotification> want = ParseEntry(entry);
    Result<RecordView> got = ParseEntryView(entry);
    ASSERT_EQ(got.ok(), want.ok());
    if (want.ok()) {
      ExpectSameFields(*got, want->notification);
      EXPECT_EQ(got->record, want->canonical);
    } else {
      EXPECT_EQ(got.status().ToString(), want.status().ToString());
    }
  }
  EXPECT_FALSE(ParseEntryView(std::string(kMaxEntryBytes + 1, 'x')).ok());
}

// A value for a field of type `t`, valid or (when `valid` is false) likely
// not.
Value FieldValue(Rng& rng, const treaty::Spec& spec, const treaty::Field& f,
                 bool valid) {
  using treaty::ValueType;
  if (!valid && Pick(rng, 3) == 0) {
    return Pick(rng, 2) ? Value::Int(1) : Value::Str("x");  // kind swapped
  }
  auto one = [&](std::vector<std::string> good, std::vector<std::string> bad) {
    const auto& from = valid ? good : bad;
    return Value::Str(from[Pick(rng, from.size())]);
  };
  switch (f.type) {
    case ValueType::kInteger:
      return Value::Int(valid ? 5 : -1);  // -1 is a valid integer too
    case ValueType::kBoolean:
      return Value::Int(valid ? static_cast<int64_t>(Pick(rng, 2)) : 2);
    case ValueType::kString:
    case ValueType::kText:
      return Value::Str(RandomText(rng));
    case ValueType::kDate:
      return one({"2011-02-05", "2024-02-29"},
                 {"2011-02-30", "2011-2-05", "2023-02-29", "x"});
    case ValueType::kInstant:
      return one({"2011-02-05T10:00:00Z"},
                 {"2011-02-05t10:00:00Z", "2011-02-05T24:00:00Z", "2011-02-05",
                  "2011-02-05T10:00:00+00:00"});
    case ValueType::kIdentifier:
      return one({"MM3-0001", "a", std::string(64, 'x')},
                 {"", "-x", std::string(65, 'x'), "a b", "\xc3\xa9"});
    case ValueType::kFacility:
      return one({"F.E. Warren AFB", "US-HILL", std::string(128, 'f')},
                 {"", " x", "x ", "a\x01", std::string(129, 'f'), "\x7f"});
    case ValueType::kParty:
      return one({"US", "RU"}, {"UK", "us", ""});
    case ValueType::kCategory: {
      std::vector<std::string> ids;
      for (const auto& c : spec.categories) ids.push_back(c.id);
      return one(ids, {"nope", ""});
    }
    case ValueType::kStatus: {
      std::vector<std::string> ids;
      for (const auto& s : spec.statuses) ids.push_back(s.id);
      return one(ids, {"deployd", ""});
    }
    case ValueType::kEnum:
      return one(f.values.empty() ? std::vector<std::string>{"x"} : f.values,
                 {"zzz", ""});
    case ValueType::kItemList:
      return Value::OfList({});
    case ValueType::kTotals:
      return Value::OfMap({});
  }
  return Value::Int(0);
}

TEST(RecordViewTest, QuickValidateNeverAcceptsWhatValidateRefuses) {
  const treaty::Spec& spec = NewStart();
  ASSERT_FALSE(spec.notifications.empty());
  Rng rng(9);
  int accepted = 0, judged = 0;
  for (int i = 0; i < 30000; ++i) {
    const treaty::NotificationType& type =
        spec.notifications[Pick(rng, spec.notifications.size())];
    const bool all_valid = Pick(rng, 2) == 0;
    Notification n;
    n.treaty = all_valid || Pick(rng, 20) ? spec.id : "start-i";
    n.sender = all_valid || Pick(rng, 20) ? "US" : "UK";
    n.sequence = 1 + Pick(rng, 1000);
    n.type = all_valid || Pick(rng, 20) ? type.code : "NST-TELEPORT";
    n.event_time = *Instant::Parse("2015-06-01T12:00:00Z");
    n.sent_time = n.event_time.AddSeconds(3600);
    Value::Map body;
    bool list_or_totals = false;
    for (const treaty::Field& f : type.fields) {
      const bool bad = !all_valid && Pick(rng, 4) == 0;
      if (!f.required && Pick(rng, 2)) continue;
      if (bad && Pick(rng, 3) == 0) continue;  // missing
      body[f.name] = FieldValue(rng, spec, f, !bad);
      list_or_totals = list_or_totals ||
                       f.type == treaty::ValueType::kItemList ||
                       f.type == treaty::ValueType::kTotals;
    }
    if (!all_valid && Pick(rng, 10) == 0) body["colour"] = Value::Str("red");
    n.body = Value::OfMap(std::move(body));
    const std::string bytes = CanonicalBytes(n);
    Result<RecordView> v = ParseRecordView(bytes);
    ASSERT_TRUE(v.ok()) << v.status();
    const bool quick = QuickValidate(spec, *v);
    const Status full = Validate(spec, n);
    if (quick) {
      ++accepted;
      ASSERT_TRUE(full.ok())
          << type.code << ": " << full << " " << n.body.DebugString();
    }
    if (!list_or_totals) {
      ++judged;
      ASSERT_EQ(quick, full.ok())
          << type.code << ": " << full << " " << n.body.DebugString();
    }
  }
  EXPECT_GT(accepted, 5000);
  EXPECT_GT(judged, 20000);
}

}  // namespace
}  // namespace detente::notification
