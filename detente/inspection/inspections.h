// The inspection projection: Type One and Type Two inspections, their
// quotas per inspecting party, type and treaty year, one at a time on an
// inspected party's territory, and the reentry-vehicle choice of one
// deployed missile by commit-reveal (selection.h), as a pure, deterministic
// fold of the parties' inspection notifications (docs/inspection.md).
//
// Inspections::Apply takes one notification at a time, in the regime's fold
// order (event time, sender, sequence), and either changes the State or
// refuses the step: a refusal changes nothing but is recorded in
// State::refusals with a message naming what is wrong ("type_one quota of
// US in treaty year 2019 (2019-02-05 to 2020-02-04) exhausted: 10 of 10
// used"). What the logs show a party did wrong — a reveal that does not
// open its commitment, a committed list that is not the declared one, a
// counted number of warheads other than the declared one — is also an
// Irregularity, for compliance to turn into a finding. Notifications that
// are not inspection messages (kinds by code suffix, messages.h) are
// ignored. Everything in the State comes from the notifications and, for
// declared data, from the Declarations the caller supplies (the regime
// fold's database at the same point of the fold): nothing else is read.
//
// Inspections borrows the Spec and the Declarations, which must outlive it,
// and owns its State. Not thread-safe: one Inspections is folded by one
// thread; a const State may be read concurrently.
#ifndef DETENTE_INSPECTION_INSPECTIONS_H_
#define DETENTE_INSPECTION_INSPECTIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/crypto/sha256.h"
#include "detente/inspection/messages.h"
#include "detente/notification/notification.h"
#include "detente/treaty/spec.h"

namespace detente::inspection {

// The notification a piece of state rests on; (party, sequence) names it on
// the sender's log.
struct Source {
  std::string party;
  uint64_t sequence = 0;
  std::string type;
  Instant time;  // event time
  Instant sent;
  std::optional<Instant> due;  // notification::DueBy; none: no deadline
};

// The year a quota is counted over: a treaty year (named by the calendar
// year it starts in: treaty year 2019 of New START is 2019-02-05 to
// 2020-02-04) or a calendar year, per the type's quota_year.
struct QuotaPeriod {
  int year = 0;
  DateRange range;  // [start, end)
  treaty::QuotaYear kind = treaty::QuotaYear::kTreatyYear;
  // "treaty year 2019 (2019-02-05 to 2020-02-04)" / "calendar year 2019".
  std::string ToString() const;
};

// The period of `type`'s quota that `d` falls in; OutOfRange before entry
// into force.
Result<QuotaPeriod> QuotaPeriodOf(const treaty::Spec& spec,
                                  const treaty::InspectionType& type, Date d);
// The period named `year` for `type` (for a treaty year, the one starting
// in calendar year `year`); OutOfRange when it starts before entry into
// force's treaty year 1.
Result<QuotaPeriod> NamedQuotaPeriod(const treaty::Spec& spec,
                                     const treaty::InspectionType& type,
                                     int year);

// requested ──arrival (site designated)──► arrived ──completion──► completed
enum class InspectionStatus { kRequested, kArrived, kCompleted };
std::string_view InspectionStatusName(InspectionStatus s);

// The reentry-vehicle choice of one inspection (selection.h).
struct RvChoice {
  crypto::Sha256Digest commitment{};
  Source committed;
  std::optional<crypto::Sha256Digest> random;
  std::optional<Source> random_given;
  std::vector<std::string> missiles;  // the opened list, in committed order
  std::optional<Source> revealed;
  std::optional<size_t> index;  // the designated missile's index
  std::string designated;       // missiles[*index]; empty until revealed
};

struct Inspection {
  std::string id;
  std::string inspecting;
  std::string inspected;
  std::string type;  // an inspection type id of the spec
  std::string point_of_entry;
  QuotaPeriod period;  // the quota it counts against
  InspectionStatus status = InspectionStatus::kRequested;
  std::string facility;  // the designated site; empty until arrival
  Source requested;
  std::optional<Source> arrived;
  std::optional<Source> completed;
  std::optional<RvChoice> rv;
  // Findings of the completion.
  std::string rv_inspected_item;
  std::optional<int64_t> rv_counted;
  std::optional<int64_t> rv_declared;  // from the Declarations
  std::string ambiguities;
};

// What the logs show a party did against the rules; compliance turns each
// into a finding. Rules: "rv-reveal-mismatch", "rv-list-mismatch",
// "rv-not-revealed", "warheads-count-mismatch", "rv-item-undeclared".
struct Irregularity {
  std::string rule;
  std::string party;  // the party responsible
  std::string inspection;
  Instant time;  // the event time of the step that shows it
  std::string text;
  std::vector<Source> sources;  // the notifications it rests on
};

// A step that was not applied, and why.
struct Refusal {
  Source source;
  StatusCode code = StatusCode::kFailedPrecondition;
  std::string text;
};

struct State {
  std::map<std::string, Inspection> inspections;  // by id
  // Per inspected party, the inspection requested or arrived and not yet
  // completed (with one_at_a_time there is at most one).
  std::map<std::string, std::vector<std::string>> in_progress;
  // (inspecting party, type id, period year) -> inspection ids, in order.
  std::map<std::tuple<std::string, std::string, int>, std::vector<std::string>>
      used;
  std::vector<Refusal> refusals;
  std::vector<Irregularity> irregularities;
  uint64_t applied = 0;

  // Inspections counted against that quota (0 when none).
  int64_t Used(std::string_view party, std::string_view type, int year) const;
};

// The declared data an inspection is checked against. The regime fold
// implements it over its database at the same point of the fold; the
// answers must be those as of the notification being applied.
class Declarations {
 public:
  virtual ~Declarations() = default;
  // The warheads `party` declares emplaced on its deployed missile `item`;
  // none when `party` declares no such deployed missile.
  virtual std::optional<int64_t> DeclaredWarheads(
      std::string_view party, std::string_view item) const = 0;
  // The ids of the deployed missiles `party` declares at `facility`, in
  // identifier order.
  virtual std::vector<std::string> DeployedMissilesAt(
      std::string_view party, std::string_view facility) const = 0;
};

// Declarations held in a map: for callers that have the declared missiles
// as a list (tests, scripts) rather than a database. Not thread-safe to
// modify; const methods may be called concurrently.
class MapDeclarations : public Declarations {
 public:
  // Declares (or re-declares) `party`'s deployed missile `item` at
  // `facility` with `warheads` emplaced.
  void Declare(std::string party, std::string item, std::string facility,
               int64_t warheads);
  void Remove(std::string_view party, std::string_view item);

  std::optional<int64_t> DeclaredWarheads(std::string_view party,
                                          std::string_view item) const override;
  std::vector<std::string> DeployedMissilesAt(
      std::string_view party, std::string_view facility) const override;

 private:
  struct Missile {
    std::string facility;
    int64_t warheads = 0;
  };
  std::map<std::pair<std::string, std::string>, Missile, std::less<>> missiles_;
};

class Inspections {
 public:
  // REQUIRES: `spec` and `declared` outlive the Inspections. `declared` may
  // be null: then a committed list is not compared with the declarations
  // and a counted number of warheads with a declared one (nothing to
  // compare with); everything else is checked.
  explicit Inspections(const treaty::Spec& spec,
                       const Declarations* declared = nullptr);
  // Continues from `initial`, a State an earlier Inspections over the same
  // spec gave up (TakeState): how the regime fold keeps the inspections
  // inside its own state.
  Inspections(const treaty::Spec& spec, const Declarations* declared,
              State initial);

  // Applies one notification. OK when it was applied or is not an
  // inspection message (then nothing changes). Otherwise the step is
  // refused, nothing changes (but an irregularity it shows is recorded),
  // the refusal is appended to state().refusals and returned:
  // InvalidArgument when the notification does not validate against the
  // spec or a field cannot be read (a hex value, a missile list),
  // NotFound for an unknown inspection or inspection type, AlreadyExists
  // for a repeat (an inspection id, a commitment, a random value),
  // FailedPrecondition when the rules or the state machine do not allow
  // the step (quota, one at a time, start date, wrong party, order).
  Status Apply(const notification::Notification& n);

  const State& state() const { return state_; }
  const treaty::Spec& spec() const { return spec_; }
  // Gives up the State, leaving this one's empty.
  State TakeState() { return std::exchange(state_, State()); }

 private:
  Status Step(const notification::Notification& n, MessageKind kind,
              const Source& src);
  Status Request(const notification::Notification& n, const Source& src);
  Status Arrival(const notification::Notification& n, Inspection& insp,
                 const Source& src);
  Status Complete(const notification::Notification& n, Inspection& insp,
                  const Source& src);
  Status Reveal(const notification::Notification& n, Inspection& insp,
                const Source& src);
  void Irregular(std::string rule, const Inspection& insp, std::string party,
                 std::string text, std::vector<Source> sources);

  const treaty::Spec& spec_;
  const Declarations* declared_;
  std::vector<std::string> parties_;
  State state_;
};

// The fold: sorts `notifications` by (event time, sender, sequence),
// applies every one with event time <= `at`, and returns the State.
// Refusals are in the State, never an error.
State FoldInspections(const treaty::Spec& spec,
                      std::span<const notification::Notification> notifications,
                      Instant at, const Declarations* declared = nullptr);

// Quota accounting for one year: a row per party and inspection type, in
// party order then the spec's type order.
struct QuotaRow {
  std::string party;  // the inspecting party
  std::string type;
  QuotaPeriod period;
  int64_t quota = 0;
  int64_t used = 0;
  std::vector<std::string> inspections;  // ids, in request order
  int64_t Remaining() const { return quota > used ? quota - used : 0; }
};
// OutOfRange when `year` is before the treaty's first year.
Result<std::vector<QuotaRow>> QuotaUse(const treaty::Spec& spec,
                                       const State& state, int year);

}  // namespace detente::inspection

#endif  // DETENTE_INSPECTION_INSPECTIONS_H_
