// Internal to detente/scenario: one party's synthetic force as items, and
// the planner that moves it from one exchange's composition to the next by
// individual notifications.
//
// Composition: per TypeMix, how many accountable launchers (bombers), how
// many of them deployed, and how many warheads on the deployed missiles.
// SolveComposition() chooses one whose counts equal three target figures
// (deployed delivery vehicles, deployed warheads, deployed and non-deployed
// launchers) while following the profile's type mix and changing as little
// as the figures allow.
//
// PartyForce holds the items exactly as the regime fold (docs/regime.md)
// sees them: it changes them only by applying the notifications it emits,
// checking each the way the fold does, so that what it emits is a history
// the fold can replay without a finding. Within each interval, changes that
// lower a figure and changes that raise one are interleaved so that no
// figure leaves [min, max] of its values at the two ends (no transient
// breach of a limit both ends respect).
//
// Not thread-safe; one PartyForce per party.
#ifndef DETENTE_SCENARIO_FORCE_MODEL_H_
#define DETENTE_SCENARIO_FORCE_MODEL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/notification/value.h"
#include "detente/registry/item.h"
#include "detente/scenario/rng.h"
#include "detente/scenario/synth.h"
#include "detente/treaty/spec.h"

namespace detente::scenario::internal {

// The three Article II figures of one party.
struct Figures {
  int64_t delivery_vehicles = 0;
  int64_t warheads = 0;
  int64_t launchers = 0;
  friend bool operator==(const Figures&, const Figures&) = default;
};

// Per TypeMix index.
struct Composition {
  std::vector<int64_t> launchers;  // accountable launchers (bombers)
  std::vector<int64_t> deployed;   // deployed missiles (= loaded launchers)
  std::vector<int64_t> warheads;   // on the deployed missiles; 0 for bombers
};

// The figures a composition counts to.
Figures FiguresOf(const PartyProfile& profile, const Composition& c);

// Piecewise-linear value of `knots` on `at`, in thousandths.
int64_t InterpolateMilli(const std::vector<Knot>& knots, Date at);

// The force the force has now, as of a date.
struct Previous {
  Date at;
  Composition composition;
};

// A composition whose counts are `target`. Launchers follow the type mix:
// each type's knots, with any difference between their sum and the target
// shared among the types whose knots changed since `previous` (so that a
// type the mix holds steady stays where it is), or in proportion when none
// did. `previous` is null for the initial database; otherwise launchers
// change only as production and reduction allow. FailedPrecondition names
// the figure the profile cannot reach.
Result<Composition> SolveComposition(const PartyProfile& profile, Date at,
                                     const Figures& target,
                                     const Previous* previous);

// A notification before its sender fixes sequence and sent time.
struct Pending {
  std::string type;
  Instant event;
  notification::Value body;
};

// A planned change (force_model.cc): the notifications of one deployment,
// upload, elimination, ... before their times are known.
struct PlannedStep;
struct PlannedChange;

class PartyForce {
 public:
  PartyForce(const treaty::Spec& spec, const PartyProfile& profile,
             uint64_t seed, const SynthOptions& opts);

  // The declarations (NST-TYPE-NEW, NST-FACILITY-NEW) and the initial
  // items for `initial`, applied; returns the declarations, each with event
  // time `at`. The caller then sends DatabaseDeclaration(...) as the initial
  // database.
  Result<std::vector<Pending>> Initialize(const Composition& initial,
                                          Instant at);

  // Plans, orders and applies the changes that take the force from its
  // current composition (whose figures are `from`) to `target` (whose
  // figures are `to`), with event times in [start, end).
  Result<std::vector<Pending>> Transition(const Composition& target,
                                          const Figures& from,
                                          const Figures& to, Instant start,
                                          Instant end);

  // A full declaration of the items (NST-DB-INIT / NST-DB-UPDATE body
  // fields "items" and "totals"), applied: the item set is replaced, so
  // eliminated items leave it as they leave the fold's.
  Result<Pending> Declare(std::string_view code, Date as_of,
                          const notification::Value& totals);

  // The items as the fold holds them now (eliminated ones included until
  // the next declaration).
  registry::ItemSet Snapshot() const;
  Composition Current() const;
  Figures CurrentFigures() const;
  size_t item_count() const { return items_.size(); }

 private:
  int TypeOf(const registry::Item& item) const;
  bool IsMissile(int x) const;
  std::string NewId(const TypeMix& t, std::string_view kind);
  std::string HullFor(int x);
  std::string BaseFor(int x);

  notification::Value ItemRecord(const registry::Item& item) const;
  Status Apply(const Pending& p);
  Status Emit(const PlannedStep& step, Instant event,
              std::vector<Pending>* out);
  void DeclareIfNeeded(std::string_view type_name, std::string_view category,
                       std::string_view facility, Instant event,
                       std::vector<Pending>* out);

  using ByType = std::vector<std::vector<const registry::Item*>>;
  void PlanSystem(int x, const ByType& by_type, const Composition& target,
                  std::vector<PlannedChange>* changes);
  void PlanBombers(int x, const ByType& by_type, const Composition& target,
                   std::vector<PlannedChange>* changes);
  // `count` of the type's accountable launchers (deployed `dep`, empty
  // `nd`) to eliminate or convert.
  std::vector<std::string> ChooseRemovals(const TypeMix& t,
                                          const std::vector<std::string>& dep,
                                          const std::vector<std::string>& nd,
                                          int64_t count);
  std::vector<int64_t> DistributeLoads(size_t n, int64_t total,
                                       int64_t max_warheads,
                                       int64_t typical_milli);

  const treaty::Spec& spec_;
  const PartyProfile& profile_;
  const SynthOptions& opts_;
  Rng rng_;

  std::map<std::string, registry::Item, std::less<>> items_;
  // Attributes an item has beyond what NST-ITEM-NEW carries (the launcher's
  // basing or submarine); they travel in the next full declaration.
  std::map<std::string, std::map<std::string, std::string, std::less<>>,
           std::less<>>
      attributes_;
  std::map<std::string, std::string> loaded_;    // launcher id -> missile id
  std::map<std::string, int64_t> max_warheads_;  // declared type -> max
  std::set<std::string, std::less<>> declared_types_;
  std::set<std::string, std::less<>> declared_facilities_;
  std::map<std::string, int64_t> serial_;      // id prefix -> last number used
  std::map<std::string, int64_t> hull_fill_;   // hull -> launchers built
  std::vector<int64_t> hulls_;                 // per type: hulls built
  std::vector<int64_t> base_cursor_;           // per type: round robin
  std::map<std::string, Instant> last_event_;  // item -> its last event
  std::map<std::string, std::string> hull_base_;
  // Type name (missile, launcher or bomber; unique in a profile) -> index.
  std::map<std::string, int, std::less<>> type_index_;
  std::vector<std::string> launcher_category_;  // per type; "" for bombers
};

}  // namespace detente::scenario::internal

#endif  // DETENTE_SCENARIO_FORCE_MODEL_H_
