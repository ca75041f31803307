// Value: the canonical data model of every signed record — integers and
// strings only, nested in lists and maps with string keys. There are no
// floats, no booleans, no nulls: a record means exactly one thing, and has
// exactly one encoding.
//
// The encoding (docs/record-format.md):
//   value   = 0x01 int64 (8 bytes, big-endian two's complement)
//           | 0x02 u32 length (big-endian) || UTF-8 bytes
//           | 0x03 u32 count || value*
//           | 0x04 u32 count || (u32 key length || key bytes || value)*
// with map keys unique and in strictly increasing bytewise order, strings
// valid UTF-8, and nesting at most kMaxDepth deep. Decode() refuses anything
// else (trailing bytes, unsorted or duplicate keys, short buffers), so
// Encode(Decode(b)) == b for every accepted b.
//
// A Value owns its data; it is a regular value type (copyable, comparable).
// Thread-safety: as for std::string.
#ifndef DETENTE_NOTIFICATION_VALUE_H_
#define DETENTE_NOTIFICATION_VALUE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "detente/base/result.h"

namespace detente::notification {

inline constexpr int kMaxDepth = 16;
// Largest encoded record accepted by Decode (a whole database exchange fits).
inline constexpr size_t kMaxRecordBytes = size_t{1} << 20;

class Value {
 public:
  // Persistent (the tag byte of the encoding): do not change existing values.
  enum class Kind : uint8_t {
    kInteger = 0x01,
    kString = 0x02,
    kList = 0x03,
    kMap = 0x04,
  };
  using List = std::vector<Value>;
  using Map = std::map<std::string, Value, std::less<>>;

  Value() : v_(int64_t{0}) {}
  static Value Int(int64_t v) { return Value(Rep(v)); }
  static Value Str(std::string v) { return Value(Rep(std::move(v))); }
  static Value OfList(List v) { return Value(Rep(std::move(v))); }
  static Value OfMap(Map v) { return Value(Rep(std::move(v))); }

  Kind kind() const;
  bool is_int() const { return kind() == Kind::kInteger; }
  bool is_str() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }

  // REQUIRES: the matching kind.
  int64_t integer() const { return std::get<int64_t>(v_); }
  const std::string& str() const { return std::get<std::string>(v_); }
  const List& list() const { return std::get<List>(v_); }
  const Map& map() const { return std::get<Map>(v_); }
  List& mutable_list() { return std::get<List>(v_); }
  Map& mutable_map() { return std::get<Map>(v_); }

  // Map lookup; nullptr when absent or when this is not a map.
  const Value* Find(std::string_view key) const;

  // A short human-readable rendering for messages and --json, e.g.
  // {"a": 1, "b": ["x"]}; not the canonical form.
  std::string DebugString() const;

  friend bool operator==(const Value& a, const Value& b) {
    return a.v_ == b.v_;
  }

 private:
  using Rep = std::variant<int64_t, std::string, List, Map>;
  explicit Value(Rep r) : v_(std::move(r)) {}
  Rep v_;
};

// The canonical bytes of a value.
std::string Encode(const Value& value);
// Encode(value).size(), without encoding.
size_t EncodedSize(const Value& value);
// Strict decoding; errors say what is wrong and at which byte offset.
Result<Value> Decode(std::string_view bytes);
// As Decode, for a value that starts `report_offset` bytes into a larger
// record: error offsets are counted from the start of that record.
Result<Value> Decode(std::string_view bytes, size_t report_offset);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF): the rule Decode applies to strings and keys.
bool IsValidUtf8(std::string_view s);

}  // namespace detente::notification

#endif  // DETENTE_NOTIFICATION_VALUE_H_
