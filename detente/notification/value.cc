#include "detente/notification/value.h"

#include <array>
#include <cstring>
#include <limits>
#include <utility>

#include "fmt/format.h"

namespace detente::notification {
namespace {

// The smallest encodings of a value and of a map entry: an empty string or
// container is a tag and a u32; an entry adds a u32 key length. A count
// larger than the bytes left could hold is refused before anything is
// allocated for it.
constexpr size_t kMinValueBytes = 1 + 4;
constexpr size_t kMinEntryBytes = 4 + kMinValueBytes;

void PutU32(std::string& out, uint32_t v) {
  const std::array<char, 4> b = {
      static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xff),
      static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)};
  out.append(b.data(), b.size());
}

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// A length or count as a u32. Values this large are far beyond
// kMaxRecordBytes, so Decode refuses the record anyway; the cast keeps
// Encode total.
uint32_t Len32(size_t n) { return static_cast<uint32_t>(n); }

void EncodeTo(const Value& v, std::string& out) {
  out.push_back(static_cast<char>(v.kind()));
  switch (v.kind()) {
    case Value::Kind::kInteger:
      PutU64(out, static_cast<uint64_t>(v.integer()));
      break;
    case Value::Kind::kString:
      PutU32(out, Len32(v.str().size()));
      out += v.str();
      break;
    case Value::Kind::kList:
      PutU32(out, Len32(v.list().size()));
      for (const Value& e : v.list()) EncodeTo(e, out);
      break;
    case Value::Kind::kMap:
      PutU32(out, Len32(v.map().size()));
      for (const auto& [key, e] : v.map()) {
        PutU32(out, Len32(key.size()));
        out += key;
        EncodeTo(e, out);
      }
      break;
  }
}

// The length of the well-formed UTF-8 sequence at s[i], or 0 (stray
// continuation byte, truncated sequence, overlong form, surrogate, or a
// code point above U+10FFFF).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;  // overlong
    if (b0 == 0xed) hi = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;  // overlong
    if (b0 == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  return n;
}

class Decoder {
 public:
  Decoder(std::string_view bytes, size_t report_offset)
      : in_(bytes), base_(report_offset) {}

  Result<Value> DecodeAll() {
    if (in_.size() > kMaxRecordBytes) {
      return Error(kMaxRecordBytes,
                   fmt::format("record is {} bytes, more than the {} allowed",
                               in_.size(), kMaxRecordBytes));
    }
    DETENTE_ASSIGN_OR_RETURN(Value v, DecodeValue(0));
    if (pos_ != in_.size()) {
      return Error(pos_, fmt::format("{} trailing bytes after the value",
                                     in_.size() - pos_));
    }
    return v;
  }

 private:
  Status Error(size_t at, std::string_view what) const {
    return Status::InvalidArgument(
        fmt::format("record at byte {}: {}", base_ + at, what));
  }

  size_t Left() const { return in_.size() - pos_; }

  Result<uint32_t> ReadU32(std::string_view what) {
    if (Left() < 4) {
      return Error(pos_,
                   fmt::format("{} needs 4 bytes, {} left", what, Left()));
    }
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      v = (v << 8) | static_cast<uint8_t>(in_[pos_ + i]);
    }
    pos_ += 4;
    return v;
  }

  // A u32 length followed by that many bytes of valid UTF-8.
  Result<std::string> ReadString(std::string_view what) {
    const size_t start = pos_;
    // The message is formatted only on failure: this runs for every string.
    if (Left() < 4) {
      return Error(pos_, fmt::format("the length of {} needs 4 bytes, {} left",
                                     what, Left()));
    }
    DETENTE_ASSIGN_OR_RETURN(uint32_t len, ReadU32(what));
    if (len > Left()) {
      return Error(start, fmt::format("{} of {} bytes runs past the end ({} "
                                      "bytes left)",
                                      what, len, Left()));
    }
    std::string_view s = in_.substr(pos_, len);
    for (size_t i = 0; i < s.size();) {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        return Error(pos_ + i,
                     fmt::format("{} is not valid UTF-8 (byte 0x{:02x})", what,
                                 static_cast<uint8_t>(s[i])));
      }
      i += n;
    }
    pos_ += len;
    return std::string(s);
  }

  // `depth` is the number of containers enclosing this value.
  Result<Value> DecodeValue(int depth) {
    if (Left() == 0) return Error(pos_, "expected a value, found the end");
    const size_t start = pos_;
    const auto tag = static_cast<uint8_t>(in_[pos_++]);
    switch (tag) {
      case static_cast<uint8_t>(Value::Kind::kInteger): {
        if (Left() < 8) {
          return Error(start,
                       fmt::format("integer needs 8 bytes, {} left", Left()));
        }
        uint64_t u = 0;
        for (size_t i = 0; i < 8; ++i) {
          u = (u << 8) | static_cast<uint8_t>(in_[pos_ + i]);
        }
        pos_ += 8;
        return Value::Int(static_cast<int64_t>(u));
      }
      case static_cast<uint8_t>(Value::Kind::kString): {
        DETENTE_ASSIGN_OR_RETURN(std::string s, ReadString("string"));
        return Value::Str(std::move(s));
      }
      case static_cast<uint8_t>(Value::Kind::kList): {
        if (depth >= kMaxDepth) return TooDeep(start);
        DETENTE_ASSIGN_OR_RETURN(uint32_t count, ReadU32("list count"));
        if (count > Left() / kMinValueBytes) {
          return Error(start, fmt::format("list of {} values cannot fit in the "
                                          "{} bytes left",
                                          count, Left()));
        }
        Value::List list;
        list.reserve(count);
        for (uint32_t i = 0; i < count; ++i) {
          DETENTE_ASSIGN_OR_RETURN(Value e, DecodeValue(depth + 1));
          list.push_back(std::move(e));
        }
        return Value::OfList(std::move(list));
      }
      case static_cast<uint8_t>(Value::Kind::kMap): {
        if (depth >= kMaxDepth) return TooDeep(start);
        DETENTE_ASSIGN_OR_RETURN(uint32_t count, ReadU32("map count"));
        if (count > Left() / kMinEntryBytes) {
          return Error(start, fmt::format("map of {} entries cannot fit in the "
                                          "{} bytes left",
                                          count, Left()));
        }
        Value::Map map;
        const std::string* previous = nullptr;
        for (uint32_t i = 0; i < count; ++i) {
          const size_t key_at = pos_;
          DETENTE_ASSIGN_OR_RETURN(std::string key, ReadString("map key"));
          if (previous != nullptr && !(*previous < key)) {
            return Error(key_at,
                         *previous == key
                             ? fmt::format("duplicate map key '{}'", key)
                             : fmt::format("map key '{}' after '{}': keys must "
                                           "be in increasing bytewise order",
                                           key, *previous));
          }
          DETENTE_ASSIGN_OR_RETURN(Value e, DecodeValue(depth + 1));
          auto it = map.emplace_hint(map.end(), std::move(key), std::move(e));
          previous = &it->first;
        }
        return Value::OfMap(std::move(map));
      }
      default:
        return Error(start,
                     fmt::format("unknown tag 0x{:02x} (expected 0x01 integer, "
                                 "0x02 string, 0x03 list or 0x04 map)",
                                 tag));
    }
  }

  Status TooDeep(size_t at) const {
    return Error(
        at, fmt::format("lists and maps nested more than {} deep", kMaxDepth));
  }

  std::string_view in_;
  size_t base_;
  size_t pos_ = 0;
};

void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<uint8_t>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<uint8_t>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void DebugTo(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kInteger:
      out += std::to_string(v.integer());
      break;
    case Value::Kind::kString:
      AppendJsonString(v.str(), out);
      break;
    case Value::Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.list()) {
        if (!first) out += ", ";
        first = false;
        DebugTo(e, out);
      }
      out.push_back(']');
      break;
    }
    case Value::Kind::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, e] : v.map()) {
        if (!first) out += ", ";
        first = false;
        AppendJsonString(key, out);
        out += ": ";
        DebugTo(e, out);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

Value::Kind Value::kind() const {
  switch (v_.index()) {
    case 0:
      return Kind::kInteger;
    case 1:
      return Kind::kString;
    case 2:
      return Kind::kList;
    default:
      return Kind::kMap;
  }
}

const Value* Value::Find(std::string_view key) const {
  if (!is_map()) return nullptr;
  auto it = map().find(key);
  return it == map().end() ? nullptr : &it->second;
}

std::string Value::DebugString() const {
  std::string out;
  DebugTo(*this, out);
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string Encode(const Value& value) {
  std::string out;
  EncodeTo(value, out);
  return out;
}

size_t EncodedSize(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kInteger:
      return 1 + 8;
    case Value::Kind::kString:
      return 1 + 4 + value.str().size();
    case Value::Kind::kList: {
      size_t n = 1 + 4;
      for (const Value& e : value.list()) n += EncodedSize(e);
      return n;
    }
    case Value::Kind::kMap: {
      size_t n = 1 + 4;
      for (const auto& [key, e] : value.map()) {
        n += 4 + key.size() + EncodedSize(e);
      }
      return n;
    }
  }
  return 0;
}

Result<Value> Decode(std::string_view bytes) { return Decode(bytes, 0); }

Result<Value> Decode(std::string_view bytes, size_t report_offset) {
  return Decoder(bytes, report_offset).DecodeAll();
}

}  // namespace detente::notification
