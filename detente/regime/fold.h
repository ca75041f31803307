// The regime fold: the treaty database at any instant as a pure function of
// all parties' notifications (docs/regime.md).
//
// Input: every party's notifications as read from their logs (log_reader.h),
// in any order. They are merged in (event time, sender, sequence) order and
// applied one by one to a State: items and their statuses, facilities,
// warheads, the types declared, the full declarations (database exchanges)
// with their declared totals. An illegal step does not stop the fold and is
// not silently applied: it is recorded as an Irregularity naming the entry
// it rests on, for compliance to turn into a finding.
//
// Fold borrows the Spec (which must outlive it) and owns a sorted copy of
// the notifications. StateAt() is const and thread-safe.
#ifndef DETENTE_REGIME_FOLD_H_
#define DETENTE_REGIME_FOLD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/notification/notification.h"
#include "detente/registry/item.h"
#include "detente/treaty/spec.h"

namespace detente::regime {

// Where a notification lives: the sender's log and its index there.
struct EntryRef {
  std::string party;
  uint64_t index = 0;
  friend auto operator<=>(const EntryRef&, const EntryRef&) = default;
};

// A notification read from a log, with its signature already verified.
struct LoggedNotification {
  notification::Notification notification;
  EntryRef ref;
};

// Something that should not have happened; compliance makes it a finding.
// Persistent rule names (they appear in findings): do not rename.
struct Irregularity {
  std::string rule;   // e.g. "unknown-identifier", "sequence-gap"
  std::string party;  // the party responsible
  Instant time;       // the event time of the step
  std::string text;   // plain language
  std::vector<EntryRef> entries;
};

struct TypeInfo {
  std::string category;
  std::optional<int64_t> max_warheads;
};

// A full declaration of a party's database (initial exchange or six-month
// update) and what it declared.
struct Declaration {
  std::string party;
  std::string type;  // the notification type code
  Date as_of;
  Instant event_time;
  Instant sent_time;
  std::map<std::string, int64_t> declared_totals;  // limit id -> value
  std::map<std::string, int64_t> computed_totals;  // from its own items
  EntryRef ref;
};

struct State {
  Instant at;
  registry::ItemSet items;
  std::map<std::string, TypeInfo> types;  // type name -> info
  std::vector<Declaration> declarations;  // in fold order
  std::vector<Irregularity> irregularities;
  uint64_t applied = 0;  // notifications applied
};

class Fold {
 public:
  Fold(const treaty::Spec& spec, std::vector<LoggedNotification> notifications);

  // The state after every notification with event time <= `at`.
  Result<State> StateAt(Instant at) const;

  // Calls `visit(state, n)` after applying each notification, in fold
  // order, up to `until` (inclusive). For rules that look at the state as
  // it changes (limits). Stops early when visit returns false.
  Status Replay(
      Instant until,
      const std::function<bool(const State&, const LoggedNotification&)>& visit)
      const;

  const std::vector<LoggedNotification>& notifications() const {
    return sorted_;
  }

 private:
  void Apply(const LoggedNotification& n, State& s) const;

  const treaty::Spec& spec_;
  std::vector<LoggedNotification> sorted_;
};

// Converts an item record (notification::ValidateItemRecord's shape) into a
// registry item of `party`.
registry::Item ItemFromRecord(const notification::Value& record);

}  // namespace detente::regime

#endif  // DETENTE_REGIME_FOLD_H_
