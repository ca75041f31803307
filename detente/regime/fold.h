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
// A State carries a registry::Tally kept up to date with its items, so
// that the aggregates after each notification cost O(1) to read
// (State::Aggregate) instead of a recount of the whole database.
//
// Applier is the fold's step function; Fold (here) folds notifications held
// in memory, LogFold (log_fold.h) folds logs too large to hold, decoding
// each entry as it is applied. Both give the same states.
//
// Fold and Applier borrow the Spec (which must outlive them); Fold owns a
// sorted copy of the notifications. StateAt() is const and thread-safe.
#ifndef DETENTE_REGIME_FOLD_H_
#define DETENTE_REGIME_FOLD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/commission/commission.h"
#include "detente/inspection/inspections.h"
#include "detente/notification/notification.h"
#include "detente/notification/record_view.h"
#include "detente/registry/item.h"
#include "detente/registry/tally.h"
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
  // Every limit's aggregate over `items`, maintained by the fold (read
  // through Aggregate(); a default State's tally counts nothing).
  registry::Tally tally;
  std::map<std::string, TypeInfo> types;  // type name -> info
  std::vector<Declaration> declarations;  // in fold order
  std::vector<Irregularity> irregularities;
  uint64_t applied = 0;  // notifications applied
  // The commission, the dialogue and the inspections, folded from the same
  // notifications (docs/commission.md, docs/inspection.md).
  commission::State commission;
  inspection::State inspections;
  // (sender, sequence) -> log index of every commission and inspection
  // message applied but the channel's notes and demarches: where the
  // notifications the projections' records name live (sessions, issues,
  // outcomes, the dialogue, inspections). The channel keeps its messages'
  // (sender, sequence) in their Source; indexing each of them too cost a
  // map node per note, and nothing looks them up.
  std::map<std::pair<std::string, uint64_t>, uint64_t> message_index;

  // The aggregate of spec.limits[limit] for spec.parties[party], equal to
  // registry::Count over `items`; O(terms) unless the limit has a `first`
  // term that a change touched (then recounted once).
  Result<int64_t> Aggregate(size_t limit, size_t party) const {
    return tally.Value(limit, party, items);
  }
};

// What an inspection is checked against: the database as the fold has it
// at the step — a party's deployed ICBMs and SLBMs and their warheads.
// Borrows `items`, which must outlive it; const methods are thread-safe
// while `items` is not modified.
class ItemDeclarations : public inspection::Declarations {
 public:
  explicit ItemDeclarations(const registry::ItemSet& items) : items_(items) {}
  std::optional<int64_t> DeclaredWarheads(std::string_view party,
                                          std::string_view item) const override;
  std::vector<std::string> DeployedMissilesAt(
      std::string_view party, std::string_view facility) const override;

 private:
  const registry::ItemSet& items_;
};

// What a notification type does to the database (docs/regime.md), decided
// once per type code from its suffix.
enum class Effect : uint8_t {
  kNone,         // launches, telemetry and others: no change
  kDeclaration,  // -DB-INIT, -DB-UPDATE: replaces the sender's items
  kItemNew,
  kTypeNew,
  kStatusChange,
  kRvChange,
  kItemMove,
  kItemElim,
  kItemConv,
  kCommission,  // BCC, dialogue and channel messages (commission/messages.h)
  kInspection,  // inspection messages (inspection/messages.h)
};
Effect EffectOf(std::string_view type);

// The fold's step: applies one notification to a State. Classifies the
// spec's notification types once. Borrows the Spec; const methods are
// thread-safe.
class Applier {
 private:
  struct TypeEntry;  // below

 public:
  explicit Applier(const treaty::Spec& spec);

  // An empty state whose tally counts the spec's limits.
  State NewState() const;
  // Applies `n` (found at `ref`) to `s`; an illegal step becomes an
  // irregularity of `s`. Sets s.at to n's event time.
  void Apply(const notification::Notification& n, const EntryRef& ref,
             State& s) const;
  // The same for a record read in place (notification/record_view.h), the
  // fold's hot path: item steps, effect-free types and the notes and
  // demarches the channel takes (commission::ApplyChannelRecord) are
  // applied from the record's fields without decoding it; declarations,
  // every other effect and any channel message the commission refuses
  // decode it (RecordView::ToNotification) and take the path above. Both
  // give the same state.
  void Apply(const notification::RecordView& r, const EntryRef& ref,
             State& s) const;
  Effect EffectOfType(std::string_view type) const;

  // Prefetch hints for a loop that has the records it will apply next at
  // hand (LogFold::ReplayRecords, the benchmarks): an item step's lookup
  // otherwise waits on cache misses in a row (ItemSet::PrefetchSlot). No
  // effect on any state or on what Apply does. HintFor(r) names the item
  // applying r will look up; PrefetchIndex(hint, s) about kSlotAhead steps
  // before Apply(r), PrefetchItem(hint, s) about kItemAhead steps before.
  // A hint also carries the record's type as resolved in the catalogue,
  // so that Apply(r, ref, s, hint) need not look it up again: the lookup
  // then runs where HintFor does (LogFold: on the decoding thread).
  struct Hint {
    uint64_t item_hash = 0;  // ItemSet::HashId of the item, when `item`
    bool item = false;
    bool resolved = false;            // set by HintFor
    const TypeEntry* type = nullptr;  // when resolved: nullptr if unknown
    // A note or demarche that notification::QuickValidate accepts (checked
    // where HintFor ran, not again by Apply).
    bool channel_valid = false;
  };
  static constexpr size_t kSlotAhead = 16;
  static constexpr size_t kItemAhead = 8;
  // Pure (the record and the catalogue): may run on any thread.
  Hint HintFor(const notification::RecordView& r) const;
  // Apply(r, ref, s), with r's hint. REQUIRES: hint is HintFor(r) (or a
  // default Hint: then the type is looked up as Apply does).
  void Apply(const notification::RecordView& r, const EntryRef& ref, State& s,
             const Hint& hint) const;
  void PrefetchIndex(const Hint& h, const State& s) const {
    if (h.item) s.items.PrefetchSlot(h.item_hash);
  }
  void PrefetchItem(const Hint& h, const State& s) const {
    if (h.item) s.items.PrefetchItem(h.item_hash);
  }

 private:
  // Item steps: new items and types, status, warhead and facility changes,
  // eliminations and conversions, read from a Notification's body or a
  // record's body in place (one definition for both).
  static bool IsItemStep(Effect e);
  // The body fields an item step reads: "" for a text field that is absent
  // or not a string, nullopt for an integer that is absent or not one.
  struct StepFields {
    std::string_view item, category, type, status, facility;
    std::string_view from_status, to_status, from_facility, to_facility;
    std::optional<int64_t> warheads, max_warheads, from_warheads, to_warheads;
  };
  // Read in one walk of a body read in place, or by lookup in a decoded
  // one (the fields `effect` reads).
  static StepFields FieldsOf(Effect effect, const notification::Value& body);
  static StepFields FieldsOf(Effect effect, const notification::MapView& body);
  template <typename Record>
  void ApplyItemStep(Effect effect, const Record& n, const StepFields& body,
                     const EntryRef& ref, State& s) const;

  // A catalogue type, resolved once: what it does, its catalogue entry
  // and, for the channel's notes and demarches, their kind.
  struct TypeEntry {
    Effect effect = Effect::kNone;
    const treaty::NotificationType* type = nullptr;
    commission::MessageKind channel = commission::MessageKind::kNone;
  };
  // nullptr for a type outside the catalogue.
  const TypeEntry* FindType(std::string_view code) const;

  const treaty::Spec& spec_;
  // The catalogue by code (borrowed from the spec): open addressing with
  // linear probing, a power-of-two number of slots at most a quarter full,
  // hashed from the code's size and its first and last eight bytes, which
  // is all it takes to tell a catalogue's codes apart (and a collision
  // only costs a probe).
  struct TypeSlot {
    bool used = false;
    std::string_view code;
    TypeEntry entry;
  };
  static uint64_t CodeHash(std::string_view code);
  std::vector<TypeSlot> types_;
};

class Fold {
 public:
  Fold(const treaty::Spec& spec, std::vector<LoggedNotification> notifications);

  // The state after every notification with event time <= `at`.
  Result<State> StateAt(Instant at) const;

  // Calls `visit(state, n)` after applying each notification, in fold
  // order, up to `until` (inclusive). For rules that look at the state as
  // it changes (limits). Stops early when visit returns false. `s.at` is
  // the event time of the notification just applied.
  Status Replay(
      Instant until,
      const std::function<bool(const State&, const LoggedNotification&)>& visit)
      const;

  const std::vector<LoggedNotification>& notifications() const {
    return sorted_;
  }

 private:
  Applier applier_;
  std::vector<LoggedNotification> sorted_;
};

// Converts an item record (notification::ValidateItemRecord's shape) into a
// registry item of `party`.
registry::Item ItemFromRecord(const notification::Value& record);

}  // namespace detente::regime

#endif  // DETENTE_REGIME_FOLD_H_
