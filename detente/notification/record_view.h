// RecordView: a DTN1 notification record (docs/record-format.md §2) read in
// place — the envelope's fields and the body's fields as views into the
// record's bytes, with nothing allocated. It is the fold's hot path: a
// status change or a move is applied from a handful of body fields, and
// building a tree of maps and strings for each of ten million records is
// what made the fold slow (bench/README.md).
//
// ParseRecordView accepts exactly the records ParseCanonical accepts: it
// checks the whole record's canonical encoding (tags, lengths, counts,
// UTF-8, key order, depth, size, no trailing bytes) and the envelope (the
// seven keys, their kinds, the times' one spelling, sequence >= 1, a body
// map) without decoding into Values. On the rare record it refuses, it
// runs ParseCanonical to produce the error, so the message is the one
// ParseCanonical gives (record_view_test.cc checks both claims over many
// generated and mutated records).
//
// A RecordView, MapView or FieldView borrows the record's bytes, which must
// outlive it and not change. They are small values; const methods are
// thread-safe.
#ifndef DETENTE_NOTIFICATION_RECORD_VIEW_H_
#define DETENTE_NOTIFICATION_RECORD_VIEW_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/notification/notification.h"
#include "detente/notification/value.h"
#include "detente/treaty/spec.h"

namespace detente::notification {

// One value inside a checked record.
struct FieldView {
  Value::Kind kind = Value::Kind::kInteger;
  int64_t integer = 0;       // kInteger
  std::string_view str;      // kString: the string's bytes
  uint32_t count = 0;        // kList, kMap: elements or entries
  std::string_view encoded;  // the value's canonical bytes, tag included

  bool is_int() const { return kind == Value::Kind::kInteger; }
  bool is_str() const { return kind == Value::Kind::kString; }
  bool is_list() const { return kind == Value::Kind::kList; }
  bool is_map() const { return kind == Value::Kind::kMap; }
};

// A map inside a checked record (the body, an item map).
class MapView {
 public:
  MapView() = default;
  // REQUIRES: `encoded` is the canonical encoding of a map, tag included
  // (as ParseRecordView checks for the body).
  explicit MapView(std::string_view encoded);

  size_t size() const { return count_; }
  // The value under `key`, or nullopt. Walks the entries: O(entries).
  std::optional<FieldView> Find(std::string_view key) const;
  // Calls visit(key, value) for each entry in key order; stops early when
  // visit returns false.
  template <typename F>
  void ForEach(F visit) const {
    size_t pos = 5;
    for (uint32_t i = 0; i < count_; ++i) {
      const std::string_view key = ReadKey(pos);
      const FieldView v = ReadField(pos);
      if (!visit(key, v)) return;
    }
  }
  std::string_view encoded() const { return encoded_; }
  // The map decoded into a Value (allocates).
  Value ToValue() const;

 private:
  std::string_view ReadKey(size_t& pos) const;
  FieldView ReadField(size_t& pos) const;

  std::string_view encoded_ = std::string_view("\x04\0\0\0\0", 5);
  uint32_t count_ = 0;
};

// The string under `key` of a map, or "" when absent or not a string; the
// integer, or nullopt. The fold's field readers.
std::string_view StrField(const MapView& map, std::string_view key);
std::optional<int64_t> IntField(const MapView& map, std::string_view key);

struct RecordView {
  std::string_view treaty;
  std::string_view sender;
  uint64_t sequence = 0;
  std::string_view type;
  Instant event_time;
  Instant sent_time;
  MapView body;
  std::string_view record;  // the whole record, "DTN1" included

  // The notification, as ParseCanonical(record) gives it (allocates).
  Notification ToNotification() const;
};

// As ParseCanonical, without decoding: see above.
Result<RecordView> ParseRecordView(std::string_view record);
// The record of a log entry (record || 64-byte signature), as ParseEntry
// splits it, read in place; errors as ParseEntry's.
Result<RecordView> ParseEntryView(std::string_view entry);

// Validate(spec, record.ToNotification()) without building it, for the
// records it can judge: true only when Validate would accept the record.
// False when Validate would refuse it, and also for a body with an
// item_list or totals field (the declarations, which are rare): the caller
// then runs Validate, which gives the verdict and the message. Agreement
// with Validate is tested in record_view_test.cc.
bool QuickValidate(const treaty::Spec& spec, const RecordView& record);
// The same for a caller that has already found the record's catalogue
// entry: REQUIRES `type` == spec.FindNotification(record.type).
bool QuickValidate(const treaty::Spec& spec,
                   const treaty::NotificationType* type,
                   const RecordView& record);

// The instant `text` denotes when it is written exactly as
// Instant::ToString() writes it ("YYYY-MM-DDTHH:MM:SSZ", years 0001 to
// 9999), else nullopt: the record's one spelling of a time, without the
// round trip through a string.
std::optional<Instant> ParseCanonicalInstantText(std::string_view text);

}  // namespace detente::notification

#endif  // DETENTE_NOTIFICATION_RECORD_VIEW_H_
