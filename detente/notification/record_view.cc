#include "detente/notification/record_view.h"

#include <array>
#include <cstring>

#include "detente/base/bytes.h"
#include "detente/crypto/ed25519.h"
#include "fmt/format.h"

namespace detente::notification {
namespace {

// The envelope keys, in their canonical (bytewise) order: a checked map
// whose keys are exactly these has no unknown and no missing key.
constexpr std::array<std::string_view, 7> kEnvelopeKeys = {
    "body", "event_time", "sender", "sent_time", "sequence", "treaty", "type"};

// As in value.cc: the smallest encodings of a value and of a map entry.
constexpr size_t kMinValueBytes = 1 + 4;
constexpr size_t kMinEntryBytes = 4 + kMinValueBytes;

uint32_t U32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 |
         uint32_t{b[3]};
}

int64_t I64(const char* p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = u << 8 | static_cast<uint8_t>(p[i]);
  return static_cast<int64_t>(u);
}

// a < b bytewise (as std::string's operator<), inline: map keys are short
// and nearly always differ in their first bytes, where a call to memcmp
// costs more than the comparison.
bool KeyLess(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<uint8_t>(a[i]);
    const auto y = static_cast<uint8_t>(b[i]);
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

bool Utf8(std::string_view s) {
  // Records are nearly all ASCII: OR the bytes together eight at a time
  // (the last eight overlapping the others) and look at the top bits; only
  // a string with a byte >= 0x80 is checked byte by byte.
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t any = 0;
  if (n >= 8) {
    uint64_t w;
    for (size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      any |= w;
    }
    std::memcpy(&w, p + n - 8, 8);
    any |= w;
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    any = a | b;
  } else {
    for (size_t i = 0; i < n; ++i) any |= static_cast<uint8_t>(p[i]);
  }
  return (any & 0x8080808080808080ull) == 0 || IsValidUtf8(s);
}

// Decode's grammar (value.cc) as a yes/no check that allocates nothing:
// accepts exactly the byte strings Decode accepts.
class Checker {
 public:
  explicit Checker(std::string_view in) : in_(in) {}

  bool All() {
    if (in_.size() > kMaxRecordBytes) return false;
    return CheckValue(0) && pos_ == in_.size();
  }

  // After All(), when the value is a map: its first (up to) kTop entries,
  // each key and where its value's encoding begins and ends, as the walk
  // found them, so that the envelope is not walked again.
  static constexpr size_t kTop = kEnvelopeKeys.size();
  struct Entry {
    std::string_view key;
    size_t begin = 0;
    size_t end = 0;
  };
  const std::array<Entry, kTop>& top() const { return top_; }

 private:
  size_t Left() const { return in_.size() - pos_; }

  bool ReadU32(uint32_t* v) {
    if (Left() < 4) return false;
    *v = U32(in_.data() + pos_);
    pos_ += 4;
    return true;
  }

  bool ReadString(std::string_view* s) {
    uint32_t len = 0;
    if (!ReadU32(&len) || len > Left()) return false;
    *s = in_.substr(pos_, len);
    pos_ += len;
    return Utf8(*s);
  }

  bool CheckValue(int depth) {
    if (Left() == 0) return false;
    const auto tag = static_cast<uint8_t>(in_[pos_++]);
    switch (tag) {
      case static_cast<uint8_t>(Value::Kind::kInteger):
        if (Left() < 8) return false;
        pos_ += 8;
        return true;
      case static_cast<uint8_t>(Value::Kind::kString): {
        std::string_view s;
        return ReadString(&s);
      }
      case static_cast<uint8_t>(Value::Kind::kList): {
        uint32_t count = 0;
        if (depth >= kMaxDepth || !ReadU32(&count) ||
            count > Left() / kMinValueBytes) {
          return false;
        }
        for (uint32_t i = 0; i < count; ++i) {
          if (!CheckValue(depth + 1)) return false;
        }
        return true;
      }
      case static_cast<uint8_t>(Value::Kind::kMap): {
        uint32_t count = 0;
        if (depth >= kMaxDepth || !ReadU32(&count) ||
            count > Left() / kMinEntryBytes) {
          return false;
        }
        std::string_view previous;
        for (uint32_t i = 0; i < count; ++i) {
          std::string_view key;
          if (!ReadString(&key)) return false;
          // Bytewise (char_traits<char> compares as unsigned char), as
          // std::string's operator< in Decode.
          if (i > 0 && !KeyLess(previous, key)) return false;
          previous = key;
          if (depth == 0 && i < kTop) {
            top_[i].key = key;
            top_[i].begin = pos_;
          }
          if (!CheckValue(depth + 1)) return false;
          if (depth == 0 && i < kTop) top_[i].end = pos_;
        }
        return true;
      }
      default:
        return false;
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::array<Entry, kTop> top_;
};

// The end of the checked value starting at `pos`.
size_t SkipValue(std::string_view in, size_t pos) {
  const auto tag = static_cast<uint8_t>(in[pos]);
  switch (tag) {
    case static_cast<uint8_t>(Value::Kind::kInteger):
      return pos + 9;
    case static_cast<uint8_t>(Value::Kind::kString):
      return pos + 5 + U32(in.data() + pos + 1);
    case static_cast<uint8_t>(Value::Kind::kList): {
      const uint32_t count = U32(in.data() + pos + 1);
      pos += 5;
      for (uint32_t i = 0; i < count; ++i) pos = SkipValue(in, pos);
      return pos;
    }
    default: {  // map
      const uint32_t count = U32(in.data() + pos + 1);
      pos += 5;
      for (uint32_t i = 0; i < count; ++i) {
        pos += 4 + U32(in.data() + pos);
        pos = SkipValue(in, pos);
      }
      return pos;
    }
  }
}

FieldView FieldAt(std::string_view in, size_t& pos) {
  FieldView f;
  const size_t start = pos;
  f.kind = static_cast<Value::Kind>(static_cast<uint8_t>(in[pos]));
  switch (f.kind) {
    case Value::Kind::kInteger:
      f.integer = I64(in.data() + pos + 1);
      pos += 9;
      break;
    case Value::Kind::kString:
      f.str = in.substr(pos + 5, U32(in.data() + pos + 1));
      pos += 5 + f.str.size();
      break;
    case Value::Kind::kList:
    case Value::Kind::kMap:
      f.count = U32(in.data() + pos + 1);
      pos = SkipValue(in, pos);
      break;
  }
  f.encoded = in.substr(start, pos - start);
  return f;
}

int Digits(std::string_view s, size_t pos, size_t width, bool* ok) {
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') *ok = false;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The last day read, by its ten characters ("YYYY-MM-DD"): consecutive
// records nearly always fall on the same day or two, so that a time is
// read without checking its date again.
struct DayMemo {
  uint64_t head = 0;  // bytes 0..7
  uint16_t tail = 0;  // bytes 8..9
  Instant start;
};

std::optional<Instant> ParseInstant(std::string_view text, DayMemo& memo) {
  // (The caller has checked the size.)
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  bool ok = true;
  const int hh = Digits(text, 11, 2, &ok);
  const int mm = Digits(text, 14, 2, &ok);
  const int ss = Digits(text, 17, 2, &ok);
  if (!ok || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  uint64_t head;
  uint16_t tail;
  std::memcpy(&head, text.data(), 8);
  std::memcpy(&tail, text.data() + 8, 2);
  // A memo that was never set holds no '-' at byte 4: it never matches.
  if (head != memo.head || tail != memo.tail) {
    const int y = Digits(text, 0, 4, &ok);
    const int mo = Digits(text, 5, 2, &ok);
    const int d = Digits(text, 8, 2, &ok);
    if (!ok) return std::nullopt;
    Result<Date> date = Date::FromYmd(y, mo, d);
    if (!date.ok()) return std::nullopt;
    memo.head = head;
    memo.tail = tail;
    memo.start = Instant::StartOf(*date);
  }
  return memo.start.AddSeconds(hh * 3600 + mm * 60 + ss);
}

// Memos per envelope time and one for every other caller, per thread:
// four days each, by the last two bits of the day's last digit, since a
// sent time runs up to days after its event time and records are not
// sent in event-time order.
struct DayMemos {
  DayMemo day[4];
  DayMemo& For(std::string_view text) {
    return day[static_cast<uint8_t>(text[9]) & 3];
  }
};
thread_local DayMemos event_memo, sent_memo, other_memo;

std::optional<Instant> ParseTime(std::string_view text, DayMemos& memos) {
  if (text.size() != 20) return std::nullopt;
  return ParseInstant(text, memos.For(text));
}

// The checked value encoded in in[begin, end), as FieldAt reads it, without
// walking it to find its end.
FieldView FieldBetween(std::string_view in, size_t begin, size_t end) {
  FieldView f;
  f.kind = static_cast<Value::Kind>(static_cast<uint8_t>(in[begin]));
  switch (f.kind) {
    case Value::Kind::kInteger:
      f.integer = I64(in.data() + begin + 1);
      break;
    case Value::Kind::kString:
      f.str = in.substr(begin + 5, end - begin - 5);
      break;
    case Value::Kind::kList:
    case Value::Kind::kMap:
      f.count = U32(in.data() + begin + 1);
      break;
  }
  f.encoded = in.substr(begin, end - begin);
  return f;
}

// The record's fields, or nullopt when ParseCanonical would refuse it.
std::optional<RecordView> FastParse(std::string_view record) {
  if (record.size() < kRecordMagic.size() ||
      std::memcmp(record.data(), kRecordMagic.data(), kRecordMagic.size()) !=
          0) {
    return std::nullopt;
  }
  const std::string_view env = record.substr(kRecordMagic.size());
  Checker checker(env);
  if (!checker.All()) return std::nullopt;
  if (static_cast<uint8_t>(env[0]) != static_cast<uint8_t>(Value::Kind::kMap) ||
      U32(env.data() + 1) != kEnvelopeKeys.size()) {
    return std::nullopt;
  }
  RecordView v;
  v.record = record;
  // The envelope's entries as the check walked them: keys compared, values
  // read where it found them (no second walk of the body).
  std::array<FieldView, kEnvelopeKeys.size()> f;
  for (size_t i = 0; i < kEnvelopeKeys.size(); ++i) {
    const Checker::Entry& e = checker.top()[i];
    if (!SameBytes(e.key, kEnvelopeKeys[i])) return std::nullopt;
    f[i] = FieldBetween(env, e.begin, e.end);
  }
  const FieldView& body = f[0];
  const FieldView& event_time = f[1];
  const FieldView& sender = f[2];
  const FieldView& sent_time = f[3];
  const FieldView& sequence = f[4];
  const FieldView& treaty = f[5];
  const FieldView& type = f[6];
  if (!treaty.is_str() || !sender.is_str() || !type.is_str() ||
      !event_time.is_str() || !sent_time.is_str() || !sequence.is_int() ||
      sequence.integer < 1 || !body.is_map()) {
    return std::nullopt;
  }
  std::optional<Instant> event = ParseTime(event_time.str, event_memo);
  std::optional<Instant> sent = ParseTime(sent_time.str, sent_memo);
  if (!event || !sent) return std::nullopt;
  v.treaty = treaty.str;
  v.sender = sender.str;
  v.type = type.str;
  v.event_time = *event;
  v.sent_time = *sent;
  v.sequence = static_cast<uint64_t>(sequence.integer);
  v.body = MapView(body.encoded);
  return v;
}

}  // namespace

MapView::MapView(std::string_view encoded)
    : encoded_(encoded), count_(U32(encoded.data() + 1)) {}

std::string_view MapView::ReadKey(size_t& pos) const {
  const uint32_t len = U32(encoded_.data() + pos);
  const std::string_view key = encoded_.substr(pos + 4, len);
  pos += 4 + len;
  return key;
}

FieldView MapView::ReadField(size_t& pos) const {
  return FieldAt(encoded_, pos);
}

std::optional<FieldView> MapView::Find(std::string_view key) const {
  size_t pos = 5;
  for (uint32_t i = 0; i < count_; ++i) {
    const std::string_view k = ReadKey(pos);
    if (k == key) return ReadField(pos);
    // Keys are in increasing order: past `key`, it is absent.
    if (key < k) return std::nullopt;
    pos = SkipValue(encoded_, pos);
  }
  return std::nullopt;
}

Value MapView::ToValue() const {
  // Checked when the record was parsed: Decode cannot fail.
  return Decode(encoded_).value();
}

std::string_view StrField(const MapView& map, std::string_view key) {
  std::optional<FieldView> v = map.Find(key);
  return v && v->is_str() ? v->str : std::string_view();
}

std::optional<int64_t> IntField(const MapView& map, std::string_view key) {
  std::optional<FieldView> v = map.Find(key);
  if (!v || !v->is_int()) return std::nullopt;
  return v->integer;
}

Notification RecordView::ToNotification() const {
  Notification n;
  n.treaty = std::string(treaty);
  n.sender = std::string(sender);
  n.sequence = sequence;
  n.type = std::string(type);
  n.event_time = event_time;
  n.sent_time = sent_time;
  n.body = body.ToValue();
  return n;
}

std::optional<Instant> ParseCanonicalInstantText(std::string_view text) {
  return ParseTime(text, other_memo);
}

Result<RecordView> ParseRecordView(std::string_view record) {
  if (std::optional<RecordView> v = FastParse(record)) return *v;
  Result<Notification> n = ParseCanonical(record);
  if (n.ok()) {
    return Status::Internal(
        "notification record: ParseCanonical accepts a record that "
        "ParseRecordView refuses");
  }
  return n.status();
}

Result<RecordView> ParseEntryView(std::string_view entry) {
  constexpr size_t kSig = crypto::kEd25519SignatureSize;
  if (entry.size() >= kRecordMagic.size() + kSig &&
      entry.size() <= kMaxEntryBytes) {
    if (std::optional<RecordView> v =
            FastParse(entry.substr(0, entry.size() - kSig))) {
      return *v;
    }
  }
  Result<SignedNotification> s = ParseEntry(entry);
  if (s.ok()) {
    return Status::Internal(
        "notification entry: ParseEntry accepts an entry that ParseEntryView "
        "refuses");
  }
  return s.status();
}

}  // namespace detente::notification
