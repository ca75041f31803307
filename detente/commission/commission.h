// The commission projection: issues, agendas, sessions, outcomes,
// Commissioners, the strategic stability dialogue and the diplomatic
// channel, as a pure, deterministic fold of the parties' commission and
// dialogue notifications (docs/commission.md).
//
// Commission::Apply takes one notification at a time, in the regime's fold
// order (event time, sender, sequence), and either changes the State or
// refuses the step: a refusal changes nothing but is recorded in
// State::refusals with a message naming exactly what is wrong ("session S1
// cannot convene: agenda v3 (hash 1f2e...) not accepted by RU; items I2, I4
// accepted only by US"). Notifications that are not commission or dialogue
// messages (kinds by code suffix, messages.h) are ignored. Everything in
// the State comes from the notifications: the same notifications in the
// same order always give the same State, and nothing else is read.
//
// Commission borrows the Spec, which must outlive it, and owns its State.
// Not thread-safe: one Commission is folded by one thread; a const State
// may be read concurrently.
#ifndef DETENTE_COMMISSION_COMMISSION_H_
#define DETENTE_COMMISSION_COMMISSION_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/commission/dialogue.h"
#include "detente/commission/messages.h"
#include "detente/commission/outcome.h"
#include "detente/crypto/keys.h"
#include "detente/notification/notification.h"
#include "detente/notification/record_view.h"
#include "detente/treaty/spec.h"

namespace detente::commission {

// The notification a piece of state rests on. (sender, sequence) names it
// on the sender's log.
struct Source {
  std::string party;
  uint64_t sequence = 0;
  std::string type;
  Instant time;  // event time
};

// Issues: open ──► withdrawn (by the party that raised it)
//              └─► resolved  (by an outcome listing it)
enum class IssueStatus { kOpen, kWithdrawn, kResolved };
std::string_view IssueStatusName(IssueStatus s);

struct Issue {
  std::string id;
  std::string raised_by;
  std::string title;
  std::string text;
  std::string finding;  // a compliance finding's id, or empty
  bool confidential = true;
  IssueStatus status = IssueStatus::kOpen;
  Source raised;
  std::optional<Source> closed;  // the withdrawal or the resolving outcome
};

// One proposed version of a session's agenda.
struct AgendaVersion {
  int64_t version = 0;  // 1, 2, ... within the session
  std::string proposer;
  std::vector<std::string> issues;  // in agenda order
  std::string hash;                 // AgendaHashHex (agenda.h)
  Source source;
};

struct Agenda {
  std::vector<AgendaVersion> versions;  // in proposal order; back() current
  // Each party's latest acceptance: the version it accepted. A new version
  // supersedes them all; they are kept to say which items each party had
  // accepted.
  std::map<std::string, int64_t> accepted;
  const AgendaVersion* Current() const;
  // Every party in `parties` has accepted the current version.
  bool AgreedBy(const std::vector<std::string>& parties) const;
};

// Sessions: proposed ──► scheduled ──► convened ──► concluded
//              ▲  │           │
//              │  └───────────┴──► postponed (new dates: proposed again)
//   any pending state ──► cancelled (when every party asked)
enum class SessionStatus {
  kProposed,
  kScheduled,
  kPostponed,
  kConvened,
  kConcluded,
  kCancelled
};
std::string_view SessionStatusName(SessionStatus s);

struct SessionDates {
  Date start;
  Date end;
  std::string venue;
  int64_t version = 0;  // 1, 2, ... each proposal of dates
  std::string proposer;
};

struct Postponement {
  std::string party;
  std::string reason;  // may be empty
  bool new_dates_to_follow = false;
  Source source;
};

struct Session {
  std::string id;
  SessionStatus status = SessionStatus::kProposed;
  std::optional<SessionDates> dates;      // the dates last proposed
  std::set<std::string> dates_accepted;   // parties, for `dates`
  std::set<std::string> cancel_requests;  // parties
  std::vector<Postponement> postponements;
  Agenda agenda;
  std::optional<Source> convened;
  std::optional<Source> concluded;
  std::vector<Source> history;  // every applied step, in order
};

struct Outcome {
  OutcomeRecord record;
  std::vector<OutcomeSignature> signatures;
  Source source;
};

struct Commissioner {
  std::string party;
  std::string name;
  crypto::VerifierKey key;
  Source source;
};

struct DialogueChange {
  DialogueStatus status;
  std::string reason;
  Source source;
};

struct Dialogue {
  std::string id;
  DialogueStatus status = DialogueStatus::kActive;
  std::vector<DialogueChange> history;
};

// A note or demarche over the channel.
struct ChannelMessage {
  MessageKind kind = MessageKind::kNote;  // kNote or kDemarche
  std::string from;
  std::string to;     // empty: every other party (notes only)
  std::string level;  // empty when the note gives none
  std::string subject;
  Source source;
};

struct Severance {
  std::string from;
  std::string to;
  Source source;
};

// A step that was not applied, and why.
struct Refusal {
  Source source;
  StatusCode code = StatusCode::kFailedPrecondition;
  std::string text;
};

struct State {
  std::map<std::string, Issue> issues;
  std::map<std::string, Session> sessions;
  std::vector<Outcome> outcomes;                      // in fold order
  std::map<std::string, Commissioner> commissioners;  // by party
  std::map<std::string, Dialogue> dialogues;
  // A deque, not a vector: a long history's channel holds millions of
  // messages, and growing a vector copies them all and touches twice the
  // memory at each doubling.
  std::deque<ChannelMessage> channel;
  std::vector<Severance> severances;
  std::vector<Refusal> refusals;
  uint64_t applied = 0;

  // Whether relations between `a` and `b` are severed (either direction).
  bool Severed(std::string_view a, std::string_view b) const;
};

class Commission {
 public:
  // REQUIRES: `spec` outlives the Commission.
  explicit Commission(const treaty::Spec& spec);
  // Continues from `initial`, a State an earlier Commission over the same
  // spec gave up (TakeState): how the regime fold keeps the commission
  // inside its own state.
  Commission(const treaty::Spec& spec, State initial);

  // Applies one notification. OK when it was applied or is not a commission
  // or dialogue message (then nothing changes). Otherwise the step is
  // refused, nothing changes, the refusal is appended to state().refusals
  // and returned: InvalidArgument when the notification does not validate
  // against the spec or a field cannot be read (a malformed issue list or
  // key), FailedPrecondition when the state machine does not allow the step,
  // NotFound for an unknown session or issue, AlreadyExists for a repeat.
  Status Apply(const notification::Notification& n);

  const State& state() const { return state_; }
  const treaty::Spec& spec() const { return spec_; }
  // Gives up the State, leaving this Commission's empty.
  State TakeState() { return std::exchange(state_, State()); }

 private:
  Status Step(const notification::Notification& n, MessageKind kind,
              const Source& src);

  const treaty::Spec& spec_;
  std::vector<std::string> parties_;
  State state_;
};

// The channel's notes and demarches read in place, for the regime fold's
// hot path (they are most of a history's commission messages, and nothing
// but the channel needs them decoded). When `r` is a note or demarche that
// validates (notification::QuickValidate) and that the channel takes, appends
// it to state.channel as Commission::Apply(r.ToNotification()) would,
// counts it applied and returns true. Otherwise changes nothing and returns
// false: the caller decodes it and calls Commission::Apply, which gives the
// verdict (and the refusal's message). REQUIRES: `kind` == KindOf(r.type)
// and `type` == spec.FindNotification(r.type). `validated`: the caller has
// found QuickValidate(spec, type, r) true (elsewhere, e.g. on another
// thread), and it is not run again.
bool ApplyChannelRecord(const treaty::Spec& spec,
                        const treaty::NotificationType* type, MessageKind kind,
                        const notification::RecordView& r, State& state,
                        bool validated = false);

// The fold: sorts `notifications` by (event time, sender, sequence), applies
// every one with event time <= `at`, and returns the State. Refusals are in
// the State, never an error.
State FoldCommission(const treaty::Spec& spec,
                     std::span<const notification::Notification> notifications,
                     Instant at);

// Cadence: sessions convened per treaty year, against the spec's
// [commission] min_sessions_per_year. Only treaty years that have ended by
// `at` (and begin before the treaty's end) are listed: a year in progress
// is not yet short.
struct CadenceYear {
  TreatyYear year;
  int64_t convened = 0;
  int64_t required = 0;
  bool Short() const { return convened < required; }
};
std::vector<CadenceYear> Cadence(const treaty::Spec& spec, const State& state,
                                 Instant at);

}  // namespace detente::commission

#endif  // DETENTE_COMMISSION_COMMISSION_H_
